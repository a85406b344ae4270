import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectBadInput } from './helpers';

// v(S) = |S|² on 3 players: symmetric, so Shapley = v(N)/3 each.
const squares = { n: 3, values: [0, 1, 1, 4, 1, 4, 4, 9] };

describe('mechlab shapley', () => {
  it('exact Shapley of a symmetric game splits v(N) equally', async () => {
    const r = await cli(['shapley', '--game', 'g.json', '--json'], { 'g.json': squares });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { values: number[]; stderr?: number[] };
    out.values.forEach((v) => expect(v).toBeCloseTo(3, 12));
    expect(out.stderr).toBeUndefined();
  });

  it('max-pooling market: closed form = sampled within 4 stderr, with stderr reported', async () => {
    const market = {
      scores: [
        [0.9, 0.2],
        [0.5, 0.8],
        [0.4, 0.4],
      ],
      weights: [0.6, 0.4],
    };
    const exact = JSON.parse(
      (await cli(['shapley', '--game', 'm.json', '--json'], { 'm.json': market })).stdout,
    ) as {
      values: number[];
    };
    const sampled = JSON.parse(
      (
        await cli(
          ['shapley', '--game', 'm.json', '--method', 'sample', '--samples', '4000', '--seed', '3', '--json'],
          { 'm.json': market },
        )
      ).stdout,
    ) as { values: number[]; stderr: number[] };
    expect(sampled.stderr).toHaveLength(3);
    exact.values.forEach((v, i) =>
      expect(Math.abs(v - sampled.values[i]!)).toBeLessThanOrEqual(4 * sampled.stderr[i]! + 1e-12),
    );
    // efficiency: Σφ = v(N) = 0.6·0.9 + 0.4·0.8
    expect(exact.values.reduce((a, b) => a + b, 0)).toBeCloseTo(0.86, 12);
  });

  it('bad games → exit 2 naming the field', async () => {
    expectBadInput(
      await cli(['shapley', '--game', 'g.json'], { 'g.json': { n: 3, values: [0, 1] } }),
      'game.values',
    );
    expectBadInput(
      await cli(['shapley', '--game', 'g.json', '--method', 'guess'], { 'g.json': squares }),
      '--method',
    );
  });
});

describe('mechlab mpw', () => {
  it('without externalities the MPW value equals the Shapley value', async () => {
    // v(S, P) = |S|² for every partition ⇒ no externalities.
    const parts = [[[0, 1, 2]], [[0], [1, 2]], [[1], [0, 2]], [[2], [0, 1]], [[0], [1], [2]]];
    const game = {
      n: 3,
      partitions: parts.map((blocks) => ({ blocks, values: blocks.map((b) => b.length ** 2) })),
    };
    const r = await cli(['mpw', '--game', 'p.json', '--json'], { 'p.json': game });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { values: number[] };
    out.values.forEach((v) => expect(v).toBeCloseTo(3, 12));
  });

  it('a missing partition is bad input', async () => {
    const game = { n: 2, partitions: [{ blocks: [[0, 1]], values: [1] }] };
    expectBadInput(await cli(['mpw', '--game', 'p.json'], { 'p.json': game }), /game\.partitions/);
  });
});

describe('mechlab coalition', () => {
  it('prints one row per grid point', async () => {
    const r = await cli(['coalition', '--dispersions', '0.4', '--gammas', '1', '--prices', '1,2', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { best: string }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(['singletons', 'merged', 'routed']).toContain(row.best);
  });
  it('bad list → exit 2', async () => {
    expectBadInput(await cli(['coalition', '--gammas', '1,x']), '--gammas[1]');
  });
});

describe('mechlab contribution', () => {
  it('runs a small experiment and reports the three mechanisms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mechlab-contribution-'));
    const r = await cli([
      'contribution',
      '--vary',
      'tau=10,20',
      '--replicates',
      '60',
      '--out',
      dir,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: { mechanism: string; tau: number; metrics: Record<string, { count: number; mean: number }> }[];
      figure: { svg: string };
    };
    expect(out.rows.length).toBe(6);
    expect(out.figure.svg).toMatch(/figure\.svg$/);
    // the wasted-provision metric (issue 16): supply committed and costs sunk on instances missing τ
    for (const row of out.rows) {
      const { wastedSupply, sunkCost, supply, crossing } = row.metrics;
      expect(wastedSupply!.count).toBe(60);
      expect(sunkCost!.count).toBe(60);
      expect(wastedSupply!.mean).toBeGreaterThanOrEqual(0);
      expect(wastedSupply!.mean).toBeLessThanOrEqual(supply!.mean + 1e-12);
      if (crossing!.mean === 1) expect(wastedSupply!.mean).toBe(0);
    }
    const subsidy = out.rows.find((x) => x.mechanism === 'subsidy' && x.tau === 20)!;
    expect(subsidy.metrics['wastedSupply']!.mean).toBeGreaterThan(0);
    expect(subsidy.metrics['sunkCost']!.mean).toBeGreaterThan(0);
    rmSync(dir, { recursive: true, force: true });
  });
  it('bad parameter → exit 2 naming it', async () => {
    expectBadInput(await cli(['contribution', '--set', 'tau=-1', '--replicates', '5']), 'tau');
    expectBadInput(await cli(['contribution', '--set', 'tau']), '--set');
  });
});

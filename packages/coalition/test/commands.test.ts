import {
  mpwExact,
  parseCoalitionGame,
  runCoalitionGuide,
  runMpwCommand,
  runShapleyCommand,
  shapleyExact,
} from '@mechlab/coalition';
import type { PartitionGame } from '../src/games';
import { allPartitions, expectClose, total } from './helpers';
import { expectMechlabError } from '@mechlab/core/testing';

const cff = { n: 3, values: [0, 1, 2, 4, 1, 3, 4, 6] };
const market = {
  scores: [
    [0.9, 0.1],
    [0.4, 0.8],
    [0.4, 0.5],
  ],
  weights: [0.5, 0.5],
};
const pff = {
  n: 3,
  partitions: allPartitions(3).map((blocks) => ({
    blocks,
    // Coalitions are worth their size squared, minus 0.5 per rival coalition (a negative externality).
    values: blocks.map((b) => b.length ** 2 - 0.5 * (blocks.length - 1)),
  })),
};

describe('runShapleyCommand (mechlab shapley --json)', () => {
  it('returns exactly { values } for the exact method', () => {
    const out = runShapleyCommand(cff);
    expect(Object.keys(out)).toEqual(['values']);
    const phi = shapleyExact({ kind: 'characteristic', n: 3, values: Float64Array.from(cff.values) });
    expect(out.values).toEqual(Array.from(phi));
    expectClose(
      runShapleyCommand(market, { method: 'exact' }).values,
      [
        0.5 * (0.4 / 3 + 0.5) + 0.5 * (0.1 / 3),
        0.5 * (0.4 / 3) + 0.5 * (0.1 / 3 + 0.2 + 0.3),
        0.5 * (0.4 / 3) + 0.5 * (0.1 / 3 + 0.2),
      ],
      1e-12,
    );
  });

  it('returns exactly { values, stderr } for sampling, reproducibly by seed', () => {
    const a = runShapleyCommand(market, { method: 'sample', samples: 500, seed: 42 });
    expect(Object.keys(a)).toEqual(['values', 'stderr']);
    expect(a).toEqual(runShapleyCommand(market, { method: 'sample', samples: 500, seed: 42 }));
    const exact = runShapleyCommand(market).values;
    a.values.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThanOrEqual(4 * a.stderr![i]!));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a); // plain JSON
  });

  it('accepts a parsed game as well as raw JSON', () => {
    expect(runShapleyCommand(parseCoalitionGame(cff))).toEqual(runShapleyCommand(cff));
  });

  it('rejects partition-function games and bad options', () => {
    expectMechlabError(
      () => runShapleyCommand(pff),
      'ERR_INVALID_INPUT',
      'game is a partition-function game: the Shapley value needs a characteristic function (use mpw)',
    );
    expectMechlabError(
      () => runShapleyCommand(cff, { method: 'fast' as 'exact' }),
      'ERR_INVALID_INPUT',
      'options.method must be one of "exact", "sample", got "fast"',
    );
    expectMechlabError(
      () => runShapleyCommand(cff, { method: 'sample', samples: 2.5 }),
      'ERR_INVALID_TYPE',
      'options.samples must be an integer, got 2.5',
    );
    expectMechlabError(
      () => runShapleyCommand({ n: 2, values: [0, 1] }),
      'ERR_INVALID_INPUT',
      'game.values must have 2^n = 4 entries, got 2',
    );
  });
});

describe('runMpwCommand (mechlab mpw --json)', () => {
  it('returns exactly { values } for a partition-function game', () => {
    const out = runMpwCommand(pff);
    expect(Object.keys(out)).toEqual(['values']);
    expect(out.values).toEqual(Array.from(mpwExact(parseCoalitionGame(pff) as PartitionGame)));
    expect(total(out.values)).toBeCloseTo(9, 12); // v(N, {N}) = 3²
    expectClose(out.values, [3, 3, 3], 1e-12); // symmetric game
  });

  it('equals the Shapley value for games without externalities', () => {
    expect(runMpwCommand(cff)).toEqual(runShapleyCommand(cff));
    expect(runMpwCommand(market)).toEqual(runShapleyCommand(market));
  });

  it('samples close to the exact value', () => {
    const exact = runMpwCommand(pff).values;
    const est = runMpwCommand(pff, { method: 'sample', samples: 4000, seed: 5 });
    expect(Object.keys(est)).toEqual(['values']);
    expectClose(est.values, exact, 0.1);
    expect(total(est.values)).toBeCloseTo(9, 9);
    expectClose(
      runMpwCommand(cff, { method: 'sample', samples: 4000, seed: 5 }).values,
      runShapleyCommand(cff).values,
      0.1,
    );
  });
});

describe('runCoalitionGuide (decision guide)', () => {
  const rows = runCoalitionGuide();

  it('sweeps dispersion × γ × compute price and reports consistent rows', () => {
    expect(rows.length).toBe(27);
    for (const r of rows) {
      const { singletons, merged, routed } = r.welfare;
      const best = Math.max(singletons, merged, routed);
      expect(r.welfare[r.best]).toBe(best);
      expect(r.mpwStructure).toBe(merged > routed ? 'merged' : 'routed');
      // MPW is efficient for the reported grand coalition.
      expect(total(r.mpw)).toBeCloseTo(r.welfare[r.mpwStructure], 10);
      expect(total(r.standalone)).toBeCloseTo(singletons, 12);
      r.beatsStandalone.forEach((b, i) => expect(b).toBe(r.mpw[i]! > r.standalone[i]! + 1e-12));
    }
  });

  it('reproduces the qualitative guidance', () => {
    const at = (d: number, g: number, p: number) =>
      rows.find((r) => r.dispersion === d && r.gamma === g && r.computePrice === p)!;
    // Identical agents and expensive compute: cooperation only adds overhead — stay singletons.
    expect(at(0, 1, 2).best).toBe('singletons');
    expect(at(0, 1, 2).beatsStandalone.every((b) => !b)).toBe(true);
    // Cheap compute: a superlinear merge pays for its merging cost.
    expect(at(0.4, 1, 0.5).best).toBe('merged');
    // Dispersed specialists and expensive compute: route to the best, and everyone gains.
    expect(at(0.4, 1, 2).best).toBe('routed');
    expect(at(0.4, 1, 2).beatsStandalone.every((b) => b)).toBe(true);
    // Agents 0 and 4 share a specialty: each is worth less to the coalition than a unique specialist.
    expect(at(0.4, 1, 1).mpw[0]!).toBeLessThan(at(0.4, 1, 1).mpw[1]!);
    expect(at(0.4, 1, 1).mpw[0]).toBeCloseTo(at(0.4, 1, 1).mpw[4]!, 12);
    // Higher elasticity lets the best specialist keep more demand alone.
    expect(at(0.4, 4, 1).welfare.singletons).toBeGreaterThan(at(0.4, 0, 1).welfare.singletons);
  });

  it('never merges under interference', () => {
    const r = runCoalitionGuide({
      merge: { effect: 'interference', epsilon: 0.1 },
      dispersions: [0, 0.4],
      gammas: [1],
      computePrices: [0.5],
    });
    for (const row of r) expect(row.best).not.toBe('merged');
  });

  it('validates options', () => {
    expectMechlabError(
      () => runCoalitionGuide({ agents: 11 }),
      'ERR_OUT_OF_RANGE',
      'options.agents must be ≤ 10, got 11',
    );
    expectMechlabError(
      () => runCoalitionGuide({ gammas: [1, -1] }),
      'ERR_OUT_OF_RANGE',
      'options.gammas[1] must be ≥ 0, got -1',
    );
    expectMechlabError(() => runCoalitionGuide({ domains: 0 }), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'options.domains',
      message: 'options.domains must be ≥ 1, got 0',
    });
    expectMechlabError(() => runCoalitionGuide({ dispersions: [] }), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'options.dispersions',
    });
    expectMechlabError(() => runCoalitionGuide({ computePrices: [NaN] }), {
      code: 'ERR_INVALID_TYPE',
      field: 'options.computePrices[0]',
    });
  });
});

describe('sampling progress callback (issue 18: the CLI draws a live progress line from it)', () => {
  it('reports monotone batches ending at samples, and changes no estimate', () => {
    for (const [run, game] of [
      [runShapleyCommand, market],
      [runMpwCommand, cff],
    ] as const) {
      const calls: [number, number][] = [];
      const plain = run(game, { method: 'sample', samples: 200, seed: 4 });
      const watched = run(game, {
        method: 'sample',
        samples: 200,
        seed: 4,
        onProgress: (d, t) => calls.push([d, t]),
      });
      expect(watched).toEqual(plain);
      expect(calls).toEqual([
        [64, 200],
        [128, 200],
        [192, 200],
        [200, 200],
      ]);
    }
  });

  it('is not called by the exact methods', () => {
    const onProgress = jest.fn();
    runShapleyCommand(cff, { onProgress });
    runMpwCommand(cff, { method: 'exact', onProgress });
    expect(onProgress).not.toHaveBeenCalled();
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, expectBadInput } from './helpers';

const examples = join(__dirname, '../../../examples');

describe('mechlab equilibrium', () => {
  it.each([
    ['wta', 'ccs-wta-unstable.json'],
    ['tullock', 'ccs-tullock-unstable.json'],
  ])('%s counterexample has no pure NE on a fine grid, with a cycle witness', async (mech, file) => {
    const path = join(examples, file);
    JSON.parse(readFileSync(path, 'utf8')); // the shipped example is valid JSON
    for (const grid of ['21', '101']) {
      const r = await cli(['equilibrium', '--instance', path, '--mechanism', mech, '--grid', grid, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { exists: boolean; cycle?: number[][] };
      expect(out.exists).toBe(false);
      expect(out.cycle!.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('PRA has a pure NE (the greatest equilibrium is on the grid)', async () => {
    const inst = { theta: [0.5, 0.4], cost: [0.2, 0.3], edges: [[0, 1, 0.25]] };
    const r = await cli(
      ['equilibrium', '--instance', 'i.json', '--mechanism', 'pra', '--p', '0.5,0.5', '--json'],
      {
        'i.json': inst,
      },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { exists: boolean; profile: number[] };
    expect(out.exists).toBe(true);
    expect(out.profile).toHaveLength(2);
  });

  it('validates --p and --mechanism', async () => {
    const files = { 'i.json': { theta: [0.5, 0.4], cost: [0.2, 0.3] } };
    expectBadInput(await cli(['equilibrium', '--instance', 'i.json', '--mechanism', 'pra'], files), '--p');
    expectBadInput(
      await cli(['equilibrium', '--instance', 'i.json', '--mechanism', 'pra', '--p', '0.9,0.9'], files),
      '--p',
    );
    expectBadInput(
      await cli(['equilibrium', '--instance', 'i.json', '--mechanism', 'pra', '--p', '0.5'], files),
      '--p',
    );
    expectBadInput(
      await cli(['equilibrium', '--instance', 'i.json', '--mechanism', 'pra', '--p', '0.5,x'], files),
      '--p[1]',
    );
    expectBadInput(
      await cli(['equilibrium', '--instance', 'i.json', '--mechanism', 'vcg'], files),
      '--mechanism',
    );
    expectBadInput(
      await cli(['equilibrium', '--instance', 'i.json', '--mechanism', 'wta', '--grid', '1'], files),
      '--grid',
    );
  });

  it("names the flag and the expected shape (zod schemas, core's converter)", async () => {
    const files = { 'i.json': { theta: [0.5, 0.4], cost: [0.2, 0.3] } };
    const eq = (...flags: string[]) => cli(['equilibrium', '--instance', 'i.json', ...flags], files);
    const cases: [string[], RegExp][] = [
      [['--mechanism', 'pra', '--p', '0.9,0.9'], /^error: --p must sum to ≤ 1, got 1\.8/],
      [['--mechanism', 'pra', '--p', '0.5'], /^error: --p must have 2 portions \(one per player\), got 1$/],
      [['--mechanism', 'pra', '--p', '0.5,-0.1'], /^error: --p\[1\] must be ≥ 0, got -0\.1$/],
      [['--mechanism', 'pra', '--p', '0.5,x'], /^error: --p\[1\] must be a number, got "x"$/],
      [['--mechanism', 'pra', '--p', '0.5,1e999'], /^error: --p\[1\] must be a finite number, got Infinity$/],
      [['--mechanism', 'vcg'], /^error: --mechanism must be one of "wta", "tullock", "pra", got "vcg"$/],
      [['--mechanism', 'wta', '--grid', '1'], /^error: --grid must be ≥ 2, got 1$/],
      [['--mechanism', 'wta', '--grid', '2.5'], /^error: --grid must be an integer, got 2\.5$/],
      [['--mechanism', 'wta', '--grid', 'many'], /^error: --grid must be a number, got "many"$/],
      [['--mechanism', 'wta', '--grid', ''], /^error: --grid must be a number, got ""$/],
      [['--mechanism', 'wta', '--grid', '200000'], /^error: --grid must be ≤ 100001, got 200000$/],
    ];
    for (const [flags, line] of cases) expectBadInput(await eq(...flags), line);
  });
});

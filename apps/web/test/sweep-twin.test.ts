/**
 * The browser's sweep twin (src/sweep/) against `@mechlab/sweep` itself, in process, on many seeded
 * random specs: the same rows.csv and aggregates.csv byte for byte (whatever block sizes the browser
 * uses), and the same field-naming errors for bad specs. The e2e test does the same through the
 * browser and the CLI binary on one spec; this one covers the parameter space cheaply.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMechlabError, type Experiment } from '@mechlab/core';
import { ccsRandomGraph } from '@mechlab/ccs';
import { parseSweepSpec as sweepParse, runSweep as cliRunSweep } from '@mechlab/sweep';
import { sweepFiles } from '../src/sweep/results';
import { parseSweepSpec } from '../src/sweep/spec';
import { runSweepTask } from '../src/sweep/task';

jest.setTimeout(120_000);

// The engine knows no experiment by itself; the CLI hands it its catalogue, this test the one it twins.
const experiments = [ccsRandomGraph as unknown as Experiment];
const cliParseSweepSpec = (doc: unknown): unknown => sweepParse(doc, experiments);

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'mechlab-web-twin-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const specArb = fc.record({
  ns: fc.uniqueArray(fc.integer({ min: 1, max: 14 }), { minLength: 1, maxLength: 3 }),
  rhos: fc.uniqueArray(fc.constantFrom(0, 0.1, 0.35, 1), { minLength: 1, maxLength: 2 }),
  costDist: fc.constantFrom('uniform', 'exponential', 'constant'),
  costMax: fc.constantFrom(0.5, 1, 3),
  exactMaxN: fc.constantFrom(0, 8),
  replicates: fc.integer({ min: 1, max: 9 }),
  seed: fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('alpha', 'β')),
  name: fc.constantFrom('twin', 'a "quoted", name'),
});

function errorOf(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return isMechlabError(e)
      ? `${e.code} ${e.field ?? ''}: ${e.message}`
      : `not a MechlabError: ${String(e)}`;
  }
}

describe('browser sweep twin vs @mechlab/sweep', () => {
  test('40 random specs: rows.csv and aggregates.csv byte-identical, for random browser block sizes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(specArb, fc.integer({ min: 1, max: 5 }), async (s, block) => {
        const spec = {
          experiment: 'ccs.random-graph',
          name: s.name,
          grid: { n: s.ns, rho: s.rhos },
          params: { costDist: s.costDist, costMax: s.costMax, exactMaxN: s.exactMaxN },
          replicates: s.replicates,
          seed: s.seed,
        };
        const out = join(tmp, `run${run++}`);
        await cliRunSweep(spec, { out, experiments, workers: 'inline', render: false, duckdb: false });
        const plan = parseSweepSpec(spec);
        const m = plan.metrics.length;
        const values = plan.points.map((p) => {
          const v = new Float64Array(spec.replicates * m);
          for (let r0 = 0; r0 < spec.replicates; r0 += block) {
            const r1 = Math.min(spec.replicates, r0 + block);
            v.set(
              runSweepTask({
                experiment: spec.experiment,
                seed: spec.seed,
                pointKey: p.key,
                params: p.params,
                r0,
                r1,
              }),
              r0 * m,
            );
          }
          return v;
        });
        const files = sweepFiles(plan, values);
        expect(files.rowsCsv).toBe(readFileSync(join(out, 'rows.csv'), 'utf8'));
        expect(files.aggregatesCsv).toBe(readFileSync(join(out, 'aggregates.csv'), 'utf8'));
      }),
      { numRuns: 40, seed: 17 },
    );
  });

  test('bad specs: the same MechlabError (code, field, message) as the sweep package', () => {
    const base = { experiment: 'ccs.random-graph', grid: { n: [10] }, replicates: 5, seed: 1 };
    const bad: unknown[] = [
      { ...base, grid: { n: [10, 0] } },
      { ...base, grid: { n: [10, 10] } },
      { ...base, grid: {} },
      { ...base, grid: { m: [1] } },
      { ...base, params: { n: 3 } },
      { ...base, params: { rhoo: 0.1 } },
      { ...base, params: { rho: 2 } },
      { ...base, replicates: 0 },
      { ...base, seed: -1 },
      { ...base, extra: true },
      { ...base, grid: { n: [3] }, params: { thetaDist: 'normal' } },
      'not an object',
    ];
    for (const spec of bad) {
      const want = errorOf(() => cliParseSweepSpec(spec));
      expect(want).not.toBe('no error');
      expect(errorOf(() => parseSweepSpec(spec))).toBe(want);
    }
  });
});

/**
 * The `contribution.threshold` experiment (issue 8) runs through the engine: identical files inline and
 * with 2 workers, withdrawal mechanisms never leak, and cross-field parameter errors name the field.
 */
import * as path from 'node:path';
import { parseSweepSpec, runSweep } from '../src';
import { RESULT_FILES, cleanup, read, tmpDir } from './helpers';

const spec = parseSweepSpec({
  experiment: 'contribution.threshold',
  grid: { tau: [10, 25] },
  params: { n: 60 },
  replicates: 40,
  seed: 'contribution',
  blockSize: 10,
});

describe('contribution.threshold in the sweep engine', () => {
  let root: string;
  beforeAll(() => {
    root = tmpDir('contrib');
  });
  afterAll(() => cleanup(root));

  it('is byte-identical inline and on 2 workers, and the withdrawal mechanisms never leak', async () => {
    const a = path.join(root, 'inline');
    const b = path.join(root, 'w2');
    await runSweep(spec, { out: a, workers: 'inline', duckdb: false });
    await runSweep(spec, { out: b, workers: 2, duckdb: false });
    for (const f of RESULT_FILES) expect(read(b, f)).toBe(read(a, f));
    const [header, ...lines] = read(a, 'rows.csv').trim().split('\n');
    const cols = header!.split(',');
    const rows = lines.map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(80);
    for (const m of ['simultaneous', 'sequential']) {
      const k = cols.indexOf(`${m}_leakage`);
      expect(k).toBeGreaterThan(0);
      for (const r of rows) expect(r[k]).toBe(0);
    }
    const s = cols.indexOf('subsidy_leakage');
    expect(rows.some((r) => r[s]! > 0)).toBe(true);
  }, 60_000);

  it('rejects cross-field parameter errors with a field-naming message', () => {
    expect(() =>
      parseSweepSpec({
        experiment: 'contribution.threshold',
        grid: { costHi: [0.5] },
        params: { costLo: 0.8 },
        replicates: 2,
        seed: 1,
      }),
    ).toThrow(/cost/);
  });
});

/**
 * The experiment interface (core/src/experiment.ts): parameters declared as data validate exactly like
 * hand-written zod schemas (property test against a direct range check), and a user's module is checked
 * and wrapped with errors that name `spec.module`.
 */
import fc from 'fast-check';
import {
  MechlabError,
  type MechlabErrorCode,
  Rng,
  declareParams,
  defineExperiment,
  experimentFromModule,
  isExperiment,
  metricColumn,
  parseWithSchema,
  sourceOf,
} from '../src';
import { expectMechlabError } from '@mechlab/core/testing';

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof MechlabError) return e.field;
    throw e;
  }
  return undefined;
}

describe('declareParams', () => {
  it('fills defaults and accepts exactly the values a direct range check accepts', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.boolean(),
        fc.double({ min: -200, max: 200, noNaN: true }),
        (min, width, integer, x) => {
          const max = min + width;
          const dflt = integer ? Math.ceil(min) : min;
          fc.pre(!integer || dflt <= max);
          const schema = declareParams({ v: { default: dflt, min, max, integer } });
          expect(schema.parse({})).toEqual({ v: dflt });
          const ok = x >= min && x <= max && (!integer || Number.isInteger(x));
          expect(schema.safeParse({ v: x }).success).toBe(ok);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });

  it('strings, booleans and value lists; unknown keys rejected; messages name the field', () => {
    const s = declareParams({
      kind: { default: 'a', values: ['a', 'b'] },
      flag: { default: false },
      label: { default: 'x' },
      k: { default: 3, min: 1, integer: true },
    });
    expect(s.parse({ kind: 'b' })).toEqual({ kind: 'b', flag: false, label: 'x', k: 3 });
    expect(s.safeParse({ kind: 'c' }).success).toBe(false);
    expect(s.safeParse({ flag: 1 }).success).toBe(false);
    expect(s.safeParse({ other: 1 }).success).toBe(false);
    expect(() => parseWithSchema(s, { k: 0 }, 'spec.grid')).toThrow('spec.grid.k must be ≥ 1, got 0');
    expect(() => parseWithSchema(s, { k: 1.5 }, 'spec.params')).toThrow(/spec\.params\.k must be an integer/);
  });

  it('a malformed declaration names its key', () => {
    const cases: [() => unknown, MechlabErrorCode, string, string][] = [
      [
        () => declareParams({ p: { min: 0 } as never }),
        'ERR_INVALID_TYPE',
        'experiment.params.p.default',
        'experiment.params.p.default must be a number or a string or a boolean, got nothing',
      ],
      [
        () => declareParams({ p: { default: 2, max: 1 } }),
        'ERR_INVALID_INPUT',
        'experiment.params.p.default',
        'experiment.params.p.default 2 is outside its own declaration',
      ],
      [
        () => declareParams({ p: { default: 'x', values: ['a'] } }),
        'ERR_INVALID_INPUT',
        'experiment.params.p.default',
        'experiment.params.p.default "x" is outside its own declaration',
      ],
      [
        () => declareParams({ p: { default: 'x', min: 0 } }),
        'ERR_INVALID_INPUT',
        'experiment.params.p.min',
        'experiment.params.p.min applies to numbers only, but default is "x"',
      ],
      [
        () => declareParams({ p: { default: 1, color: 'red' } as never }),
        'ERR_INVALID_INPUT',
        'experiment.params.p',
        'experiment.params.p has unknown key "color"',
      ],
      [
        () => declareParams([] as never),
        'ERR_INVALID_TYPE',
        'experiment.params',
        'experiment.params must be a record, got an array of length 0',
      ],
    ];
    for (const [f, code, field, message] of cases) expectMechlabError(f, { code, field, message });
  });
});

const coin = {
  name: 'coin.flips',
  params: { p: { default: 0.5, min: 0, max: 1 }, flips: { default: 20, min: 1, integer: true } },
  metrics: ['heads', 'g.longestRun'],
  run(rng: Rng, params: { p: number; flips: number }): number[] {
    let heads = 0;
    for (let i = 0; i < params.flips; i++) if (rng.next() < params.p) heads++;
    return [heads, params.flips - heads];
  },
};

describe('experimentFromModule', () => {
  it('wraps a default export: schema, metric columns, run into the row, source', () => {
    const e = experimentFromModule({ default: coin }, '/abs/coin.mjs');
    expect(isExperiment(e)).toBe(true);
    expect(e.source).toEqual({ module: '/abs/coin.mjs', export: 'default' });
    expect(e.description).toBe('coin.flips');
    const params = e.paramsSchema.parse({ flips: 10 });
    expect(e.metrics(params).map(metricColumn)).toEqual(['heads', 'g_longestRun']);
    const out = new Float64Array(5).fill(-1);
    void e.run(Rng.fromPath(['t']), params, out, 2);
    expect(out[0]).toBe(-1);
    expect(out[2]! + out[3]!).toBe(10);
    expect(out[4]).toBe(-1);
  });

  it('finds `experiment` exports (ESM or a CommonJS exports object) and passes engine experiments through', () => {
    expect(experimentFromModule({ experiment: coin }, '/m.js').source!.export).toBe('experiment');
    expect(experimentFromModule({ default: { experiment: coin } }, '/m.cjs').source!.export).toBe(
      'default.experiment',
    );
    const engine = defineExperiment({
      name: 'x',
      description: 'x',
      paramsSchema: declareParams({}),
      metrics: () => [{ algo: 'a', metric: 'b' }],
      run: () => undefined,
    });
    const e = experimentFromModule({ default: engine }, '/e.js');
    expect(e.run).toBe(engine.run);
    expect(e.source).toEqual({ module: '/e.js', export: 'default' });
  });

  it.each([
    ['no default export', { other: 1 }, /has no default export/],
    ['a number', { default: 3 }, /must be an object/],
    [
      'bad name',
      { default: { ...coin, name: 'has space' } },
      /name must be a string matching .*, got "has space"/,
    ],
    [
      'no run',
      { default: { ...coin, run: 1 } },
      /run must be a function \(rng, params\) => number\[\], got 1/,
    ],
    [
      'metrics not an array',
      { default: { ...coin, metrics: 'heads' } },
      /metrics must be a non-empty array of metric names \(letters, digits, _ \. -\), got "heads"/,
    ],
    ['metrics repeat', { default: { ...coin, metrics: ['a', 'a'] } }, /metrics repeats the name "a"/],
    ['bad parameter', { default: { ...coin, params: { p: { default: 'x', min: 0 } } } }, /params\.p/],
    [
      'bad bounds',
      { default: { ...coin, bounds: { heads: [2, 1] } } },
      /bounds\.heads\[1\] must be ≥ the lower bound 2, got 1/,
    ],
    ['metric name', { default: { ...coin, metrics: ['ok', '1bad'] } }, /metrics\[1\] must be a metric name/],
  ])('%s → MechlabError naming spec.module', (_label, mod, message) => {
    expectMechlabError(() => experimentFromModule(mod, '/abs/m.mjs'), {
      code: 'ERR_INVALID_INPUT',
      field: 'spec.module',
      message,
    });
  });

  it('run returning the wrong length or a non-number is a MechlabError naming spec.module', async () => {
    const out = new Float64Array(2);
    const params = { p: 0.5, flips: 3 };
    const short = experimentFromModule({ default: { ...coin, run: () => [1] } }, '/m.mjs');
    expect(() => short.run(Rng.seed(1), params, out, 0)).toThrow(
      'spec.module: coin.flips.run must return 2 numbers (heads, g.longestRun), got 1 values',
    );
    const str = experimentFromModule({ default: { ...coin, run: () => [1, 'x'] } }, '/m.mjs');
    expect(fieldOf(() => str.run(Rng.seed(1), params, out, 0))).toBe('spec.module');
    const asyncRun = experimentFromModule(
      { default: { ...coin, run: () => Promise.resolve([4, 5]) } },
      '/m.mjs',
    );
    await asyncRun.run(Rng.seed(1), params, out, 0);
    expect([...out]).toEqual([4, 5]);
  });
});

describe('defineExperiment and sourceOf', () => {
  it('checks the name and the methods; sourceOf is undefined without a file name (browser bundles)', () => {
    const base = {
      name: 'ok',
      description: '',
      paramsSchema: declareParams({}),
      metrics: () => [],
      run: () => undefined,
    };
    expect(defineExperiment(base)).toBe(base);
    expectMechlabError(() => defineExperiment({ ...base, name: '-bad' }), {
      code: 'ERR_INVALID_INPUT',
      field: 'experiment.name',
      message: 'experiment.name must be a name matching /^[a-z0-9][a-z0-9._-]*$/i, got "-bad"',
    });
    expectMechlabError(() => defineExperiment({ ...base, run: 1 as never }), {
      code: 'ERR_INVALID_INPUT',
      field: 'experiment.run',
      message: 'experiment.run must be a function, got 1',
    });
    expect(sourceOf(undefined, 'x')).toBeUndefined();
    expect(sourceOf('/a.js', 'x')).toEqual({ module: '/a.js', export: 'x' });
  });
});

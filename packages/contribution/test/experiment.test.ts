import { MechlabError, Rng } from '@mechlab/core';
import {
  CONTRIBUTION_EXPERIMENT,
  aggregateContributionPoint,
  contributionFigure,
  contributionTable,
  contributionTaskRng,
  expandContributionGrid,
  parseContributionOptions,
  runContributionCommand,
  runContributionExperiment,
  runContributionTask,
  type ContributionOutcome,
} from '@mechlab/contribution';

const config = { seed: 11, replicates: 40, grid: { tau: [10, 20], shockProb: [0.02, 0.05] } } as const;

describe('runContributionExperiment', () => {
  const rows = runContributionExperiment(config);

  it('returns one row per point × mechanism, points row-major in canonical key order', () => {
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.mechanism).slice(0, 3)).toEqual(['subsidy', 'simultaneous', 'sequential']);
    const pts = rows
      .filter((r) => r.mechanism === 'subsidy')
      .map((r) => [r.point, r.params.tau, r.params.shockProb]);
    expect(pts).toEqual([
      [0, 10, 0.02],
      [1, 10, 0.05],
      [2, 20, 0.02],
      [3, 20, 0.05],
    ]);
    const m = rows[0]!.metrics.crossing;
    expect(m.n).toBe(40);
    expect(m.hi3 - m.mean).toBeCloseTo(3 * m.std, 12);
  });

  it('is deterministic: same seed ⇒ identical rows; another seed ⇒ different rows', () => {
    expect(JSON.stringify(runContributionExperiment(config))).toBe(JSON.stringify(rows));
    expect(JSON.stringify(runContributionExperiment({ ...config, seed: 12 }))).not.toBe(JSON.stringify(rows));
  });

  it('does not depend on task execution order (tasks run shuffled, aggregated by replicate index)', () => {
    const points = expandContributionGrid({}, config.grid);
    const tasks = points.flatMap((params, point) =>
      Array.from({ length: config.replicates }, (_, replicate) => ({
        seed: config.seed,
        point,
        replicate,
        params,
      })),
    );
    const order = Rng.seed('shuffle').permutation(tasks.length);
    const byPoint: ContributionOutcome[][] = points.map(() => []);
    for (const t of order) {
      // through a structured clone, as a worker pool would transfer it
      const res = structuredClone(runContributionTask(structuredClone(tasks[t]!)));
      byPoint[res.point]![res.replicate] = res.outcome;
    }
    const again = points.flatMap((p, i) => aggregateContributionPoint(i, p, byPoint[i]!));
    expect(again).toEqual(rows);
  });

  it('seeds each task from the path (seed, experiment, point, replicate)', () => {
    expect(contributionTaskRng(11, 3, 7).path).toEqual([11, CONTRIBUTION_EXPERIMENT, 3, 7]);
    const a = contributionTaskRng(11, 3, 7).next();
    expect(Rng.fromPath([11, 'contribution.threshold', 3, 7]).next()).toBe(a);
  });

  it('produces plain, JSON-safe task results', () => {
    const r = runContributionTask({ seed: 1, point: 0, replicate: 0, params: expandContributionGrid()[0]! });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('validates its configuration with MechlabErrors that name the field', () => {
    const expectError = (f: () => unknown, code: string, message: string): void => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MechlabError);
      expect((err as MechlabError).code).toBe(code);
      expect((err as MechlabError).message).toBe(message);
    };
    expectError(
      () => runContributionExperiment({ seed: 1, replicates: 0 }),
      'ERR_OUT_OF_RANGE',
      'replicates must be an integer ≥ 1, got 0',
    );
    expectError(
      () => runContributionExperiment({ seed: 1, replicates: 5, params: { tau: -1 } }),
      'ERR_OUT_OF_RANGE',
      'tau must be > 0, got -1',
    );
    expectError(
      () => runContributionExperiment({ seed: 1, replicates: 5, grid: { costHi: [1, 0] } }),
      'ERR_OUT_OF_RANGE',
      'grid.costHi[1] must be > 0, got 0',
    );
    expectError(
      () => runContributionExperiment({ seed: 1, replicates: 5, grid: { tau: [10, 150] } }),
      'ERR_OUT_OF_RANGE',
      'tau must be < n·E[capacity]/subsidyTarget = 100, got 150 (grid point 1)',
    );
    expectError(
      () => runContributionExperiment({ seed: NaN, replicates: 5 }),
      'ERR_INVALID_TYPE',
      'seed must be a finite number or a string, got NaN',
    );
  });
});

describe('parseContributionOptions', () => {
  const cases: [unknown, string, string, string][] = [
    [{ tau: -1 }, 'ERR_OUT_OF_RANGE', 'tau', 'tau must be > 0, got -1'],
    [{ n: 2.5 }, 'ERR_INVALID_TYPE', 'n', 'n must be an integer, got 2.5'],
    [{ tau: 'x' }, 'ERR_INVALID_TYPE', 'tau', 'tau must be a number, got "x"'],
    [{ tau: NaN }, 'ERR_INVALID_TYPE', 'tau', 'tau must be a finite number, got NaN'],
    [{ irreversibility: 2 }, 'ERR_OUT_OF_RANGE', 'irreversibility', 'irreversibility must be ≤ 1, got 2'],
    [{ grid: { tau: [10, -1] } }, 'ERR_OUT_OF_RANGE', 'grid.tau[1]', 'grid.tau[1] must be > 0, got -1'],
    [
      { grid: { tau: [] } },
      'ERR_OUT_OF_RANGE',
      'grid.tau',
      'grid.tau must be an array of at least 1 item(s), got an array of length 0',
    ],
    [{ grid: { foo: [1] } }, 'ERR_INVALID_INPUT', 'grid.foo', 'grid.foo is not a known option'],
    [{ bogus: 1 }, 'ERR_INVALID_INPUT', 'bogus', 'bogus is not a known option'],
    [{ costLo: 0.5, costHi: 0.4 }, 'ERR_OUT_OF_RANGE', 'costHi', 'costHi must be > costLo = 0.5, got 0.4'],
    [
      { seed: 1.5 },
      'ERR_INVALID_TYPE',
      'seed',
      'seed must be a non-negative integer or a non-empty string, got 1.5',
    ],
    [
      { sequentialOrder: 'random' },
      'ERR_OUT_OF_RANGE',
      'sequentialOrder',
      'sequentialOrder must be one of "small-first", "large-first", got "random"',
    ],
    [5, 'ERR_INVALID_TYPE', 'options', 'options must be an object, got 5'],
  ];
  it.each(cases)('%j → %s', (input, code, field, message) => {
    let err: unknown;
    try {
      parseContributionOptions(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MechlabError);
    expect(err).toMatchObject({ code, field, message });
  });

  it('applies defaults: seed 1, 500 replicates, ±3 SE bands, the τ sweep unless τ or a grid is given', () => {
    const o = parseContributionOptions({});
    expect(o).toMatchObject({ seed: 1, replicates: 500, band: '3se', params: {} });
    expect(o.grid.tau).toEqual([5, 10, 15, 20, 25, 30]);
    expect(parseContributionOptions({ tau: 12 }).grid).toEqual({});
    expect(parseContributionOptions({ grid: { shockProb: [0, 0.1] } }).grid).toEqual({ shockProb: [0, 0.1] });
  });
});

describe('runContributionCommand, table and figure', () => {
  // τ = 30 with frequent shocks: the simultaneous protocol never crosses ⇒ empty cost-given-crossing
  const res = runContributionCommand({ seed: 3, replicates: 30, grid: { tau: [10, 30] }, shockProb: 0.08 });

  it('returns rows, an aligned table and a NaN-free SVG', () => {
    expect(res.rows).toHaveLength(6);
    const lines = res.table.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]!.startsWith('point  tau  mechanism')).toBe(true);
    expect(new Set(lines.slice(2).map((l) => l.indexOf('±'))).size).toBe(1); // aligned columns
    const noCross = res.rows.find((r) => r.metrics.costIfCrossed.n === 0);
    expect(noCross).toBeDefined();
    expect(res.table).toContain('—');
    expect(res.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(res.svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const bad of ['NaN', 'Infinity', 'undefined']) expect(res.svg).not.toContain(bad);
    for (const t of ['Crossing probability', 'Total cost', 'Leakage', 'Participation', 'threshold τ']) {
      expect(res.svg).toContain(t);
    }
  });

  it('figure options: band kinds, explicit x, and a helpful error for a bad x', () => {
    const none = contributionFigure(res.rows, { band: 'none' });
    expect(none).not.toContain('fill-opacity="0.18"');
    expect(contributionFigure(res.rows, { band: '3sd' })).toContain('±3σ');
    expect(contributionFigure(res.rows, { x: 'shockProb' })).toContain('shock probability π');
    expect(() => contributionFigure(res.rows, { x: 'bogus' as 'tau' })).toThrow(MechlabError);
    expect(contributionFigure([])).not.toContain('NaN');
    expect(contributionTable([]).split('\n')[0]).toBe(
      'point  mechanism  n  crossing  totalCost  leakage  participants  supply  costIfCrossed',
    );
  });
});

/** Progress reporting (bar on a TTY, JSONL with --json) and the figure data of Figures 1–3. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  loadSweepSpec,
  progressReporter,
  readAggregates,
  runSweep,
  type AggregateRow,
  type FigureRenderer,
} from '../src';
import { figureData } from '../src/figure';
import { formatBar, rateAndEta, type SweepProgress } from '../src/progress';
import { type Experiment } from '@mechlab/core';
import { ccsRandomGraph } from '@mechlab/ccs';

const ccs = ccsRandomGraph as unknown as Experiment;

/**
 * The engine draws nothing itself: it hands the figure data to the renderer it is given (the CLI's
 * draws with @mechlab/plot, tested in apps/cli). This one lists the series, enough to see the hook.
 */
const listRenderer: FigureRenderer = (fig) => ({
  svg: `<svg xmlns="http://www.w3.org/2000/svg">${fig.panels.map((p) => p.series.map((x) => x.label).join('|')).join(';')}</svg>`,
});
import { cleanup, tmpDir } from './helpers';
import { CATALOGUE, EXPERIMENTS } from './fixtures/experiments';

const p = (done: number, elapsedMs: number, skipped = 0): SweepProgress => ({
  done,
  total: 1000,
  skipped,
  tasksDone: done / 10,
  tasksTotal: 100,
  elapsedMs,
});

describe('progress', () => {
  it('rate excludes instances skipped by --resume; ETA follows', () => {
    expect(rateAndEta(p(600, 2000, 200))).toEqual({ rate: 200, eta: 2 });
    expect(rateAndEta(p(200, 0, 200))).toEqual({ rate: 0, eta: null });
    expect(rateAndEta(p(1000, 5000))).toEqual({ rate: 200, eta: 0 });
  });

  it('draws a bar with percentage, counts, rate and ETA', () => {
    expect(formatBar(p(250, 1000), 8)).toBe('[##------]  25% 250/1000 inst  250/s  ETA 3.0s');
  });

  it('JSONL mode: throttled progress lines, the final one always, then the summary', () => {
    let t = 0;
    const lines: string[] = [];
    const r = progressReporter({ json: true, write: (s) => lines.push(s), now: () => t });
    r.onProgress(p(0, 0));
    t = 10;
    r.onProgress(p(100, 10)); // throttled (< 1 s since the last line)
    t = 1500;
    r.onProgress(p(500, 1500));
    t = 1600;
    r.onProgress(p(1000, 1600)); // final: always written
    r.finish({ status: 'complete', out: '/x' });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { type: 'progress', done: 0, total: 1000, rate: 0, eta: null },
      { type: 'progress', done: 500, total: 1000, rate: 333.3, eta: 1.5 },
      { type: 'progress', done: 1000, total: 1000, rate: 625, eta: 0 },
      { type: 'summary', status: 'complete', out: '/x' },
    ]);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('TTY mode redraws one line in place and ends it before the summary', () => {
    let out = '';
    const r = progressReporter({ isTty: true, write: (s) => (out += s), intervalMs: 0, width: 4 });
    r.onProgress(p(500, 1000));
    r.onProgress(p(1000, 2000));
    r.finish({ status: 'complete', out: '/x', instances: { done: 1000 }, elapsedMs: 2000, warnings: ['w'] });
    expect(out).toBe(
      '\r[##--]  50% 500/1000 inst  500/s  ETA 1.0s\x1b[K' +
        '\r[####] 100% 1000/1000 inst  500/s  ETA 0.0s\x1b[K\n' +
        'sweep complete: 1000 instances in 2.0s → /x\nwarning: w\n',
    );
  });

  it('non-TTY, non-JSON mode writes only the summary line', () => {
    let out = '';
    const r = progressReporter({ isTty: false, write: (s) => (out += s) });
    r.onProgress(p(1000, 2000));
    r.finish({ status: 'complete', out: '/x', instances: { done: 1000 }, elapsedMs: 2000 });
    expect(out).toBe('sweep complete: 1000 instances in 2.0s → /x\n');
  });
});

describe('figures', () => {
  let d: string;
  beforeAll(() => {
    d = tmpDir('fig');
  });
  afterAll(() => cleanup(d));

  it('a preset run writes figure.json in the layout of Figures 1–3 and hands it to the renderer', async () => {
    const spec = await loadSweepSpec('ccs-vary-p', CATALOGUE, { replicates: 12 });
    // Default `workers`: a sweep this small (≪ 1 s of work) runs inline instead of starting threads.
    const s = await runSweep(spec, { experiments: EXPERIMENTS, out: d, render: listRenderer });
    expect(s.workers).toBe(0);
    expect(s.warnings).toEqual([]);
    const fig = figureData(readAggregates(d), spec, ccs);
    expect(JSON.parse(fs.readFileSync(path.join(d, 'figure.json'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(fig)),
    );
    expect(fig.xLabel).toBe('edge probability ρ');
    expect(fig.xScale).toBe('linear');
    expect(fig.panels.map((x) => x.id)).toEqual(['welfare', 'active']);
    const [welfare, active] = fig.panels;
    expect(welfare!.series.map((x) => x.label)).toEqual(['Greedy Cost Selection', 'Equal Allocation']);
    expect(welfare!.series[0]!.x).toEqual([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9]);
    expect(welfare!.series[0]!.count).toEqual([12, 12, 12, 12, 12, 12, 12]);
    for (const panel of [welfare!, active!]) {
      expect(panel.prediction!.label).toBe('Corollary 13 prediction');
      for (const series of panel.series) {
        series.mean.forEach((m, i) => {
          expect(series.lo[i]).toBeLessThanOrEqual(m);
          expect(series.hi[i]).toBeGreaterThanOrEqual(m);
        });
      }
    }
    // GCS activates at least as many players as Equal Allocation on average (seed 004 §6.1).
    active!.series[0]!.mean.forEach((m, i) => expect(m).toBeGreaterThanOrEqual(active!.series[1]!.mean[i]!));
    const svg = fs.readFileSync(path.join(d, 'figure.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Greedy Cost Selection|Equal Allocation;');
    expect(fs.existsSync(path.join(d, 'figure.png'))).toBe(false);
  }, 30_000);

  it('splits series by the other grid axes and uses a log axis for wide positive ranges', () => {
    const row = (point: number, n: number, rho: number, algo: string, mean: number): AggregateRow => ({
      point,
      coords: { n, rho },
      algo,
      metric: 'welfare',
      count: 5,
      mean,
      std: 1,
      lo3: mean - 3,
      hi3: mean + 3,
      min: 0,
      max: 9,
      prediction: 2 * n,
    });
    const spec = {
      version: 1 as const,
      experiment: 'ccs.random-graph',
      name: 'two-axes',
      grid: { n: [10, 1000], rho: [0.1, 0.2] },
      params: {},
      replicates: 5,
      seed: 1,
    };
    const rows = [
      row(3, 1000, 0.2, 'gcs', 4),
      row(0, 10, 0.1, 'gcs', 1),
      row(1, 10, 0.2, 'gcs', 2),
      row(2, 1000, 0.1, 'gcs', 3),
    ];
    const fig = figureData(rows, spec, ccs);
    expect(fig.xScale).toBe('log');
    expect(fig.panels[0]!.series.map((s) => [s.label, s.x, s.mean])).toEqual([
      ['Greedy Cost Selection (rho=0.1)', [10, 1000], [1, 3]],
      ['Greedy Cost Selection (rho=0.2)', [10, 1000], [2, 4]],
    ]);
    // A prediction line is only meaningful when x is the only varying axis.
    expect(fig.panels[0]!.prediction).toBeUndefined();
    // A declared metric range clips the drawn band (not the aggregates): here welfare ∈ [1.5, 3].
    const clipped = figureData(rows, spec, { ...ccs, bounds: { welfare: [1.5, 3] } });
    expect(clipped.panels[0]!.series.map((x) => [x.lo, x.mean, x.hi])).toEqual([
      [
        [1.5, 1.5],
        [1, 3],
        [3, 3],
      ],
      [
        [1.5, 1.5],
        [2, 4],
        [3, 3],
      ],
    ]);
    expect(figureData(rows, spec, ccs, { x: 'rho' }).xLabel).toBe('edge probability ρ');
    expect(() => figureData(rows, spec, ccs, { x: 'wMax' })).toThrow(/x must be a grid axis/);
  });
});

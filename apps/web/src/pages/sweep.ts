/**
 * Sweep explorer: open a `mechlab sweep` output folder (manifest.json + aggregates.csv) and see its
 * figure, or run a small `ccs.random-graph` sweep here on navigator.hardwareConcurrency workers with the
 * CLI's seeding — its rows.csv and aggregates.csv are byte-identical to `mechlab sweep`'s.
 */
import { MechlabError } from '@mechlab/core';
import { SMALL_SWEEP_SPEC } from '../examples';
import { AGGREGATE_NUMBER_COLUMNS, parseAggregates, parseManifest } from '@mechlab/sweep/spec';
import { sweepFigureSvg } from '../sweep/figure';
import type { AggregateRow, SweepFiles } from '../sweep/results';
import { runSweep, type SweepRun } from '../sweep/run';
import { parseSweepSpec, type SweepSpec } from '../sweep/spec';
import { dropZone, errorBox, field, fmt, h, input } from '../ui';

export function sweepPage(root: HTMLElement, params: URLSearchParams): void {
  const opened = h('section', { class: 'results', 'data-testid': 'opened' });
  const drop = dropZone(
    'output-files',
    'Drop manifest.json + aggregates.csv (or a whole output folder), or pick them:',
    (files) => void openOutput(files, opened),
    { multiple: true, directory: true },
  );

  const specText = h('textarea', { 'data-testid': 'spec', rows: 9, cols: 70, spellcheck: 'false' });
  specText.value = prettySpec(params.get('spec')) ?? JSON.stringify(SMALL_SWEEP_SPEC, null, 1);
  const hw = Math.max(1, navigator.hardwareConcurrency || 1);
  const workers = input('workers', params.get('workers') ?? String(hw), {
    type: 'number',
    min: '1',
    max: '64',
  });
  const runButton = h('button', { type: 'button', 'data-testid': 'run' }, 'Run sweep');
  const cancelButton = h('button', { type: 'button', 'data-testid': 'cancel', disabled: true }, 'Cancel');
  const progress = h('progress', { 'data-testid': 'progress', max: 1, value: 0 });
  const progressText = h('span', { 'data-testid': 'progress-text' }, '');
  const status = h('p', { 'data-testid': 'sweep-status' }, 'idle');
  const ran = h('section', { class: 'results', 'data-testid': 'ran' });
  let current: SweepRun | undefined;

  runButton.addEventListener('click', () => {
    ran.replaceChildren();
    let plan;
    try {
      let doc: unknown;
      try {
        doc = JSON.parse(specText.value);
      } catch (e) {
        throw new MechlabError('ERR_INVALID_INPUT', `spec: not valid JSON (${(e as Error).message})`, 'spec');
      }
      plan = parseSweepSpec(doc);
    } catch (e) {
      status.textContent = 'failed';
      ran.replaceChildren(errorBox((e as Error).message));
      return;
    }
    const t0 = performance.now();
    const w = Math.max(1, Math.floor(Number(workers.value)) || 1);
    status.textContent = 'running';
    runButton.disabled = true;
    cancelButton.disabled = false;
    current = runSweep(plan, w, (done, total) => {
      progress.max = total;
      progress.value = done;
      progressText.textContent = `${done} / ${total} tasks`;
    });
    const spec = plan.spec;
    current.done
      .then((files) => {
        status.textContent = 'done';
        ran.replaceChildren(...renderRun(files, spec, performance.now() - t0, w));
      })
      .catch((e: unknown) => {
        const msg = (e as Error).message;
        status.textContent = msg === 'cancelled' ? 'cancelled' : 'failed';
        if (msg !== 'cancelled') ran.replaceChildren(errorBox(msg));
      })
      .finally(() => {
        runButton.disabled = false;
        cancelButton.disabled = true;
        current = undefined;
      });
  });
  cancelButton.addEventListener('click', () => current?.cancel());

  root.replaceChildren(
    h('h1', {}, 'Sweep explorer'),
    h('h2', {}, 'Open a sweep output'),
    drop,
    opened,
    h('h2', {}, 'Run a small sweep in the browser'),
    h(
      'p',
      { class: 'lede' },
      'A ',
      h('code', {}, 'mechlab sweep'),
      ' spec (experiment ccs.random-graph). Instance r of a point draws from Rng.fromPath([seed, experiment, point, r]), as in the CLI, so the files equal the CLI’s for any worker count.',
    ),
    h(
      'form',
      { class: 'controls', onsubmit: (ev: Event) => ev.preventDefault() },
      specText,
      h('div', { class: 'row' }, field('workers', workers), runButton, cancelButton, progress, progressText),
    ),
    status,
    ran,
  );
  if (params.get('run') === '1') runButton.click();
}

async function openOutput(files: File[], target: HTMLElement): Promise<void> {
  const byName = new Map(files.map((f) => [f.name, f]));
  try {
    const manifest = byName.get('manifest.json');
    const agg = byName.get('aggregates.csv');
    if (!manifest || !agg) {
      const missing = [!manifest ? 'manifest.json' : '', !agg ? 'aggregates.csv' : '']
        .filter(Boolean)
        .join(' and ');
      throw new MechlabError(
        'ERR_INVALID_INPUT',
        `files must include manifest.json and aggregates.csv; missing ${missing}`,
        'files',
      );
    }
    const spec = parseManifest(await manifest.text()).spec;
    const rows = parseAggregates(await agg.text(), spec);
    target.replaceChildren(h('p', { 'data-testid': 'status' }, 'done'), ...renderAggregates(rows, spec));
  } catch (e) {
    target.replaceChildren(h('p', { 'data-testid': 'status' }, 'failed'), errorBox((e as Error).message));
  }
}

function renderAggregates(rows: readonly AggregateRow[], spec: SweepSpec): HTMLElement[] {
  const axes = Object.keys(spec.grid);
  const fig = h('div', { class: 'figure', 'data-testid': 'figure' });
  fig.innerHTML = sweepFigureSvg(rows, spec);
  const cols = AGGREGATE_NUMBER_COLUMNS;
  const table = h(
    'table',
    { class: 'numbers', 'data-testid': 'aggregates' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'point'),
        ...axes.map((a) => h('th', {}, a)),
        h('th', {}, 'algo'),
        h('th', {}, 'metric'),
        ...cols.map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r, i) =>
        h(
          'tr',
          {},
          h('td', {}, String(r.point)),
          ...axes.map((a) => h('td', {}, String(r.coords[a]))),
          h('td', {}, r.algo),
          h('td', {}, r.metric),
          ...cols.map((c) =>
            h(
              'td',
              { 'data-testid': `agg-${i}-${c}` },
              c === 'count' ? String(r[c]) : Number.isNaN(r[c]) ? '' : fmt(r[c]),
            ),
          ),
        ),
      ),
    ),
  );
  return [fig, h('details', {}, h('summary', {}, `aggregates (${rows.length} rows)`), table)];
}

function renderRun(files: SweepFiles, spec: SweepSpec, ms: number, workers: number): HTMLElement[] {
  const link = (name: string, text: string): HTMLElement =>
    h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: name }, name);
  return [
    h(
      'p',
      {},
      `${spec.replicates} instances × ${Object.values(spec.grid).reduce((a, v) => a * v.length, 1)} points on ${workers} workers in `,
      h('span', { 'data-testid': 'sweep-ms' }, fmt(ms)),
      ' ms · ',
      link('rows.csv', files.rowsCsv),
      ' · ',
      link('aggregates.csv', files.aggregatesCsv),
    ),
    ...renderAggregates(files.aggregates, spec),
    h(
      'details',
      {},
      h('summary', {}, 'aggregates.csv'),
      h('pre', { 'data-testid': 'aggregates-csv' }, files.aggregatesCsv),
    ),
    h(
      'pre',
      { 'data-testid': 'rows-csv', hidden: true },
      files.rowsCsv.length <= 4_000_000 ? files.rowsCsv : '',
    ),
  ];
}

/** A spec from a deep link, pretty-printed when it is valid JSON (as given otherwise, to show its error). */
function prettySpec(text: string | null): string | undefined {
  if (text === null) return undefined;
  try {
    return JSON.stringify(JSON.parse(text), null, 1);
  } catch {
    return text;
  }
}

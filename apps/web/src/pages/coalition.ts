/**
 * Coalition calculator (seed 002): the Shapley value of a characteristic-function or max-pooling game,
 * or the MPW value of a partition-function game, exact or sampled — exactly `mechlab shapley|mpw`.
 */
import { computeWorker } from '../client';
import { GAME_EXAMPLES } from '../examples';
import type { CoalitionResult } from '../protocol';
import { dropZone, errorBox, field, fmt, h, input, out, select, setHash } from '../ui';

export function coalitionPage(root: HTMLElement, params: URLSearchParams): void {
  const example = select(
    'example',
    [...Object.keys(GAME_EXAMPLES), 'typed'],
    params.get('example') ?? 'game-cff',
  );
  const value = select('value', ['shapley', 'mpw'], params.get('value') ?? 'shapley');
  const method = select('method', ['exact', 'sample'], params.get('method') ?? 'exact');
  const samples = input('samples', params.get('samples') ?? '1000', { type: 'number', min: '2' });
  const seed = input('seed', params.get('seed') ?? '0', { type: 'number', min: '0' });
  const text = h('textarea', { 'data-testid': 'game', rows: 10, cols: 70, spellcheck: 'false' });
  const results = h('section', { class: 'results', 'data-testid': 'results' });
  const fill = (): void => {
    const g = GAME_EXAMPLES[example.value];
    if (g !== undefined) text.value = JSON.stringify(g, null, 1);
  };
  example.addEventListener('change', fill);
  fill();
  text.addEventListener('input', () => (example.value = 'typed'));

  const drop = dropZone('file', 'Drop a game JSON here, or pick one:', (files) => {
    void files[0]?.text().then((t) => {
      text.value = t;
      example.value = 'typed';
      void compute();
    });
  });

  async function compute(): Promise<void> {
    results.replaceChildren(h('p', { 'data-testid': 'status' }, 'computing…'));
    let game: unknown;
    try {
      game = JSON.parse(text.value);
    } catch (e) {
      results.replaceChildren(
        h('p', { 'data-testid': 'status' }, 'failed'),
        errorBox(`game: not valid JSON (${(e as Error).message})`),
      );
      return;
    }
    try {
      const r = await computeWorker().run({
        kind: 'coalition',
        game,
        value: value.value as 'shapley' | 'mpw',
        method: method.value as 'exact' | 'sample',
        samples: Number(samples.value),
        seed: Number(seed.value),
      });
      results.replaceChildren(...render(r));
    } catch (e) {
      results.replaceChildren(h('p', { 'data-testid': 'status' }, 'failed'), errorBox((e as Error).message));
    }
  }

  const go = h('button', { type: 'button', 'data-testid': 'compute' }, 'Compute');
  go.addEventListener('click', () => {
    if (example.value === 'typed') return void compute();
    const p: Record<string, string> = { example: example.value, value: value.value, method: method.value };
    if (method.value === 'sample') Object.assign(p, { samples: samples.value, seed: seed.value });
    if (!setHash('coalition', p)) void compute();
  });

  root.replaceChildren(
    h('h1', {}, 'Coalition calculator'),
    h(
      'p',
      { class: 'lede' },
      'Revenue sharing among LLM providers (seed 002): Shapley value or MPW value per player. Same computation as ',
      h('code', {}, 'mechlab shapley'),
      ' / ',
      h('code', {}, 'mechlab mpw'),
      ', in a Web Worker.',
    ),
    h(
      'form',
      { class: 'controls', onsubmit: (ev: Event) => ev.preventDefault() },
      h(
        'div',
        { class: 'row' },
        field('game', example),
        field('value', value),
        field('method', method),
        field('samples', samples),
        field('seed', seed),
        go,
      ),
      text,
      drop,
    ),
    results,
  );
  if (params.has('example') || params.has('value')) void compute();
}

function render(r: CoalitionResult): HTMLElement[] {
  let total = 0;
  for (const v of r.values) total += v;
  return [
    h('p', { 'data-testid': 'status' }, 'done'),
    h(
      'table',
      { class: 'numbers' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'player'), h('th', {}, 'value'), r.stderr ? h('th', {}, 'std. error') : null),
      ),
      h(
        'tbody',
        {},
        ...r.values.map((v, i) =>
          h(
            'tr',
            {},
            h('td', {}, String(i)),
            h('td', {}, out(`value-${i}`, fmt(v))),
            r.stderr ? h('td', {}, out(`stderr-${i}`, fmt(r.stderr[i]!))) : null,
          ),
        ),
        h(
          'tr',
          { class: 'total' },
          h('td', {}, 'Σ'),
          h('td', {}, out('total', fmt(total))),
          r.stderr ? h('td', {}) : null,
        ),
      ),
    ),
    h('p', {}, 'time (ms) ', out('time-ms', fmt(r.ms))),
    h(
      'details',
      {},
      h('summary', {}, 'JSON (as the CLI prints it with --json)'),
      h(
        'pre',
        { 'data-testid': 'raw' },
        JSON.stringify(r.stderr ? { values: r.values, stderr: r.stderr } : { values: r.values }),
      ),
    ),
  ];
}

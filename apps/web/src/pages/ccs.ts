/**
 * CCS designer: an instance (example, random, or a dropped `ccs-instance` file) → a Provisional
 * Allocation by the chosen algorithm and backend → the greatest equilibrium, exactly `mechlab solve ccs`.
 */
import type { Edge } from '@mechlab/ccs';
import { ComputeError, computeWorker } from '../client';
import { CCS_EXAMPLES } from '../examples';
import type { Algo, Backend, CcsResult } from '../protocol';
import { dropZone, errorBox, field, fmt, h, input, out, select, setHash } from '../ui';

const ALGOS: readonly Algo[] = ['exact', 'gcs', 'nsr', 'hop', 'equal'];
const BACKENDS: readonly Backend[] = ['ts', 'wasm'];
const SOURCES = [...Object.keys(CCS_EXAMPLES), 'random', 'file'];

export function ccsPage(root: HTMLElement, params: URLSearchParams): void {
  const source = select('example', SOURCES, params.get('example') ?? 'ccs-small');
  const algo = select('algo', ALGOS, params.get('algo') ?? 'gcs');
  const backend = select('backend', BACKENDS, params.get('backend') ?? 'wasm');
  const delta = input('delta', params.get('delta') ?? '0.01', { type: 'number', step: '0.001', min: '0' });
  const n = input('n', params.get('n') ?? '30', { type: 'number', min: '1' });
  const rho = input('rho', params.get('rho') ?? '0.1', { type: 'number', step: '0.01', min: '0', max: '1' });
  const seed = input('seed', params.get('seed') ?? '1', { type: 'number', min: '0' });
  const results = h('section', { class: 'results', 'data-testid': 'results' });
  let fileDoc: { name: string; doc: unknown } | undefined;

  const randomBox = h('div', { class: 'row' }, field('n', n), field('ρ', rho), field('seed', seed));
  const showRandom = (): void => void (randomBox.hidden = source.value !== 'random');
  source.addEventListener('change', showRandom);
  showRandom();

  const drop = dropZone('file', 'Drop a ccs-instance JSON here, or pick one:', (files) => {
    const f = files[0];
    if (!f) return;
    void f.text().then((text) => {
      source.value = 'file';
      showRandom();
      try {
        fileDoc = { name: f.name, doc: JSON.parse(text) as unknown };
      } catch (e) {
        results.replaceChildren(
          errorBox(`instance: ${JSON.stringify(f.name)} is not valid JSON (${(e as Error).message})`),
        );
        return;
      }
      void solve();
    });
  });

  const solveButton = h('button', { 'data-testid': 'solve', type: 'button' }, 'Solve');
  solveButton.addEventListener('click', () => {
    if (source.value === 'file') return void solve();
    const p: Record<string, string> = { example: source.value, algo: algo.value, backend: backend.value };
    if (delta.value !== '0.01') p['delta'] = delta.value;
    if (source.value === 'random') Object.assign(p, { n: n.value, rho: rho.value, seed: seed.value });
    if (!setHash('ccs', p)) void solve();
  });

  async function instanceDoc(): Promise<unknown> {
    if (source.value === 'file') {
      if (!fileDoc)
        throw new ComputeError({
          message: 'instance: drop or pick a ccs-instance file first',
          field: 'instance',
        });
      return fileDoc.doc;
    }
    if (source.value === 'random') {
      const r = await computeWorker().run({
        kind: 'random-ccs',
        n: Number(n.value),
        rho: Number(rho.value),
        seed: Number(seed.value),
      });
      return r.instance;
    }
    return CCS_EXAMPLES[source.value];
  }

  async function solve(): Promise<void> {
    results.replaceChildren(h('p', { 'data-testid': 'status' }, 'computing…'));
    try {
      const doc = await instanceDoc();
      const r = await computeWorker().run({
        kind: 'ccs',
        instance: doc,
        algo: algo.value as Algo,
        backend: backend.value as Backend,
        delta: Number(delta.value),
      });
      results.replaceChildren(...renderResult(r, doc));
    } catch (e) {
      results.replaceChildren(h('p', { 'data-testid': 'status' }, 'failed'), errorBox((e as Error).message));
    }
  }

  root.replaceChildren(
    h('h1', {}, 'CCS designer'),
    h(
      'p',
      { class: 'lede' },
      'Content Creation with Spillovers (seed 004): design a Provisional Allocation p with an algorithm, then play the greatest equilibrium. Same computation as ',
      h('code', {}, 'mechlab solve ccs'),
      ', in a Web Worker.',
    ),
    h(
      'form',
      { class: 'controls', onsubmit: (ev: Event) => ev.preventDefault() },
      h(
        'div',
        { class: 'row' },
        field('instance', source),
        field('algorithm', algo),
        field('backend', backend),
        field('δ', delta),
        solveButton,
      ),
      randomBox,
      drop,
    ),
    results,
  );
  if (params.has('example') || params.has('algo')) void solve();
}

function renderResult(r: CcsResult, doc: unknown): HTMLElement[] {
  const j = r.json;
  const activeSet = new Set(j.active);
  const rows = j.p.map((p, i) =>
    h(
      'tr',
      { class: activeSet.has(i) ? 'active' : '' },
      h('td', {}, String(i)),
      h('td', {}, out(`p-${i}`, fmt(p))),
      h('td', {}, out(`effort-${i}`, fmt(j.efforts[i]!))),
      h('td', {}, activeSet.has(i) ? 'yes' : 'no'),
    ),
  );
  return [
    h('p', { 'data-testid': 'status' }, 'done'),
    h(
      'dl',
      { class: 'summary' },
      h('dt', {}, 'algorithm'),
      h('dd', {}, out('algo', j.algo)),
      h('dt', {}, 'backend that ran'),
      h('dd', {}, out('backend', j.backend)),
      h('dt', {}, 'social welfare'),
      h('dd', {}, out('welfare', fmt(j.welfare))),
      h('dt', {}, 'active players'),
      h(
        'dd',
        {},
        out('active-count', String(j.active.length)),
        ` of ${r.n}: `,
        out('active', j.active.join(' ')),
      ),
      h('dt', {}, 'Σp'),
      h('dd', {}, out('sum-p', fmt(r.sumP))),
      h('dt', {}, 'time (ms)'),
      h('dd', {}, out('time-ms', fmt(r.ms))),
    ),
    h(
      'div',
      { class: 'split' },
      graphSvg(r.n, r.edges, activeSet),
      r.n <= 200
        ? h(
            'table',
            { class: 'numbers' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'i'),
                h('th', {}, 'p_i'),
                h('th', {}, 'effort x_i'),
                h('th', {}, 'active'),
              ),
            ),
            h('tbody', {}, ...rows),
          )
        : h('p', {}, `${r.n} players: see the JSON below`),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'JSON (as mechlab solve ccs --json prints it)'),
      h('pre', { 'data-testid': 'raw' }, JSON.stringify(j)),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'instance (ccs-instance JSON, for mechlab solve ccs --instance)'),
      h('pre', { 'data-testid': 'instance-json' }, JSON.stringify(doc)),
    ),
  ];
}

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The spillover graph on a circle: edge j → i when j's effort raises i's quality; active players filled. */
function graphSvg(n: number, edges: readonly Edge[], active: ReadonlySet<number>): Element {
  if (n > 300) return h('p', { class: 'graph' }, `graph not drawn for n = ${n} > 300`);
  const size = 360;
  const c = size / 2;
  const rad = size / 2 - 30;
  const pos = (i: number): [number, number] => {
    const a = (2 * Math.PI * i) / n - Math.PI / 2;
    return [c + rad * Math.cos(a), c + rad * Math.sin(a)];
  };
  const svg = svgEl('svg', {
    viewBox: `0 0 ${size} ${size}`,
    width: size,
    height: size,
    class: 'graph',
    'data-testid': 'graph',
  });
  const defs = svgEl('defs', {});
  const marker = svgEl('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 18,
    refY: 5,
    markerWidth: 5,
    markerHeight: 5,
    orient: 'auto',
  });
  marker.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#888' }));
  defs.append(marker);
  svg.append(defs);
  let wMax = 0;
  for (const e of edges) wMax = Math.max(wMax, e[2]);
  for (const [from, to, w] of edges) {
    const [x1, y1] = pos(from);
    const [x2, y2] = pos(to);
    svg.append(
      svgEl('line', {
        x1,
        y1,
        x2,
        y2,
        stroke: '#888',
        'stroke-opacity': 0.25 + 0.75 * (wMax > 0 ? w / wMax : 1),
        'marker-end': 'url(#arrow)',
      }),
    );
  }
  const r = n <= 40 ? 11 : 5;
  for (let i = 0; i < n; i++) {
    const [x, y] = pos(i);
    const on = active.has(i);
    svg.append(
      svgEl('circle', {
        cx: x,
        cy: y,
        r,
        fill: on ? '#1b7837' : '#fff',
        stroke: on ? '#1b7837' : '#666',
        'stroke-width': 1.5,
      }),
    );
    if (n <= 40) {
      const t = svgEl('text', {
        x,
        y: y + 4,
        'text-anchor': 'middle',
        'font-size': 10,
        fill: on ? '#fff' : '#333',
      });
      t.textContent = String(i);
      svg.append(t);
    }
  }
  return svg;
}

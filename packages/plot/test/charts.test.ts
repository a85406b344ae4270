import { lineChart, scatterChart } from '@mechlab/plot';
import { linearTicks, logTicks } from '../src/scale';
import { escapeXml } from '../src/svg';
import { PALETTE } from '../src/palette';
import type { LineChartSpec } from '../src/line';
import type { ScatterChartSpec } from '../src/scatter';
import { checkWellFormed } from './xml';

const x = [2, 4, 8, 16, 32, 64];
const figure: LineChartSpec = {
  title: 'Figure 1 — varying n',
  panels: [
    {
      title: 'Social welfare',
      xLabel: 'n',
      yLabel: 'welfare',
      xScale: 'log',
      series: [
        {
          name: 'GCS',
          x,
          y: [1, 2, 3, 4, 5, 6],
          lo: [0.5, 1.5, 2.5, 3, 4, 5],
          hi: [1.5, 2.5, 3.5, 4.5, 6, 7],
        },
        { name: 'Equal Allocation', x, y: [0.5, 1, 1.2, 1.5, 1.7, 2] },
        { name: 'prediction', x, y: x.map(Math.log2), style: 'dashed', color: '#555555' },
      ],
    },
    {
      title: 'Active players',
      xLabel: 'n',
      yLabel: 'active',
      xScale: 'log',
      series: [
        { name: 'GCS', x, y: [1, 2, 3, 4, 5, 6] },
        { name: 'Equal Allocation', x, y: [1, 1, 2, 2, 2, 3] },
      ],
    },
  ],
};

function numbersIn(attrs: readonly string[]): number[] {
  const out: number[] = [];
  for (const a of attrs) {
    let tok = '';
    for (const ch of a + ' ') {
      if ((ch >= '0' && ch <= '9') || ch === '.' || ch === '-') tok += ch;
      else {
        if (tok !== '' && tok !== '-' && tok !== '.') out.push(Number(tok));
        tok = '';
      }
    }
  }
  return out;
}

describe('lineChart', () => {
  it('emits well-formed SVG with one clip region, band, lines and markers per panel', () => {
    const svg = lineChart(figure);
    const r = checkWellFormed(svg);
    expect(r.root).toBe('svg');
    expect(r.tags.clipPath).toBe(2);
    expect(r.text).toEqual(
      expect.arrayContaining(['Figure 1 — varying n', 'Social welfare', 'GCS', 'prediction']),
    );
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain(`fill="${PALETTE[0]}" fill-opacity="0.18"`);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="760" height="')).toBe(true);
    // every number in every attribute is finite
    expect(numbersIn(r.attributes).every(Number.isFinite)).toBe(true);
  });

  it('is deterministic: same spec ⇒ byte-identical output', () => {
    const a = lineChart(figure);
    const b = lineChart(JSON.parse(JSON.stringify(figure)) as LineChartSpec);
    expect(b).toBe(a);
  });

  it('skips NaN, ±Infinity, nulls and non-positive log values without emitting NaN', () => {
    const svg = lineChart({
      panels: [
        {
          xScale: 'log',
          yScale: 'log',
          series: [
            {
              name: 'gaps',
              x: [1, 2, NaN, 4, 8, 16],
              y: [1, NaN, 3, Infinity, 0, -2],
              lo: [NaN, 1, 1, 1, 1, 1],
              hi: [2, 2, 2, 2, 2, 2],
            },
            { name: 'empty', x: [], y: [] },
            { name: 'all-nan', x: [NaN, NaN], y: [NaN, NaN] },
            { name: 'json-nulls', x: [1, 2, 3], y: [null, 2, null] as unknown as number[] },
          ],
        },
      ],
    });
    checkWellFormed(svg);
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
    expect(svg).not.toContain('undefined');
  });

  it('renders a panel with no series at all (default axes)', () => {
    const svg = lineChart({ panels: [{ title: 'nothing yet', series: [] }] });
    checkWellFormed(svg);
    expect(svg).not.toContain('NaN');
  });

  it('escapes text and attribute content', () => {
    const svg = lineChart({
      title: '<b>&"quotes"\'</b>\u0001',
      panels: [{ xLabel: 'a < b', series: [{ name: 'x & y', x: [1, 2], y: [1, 2], color: '"red"' }] }],
    });
    const r = checkWellFormed(svg);
    expect(r.text).toContain('<b>&"quotes"\'</b>');
    expect(r.text).toContain('a < b');
    expect(r.text).toContain('x & y');
    expect(svg).not.toContain('\u0001');
  });

  it('validates specs with errors that name the field', () => {
    expect(() => lineChart({ panels: [] })).toThrow(
      new RangeError('panels must contain at least 1 panel, got 0'),
    );
    expect(() => lineChart({ panels: [{ series: [{ name: 'a', x: [1, 2, 3], y: [1, 2] }] }] })).toThrow(
      new RangeError('panels[0].series[0].y must have the same length as x (3), got 2'),
    );
    expect(() => lineChart({ panels: [{ xScale: 'log', xDomain: [0, 10], series: [] }] })).toThrow(
      new RangeError('panels[0].xDomain must be > 0 on a log axis, got 0'),
    );
    expect(() =>
      lineChart({ panels: [{ series: [{ name: 'a', x: [1], y: ['1'] as unknown as number[] }] }] }),
    ).toThrow(TypeError);
    expect(() => lineChart({ panels: [{ series: [] }], panelWidth: 5 })).toThrow(
      new RangeError('panelWidth must be in [120, 4000], got 5'),
    );
  });

  it('honours fixed domains, dropping ticks outside them', () => {
    const svg = lineChart({
      panels: [{ yDomain: [0, 1], series: [{ name: 'p', x: [0, 1], y: [0.2, 1.7] }] }],
    });
    const r = checkWellFormed(svg);
    // labels share the step's decimals (matplotlib style); nothing beyond the fixed y domain
    expect(r.text).toEqual(expect.arrayContaining(['0.0', '0.2', '1.0']));
    expect(r.text).not.toContain('1.2');
  });
});

describe('ticks', () => {
  it('linear ticks are nice and cover the data', () => {
    expect(linearTicks(0, 0.93)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-3.2, 17)).toEqual([-5, 0, 5, 10, 15, 20]);
    expect(linearTicks(0.1, 0.3)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    const flat = linearTicks(5, 5); // degenerate range: padded by 10% each side
    expect(flat[0]).toBeLessThan(5);
    expect(flat[flat.length - 1]).toBeGreaterThan(5);
    expect(flat).toContain(5);
    expect(linearTicks(NaN, 1)).toEqual([0, 1]);
  });

  it('log ticks sit on powers of ten, with 2× and 5× on short ranges', () => {
    expect(logTicks(3, 450)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(1, 10)).toEqual([1, 2, 5, 10]);
    expect(logTicks(0.02, 0.7)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    // Many decades: d3 thins the powers of ten (every second one here), inside the nice domain.
    expect(logTicks(1e-10, 1e5)).toEqual([1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1, 100, 1e4]);
    expect(logTicks(-1, 10)).toEqual([1, 10]);
  });

  it('a log axis labels its ticks and places them monotonically', () => {
    const svg = scatterChart({ xScale: 'log', series: [{ name: 'a', x: [10, 1e5], y: [1, 2] }] });
    const r = checkWellFormed(svg);
    expect(r.text).toEqual(expect.arrayContaining(['10', '100', '1000', '10000', '100000']));
    const xs = ['10', '100', '1000', '10000', '100000'].map((l) => {
      const at = svg.indexOf(`>${l}</text>`);
      const open = svg.lastIndexOf('<text x="', at);
      return Number(svg.slice(open + 9, svg.indexOf('"', open + 9)));
    });
    const gaps = xs.slice(1).map((v, i) => v - xs[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 1); // equal spacing per decade
  });
});

describe('scatterChart', () => {
  const spec: ScatterChartSpec = {
    title: 'Perplexity vs views',
    xLabel: 'views',
    yLabel: 'perplexity',
    xScale: 'log',
    series: [{ name: 'posts', x: [10, 200, 3000, NaN, -5, 40], y: [12, 9, 11, 3, 4, Infinity] }],
    annotation: 'Spearman ρ = −0.11',
  };

  it('draws valid points only, with the annotation, deterministically', () => {
    const svg = scatterChart(spec);
    const r = checkWellFormed(svg);
    expect(r.tags.circle).toBe(3);
    expect(r.text).toContain('Spearman ρ = −0.11');
    expect(svg).not.toContain('NaN');
    expect(scatterChart(spec)).toBe(svg);
  });

  it('shows a legend only for several series', () => {
    const one = checkWellFormed(scatterChart(spec));
    expect(one.text).not.toContain('posts');
    const two = checkWellFormed(
      scatterChart({ ...spec, series: [...spec.series, { name: 'comments', x: [5], y: [5] }] }),
    );
    expect(two.text).toEqual(expect.arrayContaining(['posts', 'comments']));
  });

  it('validates its spec', () => {
    expect(() => scatterChart({ ...spec, annotationCorner: 'middle' as 'top-left' })).toThrow(TypeError);
    expect(() => scatterChart({ ...spec, yScale: 'log', yDomain: [-1, 1] })).toThrow(
      new RangeError('spec.yDomain must be > 0 on a log axis, got -1'),
    );
  });
});

describe('escapeXml', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeXml('a < b & "c" \'d\' > e')).toBe('a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e');
    expect(escapeXml('ok\u0000\u0008\t\n\uD800x\uD83D\uDE00')).toBe('ok\t\nx\uD83D\uDE00');
  });
});

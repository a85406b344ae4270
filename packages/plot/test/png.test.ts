import { lineChart } from '@mechlab/plot';
import { svgToPng } from '../src/png';

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('svgToPng', () => {
  const svg = lineChart({
    title: 'PNG check',
    panels: [{ xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0, 1, 2], y: [0, 1, 4] }] }],
  });

  it('writes a PNG with the SVG size by default and scales to a requested width', () => {
    const png = svgToPng(svg);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    const w = Number(svg.slice(svg.indexOf('width="') + 7, svg.indexOf('"', svg.indexOf('width="') + 7)));
    const h = Number(svg.slice(svg.indexOf('height="') + 8, svg.indexOf('"', svg.indexOf('height="') + 8)));
    expect(pngSize(png)).toEqual({ width: w, height: h });
    const big = svgToPng(svg, { width: 2 * w });
    expect(pngSize(big)).toEqual({ width: 2 * w, height: 2 * h });
  });

  it('renders text (fonts found) — the image is not blank', () => {
    const plain = svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"><rect width="80" height="30" fill="#fff"/></svg>',
    );
    const withText = svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"><rect width="80" height="30" fill="#fff"/>' +
        '<text x="4" y="20" font-family="DejaVu Sans, sans-serif" font-size="14">Hello</text></svg>',
    );
    expect(withText.length).toBeGreaterThan(plain.length);
  });

  it('rejects a bad width with a RangeError naming the field', () => {
    expect(() => svgToPng(svg, { width: 0 })).toThrow(
      new RangeError('width must be an integer in [1, 16384], got 0'),
    );
    expect(() => svgToPng(svg, { width: 10.5 })).toThrow(RangeError);
  });
});

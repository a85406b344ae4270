/**
 * The CLI's sweep figure renderer, handed to `@mechlab/sweep` (which depends on no plotting library):
 * `FigureData` → `@mechlab/plot`'s `lineChart` (SVG, headless, no browser) → `svgToPng` (resvg) for the PNG.
 *
 * The PNG rasteriser lives in the separate entry point `@mechlab/plot/png` because it loads a native
 * addon; it is loaded lazily, first through the package's `exports` (built `dist/`), then from the
 * package's TypeScript source (works when this process runs under tsx). If neither loads, the SVG is
 * still written and the summary carries a warning — a figure must never fail a finished sweep.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { lineChart } from '@mechlab/plot';
import { figureChart, type FigureData, type FigureRenderer, type RenderedFigure } from '@mechlab/sweep';

type SvgToPng = (svg: string, options?: { width?: number }) => Uint8Array;

const load = createRequire(__filename);
let pngLoader: { fn?: SvgToPng; error?: string } | undefined;

function loadSvgToPng(): { fn?: SvgToPng; error?: string } {
  if (pngLoader) return pngLoader;
  const errors: string[] = [];
  const candidates = ['@mechlab/plot/png'];
  try {
    candidates.push(path.join(path.dirname(load.resolve('@mechlab/plot/package.json')), 'src', 'png.ts'));
  } catch {
    // package.json not resolvable: only the first candidate
  }
  for (const c of candidates) {
    try {
      const fn = (load(c) as { svgToPng?: unknown }).svgToPng;
      if (typeof fn === 'function') return (pngLoader = { fn: fn as SvgToPng });
      errors.push(`${c} has no svgToPng`);
    } catch (e) {
      errors.push(`${c}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return (pngLoader = { error: errors.join('; ') });
}

/** SVG always, PNG (2× scale) when the rasteriser loads. O(points). */
function renderPlot(fig: FigureData): RenderedFigure {
  const spec = figureChart(fig);
  const svg = lineChart(spec);
  const png = loadSvgToPng();
  if (!png.fn)
    return {
      svg,
      warnings: [`figure.png not written (@mechlab/plot/png did not load: ${png.error ?? '?'})`],
    };
  const width = spec.panelWidth * spec.panels.length * 2;
  return { svg, png: png.fn(svg, { width }) };
}

/**
 * Render with `@mechlab/plot`: SVG always, PNG (2× scale) when the rasteriser loads. O(points).
 * `prepare` loads the rasteriser ahead of time (the sweep calls it while its workers start).
 * @example const { svg, png } = await plotRenderer(figureData(rows, 'ccs-vary-n')) // '<svg …', Uint8Array
 */
export const plotRenderer: FigureRenderer = Object.assign(renderPlot, {
  prepare: (): void => {
    loadSvgToPng();
  },
});

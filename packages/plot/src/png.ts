/**
 * SVG → PNG rasterisation through resvg (Rust, via napi). Lives in its own entry point,
 * `@mechlab/plot/png`, so that the SVG charts stay usable in a browser bundle: only this module loads
 * the native addon. It reads the system fonts (resvg does that itself) and touches no other file.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/** Options for {@link svgToPng}. */
export interface PngOptions {
  /** Output width in px; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  readonly width?: number;
  /** Background colour (CSS). Default: transparent outside the chart's own white background. */
  readonly background?: string;
  /** Font family used when an SVG family is missing. Default: 'DejaVu Sans' when installed. */
  readonly defaultFontFamily?: string;
}

const PREFERRED_FAMILY = 'DejaVu Sans';
let preferredAvailable: boolean | undefined;

/** Whether resvg can find the preferred family among the system fonts (probed once, then cached). */
function hasPreferredFamily(): boolean {
  if (preferredAvailable === undefined) {
    const probe =
      `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30">` +
      `<text x="4" y="20" font-family="${PREFERRED_FAMILY}" font-size="14">Hg</text></svg>`;
    try {
      const r = new Resvg(probe, { font: { loadSystemFonts: true, defaultFontFamily: PREFERRED_FAMILY } });
      preferredAvailable = r.getBBox() !== undefined;
    } catch {
      preferredAvailable = false;
    }
  }
  return preferredAvailable;
}

/**
 * Rasterise an SVG string to PNG bytes with resvg, loading system fonts. Text in a family that is not
 * installed falls back to `defaultFontFamily` ('DejaVu Sans' when present, else resvg's first system
 * font).
 *
 * Complexity: O(output pixels) plus a one-off system-font scan per call (resvg loads fonts per render).
 * @throws RangeError when `width` is not an integer in [1, 16384]; resvg's Error for unparsable SVG.
 * @example
 * const png = svgToPng(lineChart(spec), { width: 1200 });
 * // Uint8Array [137, 80, 78, 71, 13, 10, 26, 10, …] (the PNG signature)
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  if (typeof svg !== 'string') throw new TypeError(`svg must be a string, got ${typeof svg}`);
  const { width, background, defaultFontFamily } = options;
  if (width !== undefined && !(Number.isInteger(width) && width >= 1 && width <= 16384)) {
    throw new RangeError(`width must be an integer in [1, 16384], got ${String(width)}`);
  }
  const family = defaultFontFamily ?? (hasPreferredFamily() ? PREFERRED_FAMILY : undefined);
  const opts: ResvgRenderOptions = {
    font:
      family === undefined ? { loadSystemFonts: true } : { loadSystemFonts: true, defaultFontFamily: family },
    fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
    logLevel: 'off',
  };
  if (background !== undefined) opts.background = background;
  const png = new Resvg(svg, opts).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

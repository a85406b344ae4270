// Public API of @mechlab/plot (browser-safe SVG). PNG rasterisation is the separate entry point
// `@mechlab/plot/png` (src/png.ts), the only module that loads a native addon.
export { lineChart } from './line';
export { scatterChart } from './scatter';
export { linearTicks, logTicks } from './scale';
export { escapeXml } from './svg';
export { PALETTE } from './palette';

export type { LineChartSpec, PanelSpec, SeriesSpec } from './line';
export type { ScatterChartSpec, ScatterSeriesSpec, AnnotationCorner } from './scatter';
export type { AxisScale } from './scale';
export type { AxesSpec } from './frame';

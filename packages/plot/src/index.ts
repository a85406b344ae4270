// Public API of @mechlab/plot (browser-safe SVG). PNG rasterisation is the separate entry point
// `@mechlab/plot/png` (src/png.ts), the only module that loads a native addon.
export { lineChart } from './line';
export { scatterChart } from './scatter';

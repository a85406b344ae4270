/**
 * Vite build of the mechlab web app.
 *
 * The packages are bundled from their TypeScript sources (as jest maps them), unchanged. Only one of
 * them touches Node: `@mechlab/kernels`' loader (`src/wasm.ts`) reads `build/release.wasm` with
 * `node:fs`. In the browser those `node:*` imports resolve to the tiny shims in `src/shims/`, whose
 * `readFileSync` hands back the bytes the worker fetched from the `.wasm` asset URL before it
 * registered the backend (`src/kernels-browser.ts`). Any other `node:*` import fails the build with a
 * message saying which file needs a shim, so nothing Node-only slips into the bundle unnoticed.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const pkg = (name: string): string => join(repo, 'packages', name, 'src', 'index.ts');

function nodeShims(): Plugin {
  return {
    name: 'mechlab-node-shims',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!id.startsWith('node:')) return null;
      const shim = join(here, 'src', 'shims', `${id.slice('node:'.length)}.ts`);
      if (existsSync(shim)) return shim;
      this.error(`${importer ?? '?'} imports ${id}, which has no browser shim in apps/web/src/shims/`);
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [nodeShims()],
  resolve: {
    alias: [
      ...['core', 'ccs', 'kernels', 'plot', 'coalition'].map((name) => ({
        find: new RegExp(`^@mechlab/${name}$`),
        replacement: pkg(name),
      })),
      // The sweep engine is Node-only; its browser-safe subpath plans sweeps and writes their files.
      { find: /^@mechlab\/sweep\/spec$/, replacement: join(repo, 'packages', 'sweep', 'src', 'spec.ts') },
    ],
  },
  define: {
    // kernels/src/wasm.ts derives WASM_PATH from __dirname (CommonJS); in the bundle it is only a label.
    __dirname: JSON.stringify('/mechlab/kernels/src'),
  },
  worker: { format: 'es', plugins: () => [nodeShims()] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry explanatory comments next to @__PURE__ marks; harmless, and noisy.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  preview: { port: 5173, strictPort: false },
  server: { fs: { allow: [repo] } },
});

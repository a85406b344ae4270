/**
 * The WebAssembly kernels in a browser worker: fetch `release.wasm` (emitted by Vite as an asset, so its
 * bytes count in the bundle size), give the bytes to the `node:fs` shim, and register the `'wasm'`
 * backend with core exactly as the CLI does. Compilation stays lazy and cached inside the kernels.
 */
import { registerWasmBackend, wasmAvailable } from '@mechlab/kernels';
import wasmUrl from '../../../packages/kernels/build/release.wasm?url';
import { provideWasmBytes } from './shims/fs';

let ready: Promise<boolean> | undefined;

/** Fetch the kernels once per worker and register the backend; resolves to whether they load. */
export function initKernels(): Promise<boolean> {
  ready ??= (async () => {
    const res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`fetching ${wasmUrl}: HTTP ${res.status}`);
    provideWasmBytes(new Uint8Array(await res.arrayBuffer()));
    registerWasmBackend();
    return wasmAvailable();
  })();
  return ready;
}

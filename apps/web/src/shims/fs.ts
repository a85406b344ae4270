/**
 * Browser stand-in for the two `node:fs` calls of `@mechlab/kernels`' loader (`wasm.ts`): the worker
 * fetches the `.wasm` asset and hands its bytes to {@link provideWasmBytes} before the first kernel
 * call; `existsSync`/`readFileSync` then answer from them, so the kernels package runs unchanged.
 */
let wasmBytes: Uint8Array | undefined;

/** Make the fetched kernel module the "file" the kernels' loader reads. */
export function provideWasmBytes(bytes: Uint8Array): void {
  wasmBytes = bytes;
}

export function existsSync(_path: string): boolean {
  return wasmBytes !== undefined;
}

export function readFileSync(path: string): Uint8Array {
  if (wasmBytes === undefined) throw new Error(`${path}: the WebAssembly kernels were not fetched`);
  return wasmBytes;
}

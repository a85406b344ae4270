/**
 * Loading the WebAssembly kernels and laying out their linear memory.
 *
 * The module (`build/release.wasm`, built by `npm run build` from `assembly/`) is compiled
 * synchronously at first use (`new WebAssembly.Module(readFileSync(…))`), instantiated once per JS
 * realm / worker and cached. It uses AssemblyScript's stub runtime and never allocates: every kernel
 * takes byte offsets, and the wrappers lay out inputs, scratch and outputs with an {@link Arena} (a
 * bump allocator from `heapBase()` upwards, reset on every call), grow the memory when a layout does
 * not fit, copy inputs in, call, and copy outputs out. Memory only grows (WebAssembly cannot shrink);
 * its high-water mark is {@link kernelInfo}`().memoryBytes`. Kernels never grow memory themselves, so
 * views made after {@link Arena.commit} stay valid until the next layout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MechlabError } from '@mechlab/core';
import { chooseTier, type WasmTier } from './tier';

/** Where the release build lives: `packages/kernels/build/release.wasm` (from `src/` and `dist/` alike). */
export const WASM_PATH = join(__dirname, '..', 'build', 'release.wasm');

/** ABI version this wrapper expects from `assembly/index.ts` (`abiVersion()`). */
const ABI_VERSION = 2;
const PAGE = 65536;
/** wasm32 addresses 4 GiB; V8 allows that much memory. */
const MAX_BYTES = 2 ** 32;

/** The slice of the WebAssembly JS API used here (typed locally: the project's `lib` has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The raw exports of `assembly/index.ts` (offsets are byte offsets into `memory`). */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  abiVersion(): number;
  mckpGeneral(...args: number[]): number;
  mckpDense(...args: number[]): number;
  hopDp(...args: number[]): number;
  gcsPortions(...args: number[]): number;
  sortIndicesByKey(...args: number[]): void;
  clampBudget(n: number, p: number): void;
  eqBinaryCsr(...args: number[]): number;
  eqBinaryDense(...args: number[]): number;
  eqIterateCsr(...args: number[]): number;
  eqIterateDense(...args: number[]): number;
  welfareCsr(...args: number[]): number;
  welfareDense(...args: number[]): number;
  topK(...args: number[]): number;
  nashLambdaSweep(...args: number[]): number;
  nashSwap(...args: number[]): number;
  nashDp(...args: number[]): number;
  ccsGenerate(ctx: number): number;
  ccsPipeline(ctx: number): number;
}

/** A loaded kernel module with its memory helpers. One per realm; not re-entrant across layouts. */
export class Kernels {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  /** First byte the arenas may use. */
  readonly base: number;
  /** Bytes of the `.wasm` file. */
  readonly wasmBytes: number;
  /**
   * Bumped by every {@link arena}: a caller that keeps data in memory across calls (the CCS pipeline's
   * skip table) re-writes it when another layout may have overwritten it.
   */
  layouts = 0;

  constructor(bytes: Uint8Array) {
    const module = new WA.Module(bytes);
    const abort = (): never => {
      throw new Error('the WebAssembly kernels aborted');
    };
    // `host.log1p` (assembly/generate/host.ts): the generator's float must be the host's `Math.log1p`, the one core's
    // reference uses, for byte-identical instances.
    const instance = new WA.Instance(module, { env: { abort }, host: { log1p: Math.log1p } });
    this.exports = instance.exports as unknown as KernelExports;
    this.memory = this.exports.memory;
    const abi = this.exports.abiVersion();
    if (abi !== ABI_VERSION) {
      throw new Error(
        `the WebAssembly kernels at ${WASM_PATH} have ABI ${abi}, this wrapper needs ${ABI_VERSION} — rebuild with \`npm run build\``,
      );
    }
    this.base = align16(this.exports.heapBase());
    this.wasmBytes = bytes.byteLength;
  }

  /** A fresh layout starting at the heap base (invalidates earlier layouts' contents). */
  arena(): Arena {
    this.layouts++;
    return new Arena(this);
  }

  /** Grow the memory so that `bytes` bytes are addressable. @throws MechlabError `ERR_TOO_LARGE`. */
  ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    if (bytes > MAX_BYTES) {
      throw new MechlabError(
        'ERR_TOO_LARGE',
        `the WebAssembly kernels would need ${(bytes / 2 ** 20).toFixed(0)} MiB of linear memory (limit 4096 MiB); use backend "ts" or a smaller instance`,
        'backend',
      );
    }
    try {
      this.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch (e) {
      throw new MechlabError(
        'ERR_TOO_LARGE',
        `the WebAssembly kernels could not grow their memory to ${(bytes / 2 ** 20).toFixed(0)} MiB (${(e as Error).message})`,
        'backend',
      );
    }
  }

  f64(off: number, len: number): Float64Array {
    return new Float64Array(this.memory.buffer, off, len);
  }
  i32(off: number, len: number): Int32Array {
    return new Int32Array(this.memory.buffer, off, len);
  }
  u8(off: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, off, len);
  }
}

/** Bump allocator over the kernel memory; see the module comment. */
export class Arena {
  private top: number;
  constructor(private readonly k: Kernels) {
    this.top = k.base;
  }
  /** Offset of `len` doubles. */
  f64(len: number): number {
    return this.take(len * 8);
  }
  /** Offset of `len` 32-bit integers. */
  i32(len: number): number {
    return this.take(len * 4);
  }
  /** Offset of `len` 16-bit integers. */
  u16(len: number): number {
    return this.take(len * 2);
  }
  /** Offset of `len` bytes. */
  u8(len: number): number {
    return this.take(len);
  }
  /** Grow the memory to fit everything taken so far. Call before copying in. */
  commit(): Kernels {
    this.k.ensure(this.top);
    return this.k;
  }
  private take(bytes: number): number {
    const off = align16(this.top);
    this.top = off + bytes;
    return off;
  }
}

function align16(x: number): number {
  return Math.ceil(x / 16) * 16;
}

let cached: Kernels | undefined;
let failure: Error | undefined;

/**
 * The kernel module, compiled and instantiated at first call and cached (per realm / worker).
 *
 * @throws Error when `build/release.wasm` is missing (the message says to run `npm run build`) or does
 *   not match this wrapper's ABI. The failure is cached too.
 */
export function loadKernels(): Kernels {
  if (cached) return cached;
  if (failure) throw failure;
  try {
    if (!existsSync(WASM_PATH)) {
      throw new Error(
        `the WebAssembly kernels are not built: ${WASM_PATH} is missing — run \`npm run build\` (or \`npx nx run kernels:build\`) first`,
      );
    }
    // Before compiling: make V8 compile the module with its optimising tier (see tier.ts).
    chooseTier();
    cached = new Kernels(readFileSync(WASM_PATH));
    return cached;
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
    throw failure;
  }
}

/** Whether the kernels load (compiling them if needed). Never throws. */
export function wasmAvailable(): boolean {
  try {
    loadKernels();
    return true;
  } catch {
    return false;
  }
}

/**
 * Facts about the loaded kernels, for reports: file, size, current linear memory, and the V8 tier the
 * module was compiled with (`'optimizing'`: `--no-liftoff` was set first; `'default'`: opted out with
 * `MECHLAB_WASM_LIFTOFF=1`, or no `node:v8`). @throws as {@link loadKernels}.
 */
export function kernelInfo(): { path: string; wasmBytes: number; memoryBytes: number; tier: WasmTier } {
  const k = loadKernels();
  return {
    path: WASM_PATH,
    wasmBytes: k.wasmBytes,
    memoryBytes: k.memory.buffer.byteLength,
    tier: chooseTier(),
  };
}

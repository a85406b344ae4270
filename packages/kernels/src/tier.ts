/**
 * Which V8 tier compiles the kernels' first call.
 *
 * V8 compiles a WebAssembly module lazily with its baseline compiler (Liftoff) and tiers hot functions
 * up to the optimising compiler (TurboFan) only later; a kernel's first call on a large instance then
 * runs in baseline code, several times slower than steady state (issue 12 measured 4.4 s vs 0.8 s for
 * one 120 × 401-item MCKP). So before the module is compiled, {@link chooseTier} turns Liftoff off
 * with `v8.setFlagsFromString('--no-liftoff')`: the module is then compiled by TurboFan up front and
 * the first call runs optimised code. The flag is process-wide for modules compiled *after* it is set
 * (it changes nothing else), and works the same from the CLI, worker threads and library use, because
 * every path compiles through `loadKernels()`.
 *
 * Cost: compiling the whole module with TurboFan instead of Liftoff takes longer once per realm/worker
 * (measured in benchmarks/kernels `first-call.ts`; tens of milliseconds for this module's size).
 * Opt out with `MECHLAB_WASM_LIFTOFF=1` (baseline tier first, faster start, slower first call).
 *
 * In a browser or a bundle there is no `node:v8`: `process.getBuiltinModule` is absent (or returns
 * nothing), nothing happens and the tier is reported as `'default'` — bundlers never see a static
 * `node:v8` import.
 */

/** The tier the module was (or will be) compiled with. */
export type WasmTier = 'optimizing' | 'default';

interface V8Module {
  setFlagsFromString(flags: string): void;
}
interface ProcessLike {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

let tier: WasmTier | undefined;

/**
 * Set `--no-liftoff` once (unless `MECHLAB_WASM_LIFTOFF=1` or there is no `node:v8`) and report the
 * tier. Idempotent; call before compiling. Never throws. O(1).
 */
export function chooseTier(): WasmTier {
  if (tier !== undefined) return tier;
  tier = 'default';
  try {
    const proc = (globalThis as { process?: ProcessLike }).process;
    if (proc?.env?.['MECHLAB_WASM_LIFTOFF'] === '1') return tier;
    const v8 = proc?.getBuiltinModule?.('node:v8') as V8Module | undefined;
    if (v8 && typeof v8.setFlagsFromString === 'function') {
      v8.setFlagsFromString('--no-liftoff');
      tier = 'optimizing';
    }
  } catch {
    tier = 'default';
  }
  return tier;
}

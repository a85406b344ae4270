/**
 * The `nash` kernel family (MODELS.md §2; seed 000 §2.1): choose `k` items maximising
 * `U_G(S)·U_F(S)`, `U_G = Σ g`, `U_F = Σ f`, `g, f ≥ 0`. This file and its siblings (top-k.ts,
 * lambda-sweep.ts, swap.ts, dp.ts, k-dominance.ts) are the family's one TypeScript
 * reference — the backend interface {@link NashKernels}, its `'ts'` implementation, and the pure-TS
 * building blocks every backend shares (Lemma 1's dominance filter, the DP's plan, the choice of b̂ and
 * the reconstruction). The forum package's certified benchmark (packages/forum/src/nash.ts) and the
 * public entry points (./api.ts) run these kernels on any registered backend; `@mechlab/kernels`
 * registers WebAssembly twins (assembly/nash.ts) that perform the same loops, float operations and tie
 * rules, so the answers are identical bit for bit. Inputs are validated typed arrays (the public
 * layer validates).
 *
 * Conventions: selected sets are returned ascending; sums over a set are taken in ascending index
 * order.
 */
import type { BackendName } from '../backend';
import { type NashDpPlan, type NashDpTable, nashDpTs } from './dp';
import { type LambdaSweepRaw, lambdaSweepTs } from './lambda-sweep';
import { swapTs } from './swap';
import { topKTs } from './top-k';

/**
 * The kernels a Nash backend implements, on validated typed arrays (indices into `g`/`f`; `pool`
 * distinct). Every backend must return exactly what the `'ts'` reference returns.
 */
export interface NashKernels {
  readonly backend: BackendName;
  /** {@link topKTs}. */
  topK(score: Float64Array, pool: Int32Array, k: number): Int32Array;
  /** {@link lambdaSweepTs}. */
  lambdaSweep(
    g: Float64Array,
    f: Float64Array,
    pool: Int32Array,
    k: number,
    lambdas: Float64Array,
  ): LambdaSweepRaw;
  /** {@link swapTs}. */
  swap(
    g: Float64Array,
    f: Float64Array,
    pool: Int32Array,
    start: Int32Array,
    maxPasses: number,
  ): { sel: Int32Array; passes: number };
  /** {@link nashDpTs}. */
  dp(plan: NashDpPlan): NashDpTable;
}

/** The TypeScript reference Nash kernels (registered as backend `'ts'`, family `nash`). */
export const tsNashKernels: NashKernels = Object.freeze({
  backend: 'ts',
  topK: topKTs,
  lambdaSweep: lambdaSweepTs,
  swap: swapTs,
  dp: nashDpTs,
});

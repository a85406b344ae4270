/**
 * The reduction as a gpu.js kernel. Each kernel thread `(chunk c, row r)` reduces one chunk of
 * {@link CHUNK} logits of one row to `[chunk max m_c, Σ exp(x − m_c)]` (a 2-vector return), which gives
 * thousands of threads per batch (so gpu.js' threaded/GPU paths have work to split) and keeps each
 * float32 partial sum short. The host combines chunks in float64:
 * `lse = M + log Σ_c s_c·e^(m_c − M)`, `M = max_c m_c`, then `log p = logits[target] − lse`.
 *
 * gpu.js picks its mode at construction: in Node without a GPU context it builds `webasm` kernels
 * (WebAssembly, SIMD where available), `cpu` is plain JS, and GL/WebGPU modes need a context this
 * project does not ship (see SETUP.md). The backend reports the mode of the kernel that actually ran.
 * Rows are fed in blocks of at most 2^24 logits: gpu.js indexes in float32 (see {@link BLOCK_ELEMENTS}).
 */
import { GPU, type IGPUKernelSettings, type IKernelFunctionThis, type IKernelRunShortcut } from 'gpu.js';
import { checkReductionArgs, type LogitsDims, type ReductionBackend } from './backend';

/** Logits per kernel thread. */
export const CHUNK = 1024;
/**
 * gpu.js evaluates kernel arithmetic — array indices included — in float32, which represents integers
 * exactly only up to 2^24: a flat index past 16,777,216 silently reads a neighbouring logit. Each kernel
 * call therefore sees at most 2^24 logits (333 rows of GPT-2's 50,257).
 */
const BLOCK_ELEMENTS = 1 << 24;

/**
 * Requested gpu.js mode; `'auto'` lets gpu.js choose (`new GPU()`: `webasm` in Node without GL);
 * `'async'` is gpu.js' promise-returning mode (threaded WebAssembly here, WebGPU where `navigator.gpu`
 * has an adapter).
 */
export type GpuJsMode =
  'auto' | 'async' | 'gpu' | 'cpu' | 'webasm' | 'webgpu' | 'webgl' | 'webgl2' | 'headlessgl';

interface ChunkConstants {
  readonly V: number;
  readonly CH: number;
  [key: string]: number;
}

// gpu.js compiles this function from its source text: plain JS only, no closures, loop bounds via
// constants (and `loopMaxIterations` ≥ CH), distinct loop variable names (its CPU codegen hoists them).
function chunkKernel(this: IKernelFunctionThis<ChunkConstants>, logits: number[]): number[] {
  const row = this.thread.y;
  const start = this.thread.x * this.constants.CH;
  let end = start + this.constants.CH;
  if (end > this.constants.V) {
    end = this.constants.V;
  }
  const base = row * this.constants.V;
  let m = -3.0e38;
  for (let i = start; i < end; i++) {
    const v = logits[base + i]!;
    if (v > m) {
      m = v;
    }
  }
  let s = 0.0;
  for (let k = start; k < end; k++) {
    s += Math.exp(logits[base + k]! - m);
  }
  return [m, s];
}

type KernelResult = ArrayLike<ArrayLike<ArrayLike<number>>>;

function modeOf(kernel: IKernelRunShortcut, gpu: GPU): string {
  const inner = (kernel as unknown as { kernel?: { constructor?: { mode?: unknown } } }).kernel;
  const mode = inner?.constructor?.mode;
  return typeof mode === 'string' ? mode : String((gpu as unknown as { mode?: unknown }).mode ?? 'unknown');
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Create the gpu.js backend. A requested mode gpu.js cannot provide falls back to gpu.js' own choice,
 * and `fallbackReason` says why. Complexity: O(1) (kernels are built lazily per block shape).
 */
export function createGpuJsBackend(requested: GpuJsMode = 'auto'): ReductionBackend {
  let gpu: GPU;
  let fallbackReason: string | undefined;
  try {
    gpu = requested === 'auto' ? new GPU() : new GPU({ mode: requested });
  } catch (e) {
    fallbackReason = `gpu.js mode "${requested}" unavailable: ${(e as Error).message}`;
    gpu = new GPU();
  }
  const kernels = new Map<string, IKernelRunShortcut>();
  let mode = 'pending';

  const kernelFor = (rows: number, vocab: number): IKernelRunShortcut => {
    const key = `${rows}x${vocab}`;
    let k = kernels.get(key);
    if (k === undefined) {
      const chunks = Math.ceil(vocab / CHUNK);
      // `returnType` and `loopMaxIterations` are real gpu.js settings missing from its typings.
      const settings: IGPUKernelSettings & { returnType: string; loopMaxIterations: number } = {
        output: [chunks, rows],
        constants: { V: vocab, CH: CHUNK },
        returnType: 'Array(2)',
        loopMaxIterations: CHUNK + 1,
        tactic: 'precision',
      };
      k = gpu.createKernel(chunkKernel, settings);
      kernels.set(key, k);
    }
    return k;
  };

  const backend: ReductionBackend = {
    name: 'gpujs',
    get mode(): string {
      return mode;
    },
    get fallbackReason(): string | undefined {
      return fallbackReason;
    },
    async logProbs(
      logits: Float32Array,
      dims: LogitsDims,
      targets: Int32Array,
      mask: Uint8Array,
    ): Promise<Float64Array> {
      checkReductionArgs(logits, dims, targets, mask);
      const V = dims.vocab;
      const rows = dims.batch * dims.seq;
      const out = new Float64Array(rows);
      const chunks = Math.ceil(V / CHUNK);
      const blockRows = Math.max(1, Math.floor(BLOCK_ELEMENTS / V));
      for (let r0 = 0; r0 < rows; r0 += blockRows) {
        const n = Math.min(blockRows, rows - r0);
        const kernel = kernelFor(n, V);
        let res: unknown = kernel(logits.subarray(r0 * V, (r0 + n) * V) as unknown as number[]);
        if (isThenable(res)) res = await res;
        mode = modeOf(kernel, gpu);
        const parts = res as KernelResult;
        for (let i = 0; i < n; i++) {
          const r = r0 + i;
          if (mask[r] !== 1) continue;
          const row = parts[i]!;
          let M = -Infinity;
          let bad = false;
          for (let c = 0; c < chunks; c++) {
            const mc = row[c]![0]!;
            if (mc !== mc) bad = true;
            if (mc > M) M = mc;
          }
          let s = 0;
          for (let c = 0; c < chunks; c++) s += row[c]![1]! * Math.exp(row[c]![0]! - M);
          const lse = bad || !Number.isFinite(s) ? NaN : M + Math.log(s);
          out[r] = logits[r * V + targets[r]!]! - lse;
        }
      }
      return out;
    },
    async dispose(): Promise<void> {
      for (const k of kernels.values()) await Promise.resolve(k.destroy());
      kernels.clear();
      await gpu.destroy();
    },
  };
  return backend;
}

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { ceil, max, min, sqrt } = Math;

/**
 * Buffers of {@link randomCcsInstanceInto}, sized once per sweep point and reused by its replicates.
 * The instance it returns views these buffers: it is valid until the next call with the same
 * workspace. Grows (never shrinks) when an instance needs more.
 */
export class CcsWorkspace {
  n = 0;
  edgeCap = 0;
  theta: Float64Array = new Float64Array(0);
  cost: Float64Array = new Float64Array(0);
  inStart: Int32Array = new Int32Array(1);
  outStart: Int32Array = new Int32Array(1);
  fill: Int32Array = new Int32Array(0);
  inFrom: Int32Array = new Int32Array(0);
  inWeight: Float64Array = new Float64Array(0);
  outTo: Int32Array = new Int32Array(0);
  outWeight: Float64Array = new Float64Array(0);

  /** Buffers for n players and the edge count of ρ plus six standard deviations. */
  constructor(n = 0, rho = 0) {
    this.reserve(n, expectedEdgeCap(n, rho));
  }

  /** Make room for `n` players and `edges` edges (amortised doubling). O(n + edges) when it grows. */
  reserve(n: number, edges: number): void {
    if (n > this.n) {
      this.n = n;
      this.theta = new Float64Array(n);
      this.cost = new Float64Array(n);
      this.inStart = new Int32Array(n + 1);
      this.outStart = new Int32Array(n + 1);
      this.fill = new Int32Array(n);
    }
    if (edges > this.edgeCap) {
      const cap = max(edges, this.edgeCap * 2);
      const grow32 = (a: Int32Array): Int32Array => {
        const b = new Int32Array(cap);
        b.set(a);
        return b;
      };
      const grow64 = (a: Float64Array): Float64Array => {
        const b = new Float64Array(cap);
        b.set(a);
        return b;
      };
      this.inFrom = grow32(this.inFrom);
      this.outTo = grow32(this.outTo);
      this.inWeight = grow64(this.inWeight);
      this.outWeight = grow64(this.outWeight);
      this.edgeCap = cap;
    }
  }
}

export function expectedEdgeCap(n: number, rho: number): number {
  const slots = n * max(0, n - 1);
  const r = rho >= 0 && rho <= 1 ? rho : 0;
  return min(slots, ceil(r * slots + 6 * sqrt(r * slots) + 16));
}

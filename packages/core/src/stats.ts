/** Small numerically careful statistics helpers (Welford updates, median, rank correlation). */

/** Running mean/variance by Welford's algorithm: one pass, no catastrophic cancellation. */
export class RunningStats {
  n = 0;
  private m = 0;
  private s = 0;
  min = Infinity;
  max = -Infinity;

  push(x: number): void {
    this.n++;
    const d = x - this.m;
    this.m += d / this.n;
    this.s += d * (x - this.m);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Merge another accumulator (Chan et al. parallel update) — used to combine shards. */
  merge(o: RunningStats): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      this.n = o.n;
      this.m = o.m;
      this.s = o.s;
      this.min = o.min;
      this.max = o.max;
      return;
    }
    const n = this.n + o.n;
    const d = o.m - this.m;
    this.m += (d * o.n) / n;
    this.s += o.s + (d * d * this.n * o.n) / n;
    this.n = n;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.m;
  }

  /** Sample variance (n − 1 denominator); 0 for a single observation. */
  get variance(): number {
    return this.n < 2 ? 0 : this.s / (this.n - 1);
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  summary(): Summary {
    return summarize(this);
  }
}

/** Mean, sample standard deviation, the 3σ band used in the paper's figures, and the count. */
export interface Summary {
  n: number;
  mean: number;
  std: number;
  lo3: number;
  hi3: number;
  min: number;
  max: number;
}

function summarize(r: RunningStats): Summary {
  const mean = r.mean;
  const std = r.std;
  return { n: r.n, mean, std, lo3: mean - 3 * std, hi3: mean + 3 * std, min: r.min, max: r.max };
}

/** Summary of an array of numbers. */
export function describe(xs: ArrayLike<number>): Summary {
  const r = new RunningStats();
  for (let i = 0; i < xs.length; i++) r.push(xs[i]!);
  return r.summary();
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length === 0 ? NaN : s / xs.length;
}

/** Kahan–Babuška (Neumaier) compensated sum. */
export function sum(xs: ArrayLike<number>): number {
  let s = 0,
    c = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/** Average ranks (1-based), ties get the mean of their ranks. */
export function ranks(xs: ArrayLike<number>): Float64Array {
  const n = xs.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && xs[idx[j + 1]!]! === xs[idx[i]!]!) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; NaN when either side has zero variance. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: lengths differ (${n} vs ${y.length})`);
  const mx = mean(x),
    my = mean(y);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx,
      dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * The median of `xs`: the middle value of the sorted copy, the mean of the two middle values for an
 * even count, NaN when empty (the input is not modified). mechlab's one median: benchmarks, forum's
 * labels and calibration all use it. Complexity O(n log n) (numeric sort of a Float64Array copy).
 * @example median([3, 1, 2]) // → 2
 * @example median([4, 1, 3, 2]) // → 2.5
 */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const h = n >> 1;
  return n % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Spearman's rank correlation ρ (Pearson on average ranks, so ties are handled). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

/**
 * Logistic regression on sparse rows, trained by AdaGrad stochastic gradient descent (Duchi, Hazan &
 * Singer 2011) with L2 regularisation applied lazily to the coordinates a row touches.
 *
 * Used twice (MODELS.md §2): Player F's classifier C, trained offline on the questions before the
 * simulation window; and Player G's acceptance model π̂ (G-Utility), updated online after each round from
 * that round's accept/reject feedback only.
 */
import type { Rng } from '@mechlab/core';
import type { SparseRows } from './features';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { exp, sqrt } = Math;

/** Options of the SGD trainer. */
export interface LogisticOptions {
  /** Passes over the data (offline, default 5) or over each new batch (online, default 3). */
  epochs?: number;
  /** AdaGrad base learning rate (default 0.2). */
  learningRate?: number;
  /** L2 penalty per coordinate update (default 1e-5). */
  l2?: number;
}

/** A logistic-regression model over `dim` hashed features; `predict` = σ(w·x). */
export class LogisticModel {
  readonly weights: Float64Array;
  private readonly accum: Float64Array;
  private readonly lr: number;
  private readonly l2: number;

  constructor(dim: number, opts: LogisticOptions = {}) {
    this.weights = new Float64Array(dim);
    this.accum = new Float64Array(dim).fill(1);
    this.lr = opts.learningRate ?? 0.2;
    this.l2 = opts.l2 ?? 1e-5;
  }

  /** w·x for row r of X. O(nnz of the row). */
  margin(X: SparseRows, r: number): number {
    let s = 0;
    for (let p = X.indptr[r]!, e = X.indptr[r + 1]!; p < e; p++)
      s += this.weights[X.indices[p]!]! * X.values[p]!;
    return s;
  }

  /** σ(w·x) for row r. */
  predict(X: SparseRows, r: number): number {
    return sigmoid(this.margin(X, r));
  }

  /** σ(w·x) for every row. O(nnz). */
  predictAll(X: SparseRows): Float64Array {
    const out = new Float64Array(X.rows);
    for (let r = 0; r < X.rows; r++) out[r] = this.predict(X, r);
    return out;
  }

  /** One AdaGrad step on row r with label y ∈ {0, 1}. O(nnz of the row). */
  step(X: SparseRows, r: number, y: number): void {
    const err = this.predict(X, r) - y;
    const w = this.weights,
      G = this.accum;
    for (let p = X.indptr[r]!, e = X.indptr[r + 1]!; p < e; p++) {
      const j = X.indices[p]!;
      const grad = err * X.values[p]! + this.l2 * w[j]!;
      G[j]! += grad * grad;
      w[j]! -= (this.lr * grad) / sqrt(G[j]!);
    }
  }

  /**
   * `epochs` shuffled passes of `step` over the listed rows (all rows when `rows` is omitted).
   * O(epochs · Σ nnz).
   */
  fit(X: SparseRows, labels: ArrayLike<number>, rng: Rng, epochs: number, rows?: ArrayLike<number>): void {
    const n = rows === undefined ? X.rows : rows.length;
    const order = new Int32Array(n);
    for (let e = 0; e < epochs; e++) {
      for (let i = 0; i < n; i++) order[i] = i;
      rng.shuffle(order);
      for (let i = 0; i < n; i++) {
        const t = order[i]!;
        this.step(X, rows === undefined ? t : rows[t]!, labels[t]!);
      }
    }
  }
}

/** The logistic function, stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

/**
 * Train a classifier offline: `epochs` (default 5) shuffled AdaGrad passes over all rows.
 * O(epochs · nnz).
 */
export function trainLogistic(
  X: SparseRows,
  labels: ArrayLike<number>,
  rng: Rng,
  opts: LogisticOptions = {},
): LogisticModel {
  const m = new LogisticModel(X.dim, opts);
  m.fit(X, labels, rng, opts.epochs ?? 5);
  return m;
}

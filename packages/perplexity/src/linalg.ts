/**
 * The little dense linear algebra the tiny-LM fit needs: Gram–Schmidt, cyclic Jacobi eigen-solver for
 * small symmetric matrices, and block subspace iteration for the top eigenvectors of a large symmetric
 * positive semi-definite operator given only as a matrix–block product. All float64, row-major.
 */
import type { Rng } from '@mechlab/core';

/**
 * Orthonormalise the `k` columns of the row-major `n × k` matrix `Y` in place (modified Gram–Schmidt,
 * twice for stability). A column that collapses to zero is replaced by a unit basis vector orthogonal to
 * the others. Complexity: O(n·k²).
 */
export function orthonormaliseColumns(Y: Float64Array, n: number, k: number): void {
  let attempt = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < k; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += Y[r * k + c]! * Y[r * k + p]!;
        for (let r = 0; r < n; r++) Y[r * k + c] = Y[r * k + c]! - dot * Y[r * k + p]!;
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += Y[r * k + c]! ** 2;
      norm = Math.sqrt(norm);
      if (norm < 1e-12 && attempt < n) {
        attempt++;
        for (let r = 0; r < n; r++) Y[r * k + c] = r === (c + attempt) % n ? 1 : 0;
        c--; // re-orthogonalise the replacement
        continue;
      }
      if (norm === 0) continue;
      for (let r = 0; r < n; r++) Y[r * k + c] = Y[r * k + c]! / norm;
    }
  }
}

/**
 * Eigen-decomposition of a symmetric `k × k` matrix by cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching eigenvectors as columns of a row-major
 * `k × k` matrix. Complexity: O(k³) per sweep, a handful of sweeps.
 */
export function symmetricEigen(A: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * k + q]! - a[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => a[y * k + y]! - a[x * k + x]!);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = a[src * k + src]!;
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src]!;
  });
  return { values, vectors };
}

/**
 * Top-`rank` eigenpairs of a symmetric PSD `n × n` operator `apply(Y, k) = A·Y` (Y row-major `n × k`),
 * by block subspace iteration with `oversample` extra columns and a final Rayleigh–Ritz step.
 * Complexity: O(iterations · cost(apply) + n·k²).
 */
export function topEigenvectors(
  apply: (Y: Float64Array, k: number) => Float64Array,
  n: number,
  rank: number,
  rng: Rng,
  iterations = 8,
  oversample = 8,
): { values: Float64Array; vectors: Float64Array } {
  const k = Math.min(n, rank + oversample);
  let Y: Float64Array = new Float64Array(n * k);
  for (let i = 0; i < Y.length; i++) Y[i] = rng.normal();
  orthonormaliseColumns(Y, n, k);
  for (let it = 0; it < iterations; it++) {
    Y = apply(Y, k);
    orthonormaliseColumns(Y, n, k);
  }
  // Rayleigh–Ritz: B = Yᵀ A Y (k × k), rotate Y by B's eigenvectors.
  const AY = apply(Y, k);
  const B = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += Y[r * k + i]! * AY[r * k + j]!;
      B[i * k + j] = s;
      B[j * k + i] = s;
    }
  }
  const eig = symmetricEigen(B, k);
  const r = Math.min(rank, k);
  const vectors = new Float64Array(n * r);
  for (let row = 0; row < n; row++) {
    for (let c = 0; c < r; c++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += Y[row * k + j]! * eig.vectors[j * k + c]!;
      vectors[row * r + c] = s;
    }
  }
  return { values: eig.values.slice(0, r), vectors };
}

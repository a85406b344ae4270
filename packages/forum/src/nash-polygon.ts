/** Lemma 2's polygon Π of supporting lines and the maximum of xy over it (nash.ts module comment). */
// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { abs, sqrt } = Math;

export const SLACK = 1e-9;

/** A supporting line a·x + b·y ≤ h in normalised coordinates (a, b ≥ 0). */
export interface Line {
  a: number;
  b: number;
  h: number;
}

/** A λ-sweep line with its top-k set and the k-th / (k+1)-th scores (for Lemma 4). */
export interface SweepLine extends Line {
  member: Uint8Array;
  sk: number;
  sk1: number;
}

function feasible(lines: readonly Line[], x: number, y: number): boolean {
  if (x < -SLACK || y < -SLACK) return false;
  for (const l of lines) if (l.a * x + l.b * y > l.h * (1 + SLACK) + 1e-12) return false;
  return true;
}

/** Pairwise intersections of the lines that lie in the polygon (with slack). O(m³). */
function vertices(lines: readonly Line[]): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < lines.length; p++) {
    for (let q = p + 1; q < lines.length; q++) {
      const L1 = lines[p]!,
        L2 = lines[q]!;
      const det = L1.a * L2.b - L2.a * L1.b;
      if (abs(det) < 1e-14) continue;
      const x = (L1.h * L2.b - L2.h * L1.b) / det;
      const y = (L1.a * L2.h - L2.a * L1.h) / det;
      if (feasible(lines, x, y)) out.push([x, y]);
    }
  }
  return out;
}

/** max xy over Π = {x, y ≥ 0, all lines} (Lemma 2), with its maximiser. O(m³). */
export function maxProductOnPolygon(lines: readonly Line[]): { value: number; x: number; y: number } {
  let best = { value: 0, x: 0, y: 0 };
  const consider = (x: number, y: number): void => {
    const v = x * y;
    if (v > best.value) best = { value: v, x, y };
  };
  for (const [x, y] of vertices(lines)) consider(x, y);
  for (const l of lines) {
    if (l.a > 0 && l.b > 0) {
      const x = l.h / (2 * l.a),
        y = l.h / (2 * l.b);
      if (feasible(lines, x, y)) consider(x, y);
    }
  }
  return best;
}

/**
 * Largest x and y over R = Π ∩ {xy ≥ c} (Theorem 3): attained at polygon vertices in R or at
 * intersections of a line with the hyperbola xy = c. Returns null when R is (numerically) empty.
 */
export function regionBox(lines: readonly Line[], c: number): { xMax: number; yMax: number } | null {
  let xMax = -1,
    yMax = -1;
  const consider = (x: number, y: number): void => {
    if (x * y >= c * (1 - SLACK)) {
      if (x > xMax) xMax = x;
      if (y > yMax) yMax = y;
    }
  };
  for (const [x, y] of vertices(lines)) consider(x, y);
  for (const l of lines) {
    // a x + b c / x = h  ⇔  a x² − h x + b c = 0 (a > 0); x = b c / h when a = 0.
    if (l.a === 0) {
      if (l.h > 0) {
        const y = l.h / l.b;
        if (feasible(lines, c / y, y)) consider(c / y, y);
      }
      continue;
    }
    const disc = l.h * l.h - 4 * l.a * l.b * c;
    if (disc < 0) continue;
    const sq = sqrt(disc);
    for (const x of [(l.h - sq) / (2 * l.a), (l.h + sq) / (2 * l.a)]) {
      if (x > 0 && feasible(lines, x, c / x)) consider(x, c / x);
    }
  }
  return xMax < 0 ? null : { xMax: xMax * (1 + SLACK), yMax: yMax * (1 + SLACK) };
}

/** Checks and builders shared by the random CCS generators. */
import { parseWithSchema, type Rng } from '@mechlab/core';
import { z } from 'zod';
import { expected } from '../validate';
import type { CostFamily, SpilloverGraph } from '../instance';
import { type CcsDistribution, sampleDistribution } from './distribution';

// Module-level aliases of global builtins used in hot loops: under jest's vm sandbox every lookup of a
// global (Math, Number, Infinity) goes through the context's interceptor and costs ~20–100× a local.
const { isSafeInteger } = Number;

// The generators' scalar options, through zod and core's converter (O(1) per call, ~0.1 µs each).
const nSchema = z.number().int().min(1);
const rhoSchema = z.number().min(0).max(1);
const costFamilySchema = z.enum(['linear', 'quadratic']).default('linear');
const pairsSchema = z
  .number()
  .refine((n) => isSafeInteger(n * (n - 1)), expected('small enough that n(n−1) < 2^53'));

/** @throws MechlabError naming `n` unless it is an integer ≥ 1. */
export function checkN(n: number): void {
  parseWithSchema(nSchema, n, 'n');
}

/** @throws MechlabError naming `rho` unless it is a number in [0, 1]. */
export function checkRho(rho: number): void {
  parseWithSchema(rhoSchema, rho, 'rho');
}

/** @throws MechlabError naming `n` when the n(n−1) ordered pairs are not a safe integer. */
export function checkPairs(n: number): void {
  parseWithSchema(pairsSchema, n, 'n');
}

/** The cost family, default `'linear'`. @throws MechlabError naming `costFamily`. */
export function checkFamily(f: CostFamily | undefined): CostFamily {
  return parseWithSchema(costFamilySchema, f, 'costFamily');
}

export function drawAll(n: number, d: CcsDistribution, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleDistribution(d, rng);
  return out;
}

/**
 * CSR graph from an edge list given as typed arrays, laid out exactly as `buildGraph` lays out the same
 * edges in the same order (stable counting sorts by target and by source). The caller guarantees
 * valid, distinct, loop-free edges. O(n + m).
 */
export function csrFromEdges(
  n: number,
  m: number,
  from: Int32Array,
  to: Int32Array,
  w: Float64Array,
): SpilloverGraph {
  const inStart = new Int32Array(n + 1);
  const outStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    inStart[to[k]! + 1]!++;
    outStart[from[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    inStart[i + 1]! += inStart[i]!;
    outStart[i + 1]! += outStart[i]!;
  }
  const inFrom = new Int32Array(m);
  const inWeight = new Float64Array(m);
  const outTo = new Int32Array(m);
  const outWeight = new Float64Array(m);
  const inFill = inStart.slice(0, n);
  const outFill = outStart.slice(0, n);
  for (let k = 0; k < m; k++) {
    const f = from[k]!,
      t = to[k]!,
      x = w[k]!;
    const a = inFill[t]!++;
    inFrom[a] = f;
    inWeight[a] = x;
    const b = outFill[f]!++;
    outTo[b] = t;
    outWeight[b] = x;
  }
  return { n, edgeCount: m, inStart, inFrom, inWeight, outStart, outTo, outWeight };
}

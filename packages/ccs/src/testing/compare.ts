/** CCS and MCKP comparisons of the CCS conformance suite (conformance.ts): backend against the `'ts'` reference. */
import { type BackendName } from '@mechlab/core';
import { expectBackend, sameFloats, sameInts, show } from '@mechlab/core/testing';
import { type CcsInstance } from '../instance';
import { solveMckp, type MckpProblem } from '../mckp';
import { graphWelfare } from '../quality';
import type { CcsSolution } from '../solvers/common';
import { solveCcs, type CcsSolveOptions } from '../solvers/index';

const { abs, max } = Math;

export function compareCcs(inst: CcsInstance, o: CcsSolveOptions, backend: BackendName, label: string): void {
  const a = solveCcs(inst, { ...o, backend });
  const b = solveCcs(inst, { ...o, backend: 'ts' });
  const graphQuality = inst.quality.kind === 'graph';
  if (a.backend !== backend && !(a.algo === 'equal' && !graphQuality && a.backend === 'ts')) {
    throw new Error(`${label}: solution reports backend "${a.backend}", expected "${backend}"`);
  }
  sameSolution(a, b, label);
  // Oracles every backend (the reference included) must satisfy.
  let sum = 0;
  for (let i = 0; i < a.p.length; i++) {
    if (!(a.p[i]! >= 0)) throw new Error(`${label}: p[${i}] = ${a.p[i]}`);
    sum += a.p[i]!;
  }
  if (sum > 1 + 1e-9) throw new Error(`${label}: Σp = ${sum} > 1`);
  if (graphQuality) {
    const w = graphWelfare(inst, a.efforts);
    if (abs(w - a.welfare) > 1e-9 * max(1, abs(w))) {
      throw new Error(`${label}: welfare ${a.welfare} but the efforts give ${w}`);
    }
  }
  if (
    a.algo === 'hop' &&
    a.meta?.objective !== undefined &&
    a.welfare < a.meta.objective * (1 - 1e-12) - 1e-12
  ) {
    throw new Error(`${label}: hop welfare ${a.welfare} below its DP objective ${a.meta.objective}`);
  }
}

function sameSolution(a: CcsSolution, b: CcsSolution, label: string): void {
  if (a.algo !== b.algo) throw new Error(`${label}: algo ${a.algo} vs ${b.algo}`);
  sameFloats(a.p, b.p, `${label}: p`);
  sameFloats(a.efforts, b.efforts, `${label}: efforts`);
  if (!sameInts(a.active, b.active)) {
    throw new Error(`${label}: active [${Array.from(a.active)}] vs ts [${Array.from(b.active)}]`);
  }
  if (abs(a.welfare - b.welfare) > 1e-12 * max(1, abs(b.welfare))) {
    throw new Error(`${label}: welfare ${a.welfare} vs ts ${b.welfare} (beyond 1e-12 relative)`);
  }
  const ma = a.meta ?? {};
  const mb = b.meta ?? {};
  for (const key of ['delta', 'objective', 'targeted', 'iterations', 'converged', 'nodes'] as const) {
    if (!Object.is(ma[key], mb[key])) throw new Error(`${label}: meta.${key} ${ma[key]} vs ts ${mb[key]}`);
  }
}

export function compareMckp(inst: MckpProblem, backend: BackendName, label: string): void {
  const a = solveMckp(inst, { backend });
  const b = solveMckp(inst, { backend: 'ts' });
  expectBackend(a.backend, backend, label);
  if (a.status !== b.status) throw new Error(`${label}: ${show(a)} vs ts ${show(b)}`);
  if (a.status === 'optimal' && b.status === 'optimal') {
    if (!Object.is(a.value, b.value) || a.weight !== b.weight || !sameInts(a.choice, b.choice)) {
      throw new Error(`${label}: ${show(a)} vs ts ${show(b)}`);
    }
  }
}

/**
 * What the worker computes, as plain functions of plain inputs (no DOM, no worker API), so each is the
 * same call the CLI makes: `parseCcsInstance` + `solveCcs` for `solve ccs`, `runShapleyCommand` /
 * `runMpwCommand` for `shapley` / `mpw`.
 */
import { Rng } from '@mechlab/core';
import { graphEdges, parseCcsInstance, randomCcsInstance, solveCcs } from '@mechlab/ccs';
import { runMpwCommand, runShapleyCommand } from '@mechlab/coalition';
import type {
  CcsRequest,
  CcsResult,
  CoalitionRequest,
  CoalitionResult,
  RandomCcsRequest,
  RandomCcsResult,
} from './protocol';

/** `mechlab solve ccs --json` in the browser. @throws MechlabError naming the bad field. */
export function solveCcsRequest(req: CcsRequest): CcsResult {
  const inst = parseCcsInstance(req.instance);
  const t0 = performance.now();
  const sol = solveCcs(inst, { algo: req.algo, delta: req.delta, backend: req.backend });
  const ms = performance.now() - t0;
  let sumP = 0;
  for (const v of sol.p) sumP += v;
  return {
    json: {
      algo: sol.algo,
      p: Array.from(sol.p),
      efforts: Array.from(sol.efforts),
      active: Array.from(sol.active),
      welfare: sol.welfare,
      backend: sol.backend,
    },
    n: inst.n,
    edges: graphEdges(inst.graph),
    sumP,
    ms,
  };
}

/**
 * A random instance: Erdős–Rényi spillovers with probability ρ, θ, w, c uniform on [0, 1] (core's
 * `randomCcsInstance` defaults), drawn from `Rng.fromPath(['web-ccs', seed])`.
 */
export function randomCcsRequest(req: RandomCcsRequest): RandomCcsResult {
  const inst = randomCcsInstance(Rng.fromPath(['web-ccs', req.seed]), { n: req.n, rho: req.rho });
  return {
    instance: {
      theta: Array.from(inst.theta),
      cost: Array.from(inst.cost),
      edges: graphEdges(inst.graph),
      costFamily: inst.costFamily,
    },
  };
}

/** `mechlab shapley|mpw --json` in the browser. @throws MechlabError naming the bad field. */
export function coalitionRequest(req: CoalitionRequest): CoalitionResult {
  const t0 = performance.now();
  const opts = { method: req.method, samples: req.samples, seed: req.seed };
  const out = req.value === 'shapley' ? runShapleyCommand(req.game, opts) : runMpwCommand(req.game, opts);
  return { ...out, ms: performance.now() - t0 };
}

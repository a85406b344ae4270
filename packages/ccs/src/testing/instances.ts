/** Seeded instance generators of the backend conformance suite (backend-suite.ts). */
import { chainInstance, randomForest } from '../generator/forest';
import { randomCcsInstance } from '../generator/random-instance';
import { createCcsInstance, type CcsInstance } from '../instance';
import { type CcsSolveOptions } from '../solvers/index';
import { type MckpItem, type MckpProblem } from '../mckp';
import { Rng } from '@mechlab/core';

const { max, min, round } = Math;

// ---------------------------------------------------------------------------------------------------
// Instance generators (seeded)
// ---------------------------------------------------------------------------------------------------

export function randomGraph(
  r: Rng,
  maxN: number,
  costFamily: 'linear' | 'quadratic' = 'linear',
): CcsInstance {
  const n = 1 + r.int(maxN);
  const rho = [0, 0.02, 0.1, 0.3, 1][r.int(5)]!;
  const costMax = [0.02, 0.1, 0.5, 1, 3][r.int(5)]!;
  const inst = randomCcsInstance(r, { n, rho, costMax, costFamily });
  if (r.next() < 0.15) {
    // Degenerate values: zero costs, zero θ, costs on grid points (tie-rule territory).
    const theta = Float64Array.from(inst.theta);
    const cost = Float64Array.from(inst.cost);
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (u < 0.2) cost[i] = 0;
      else if (u < 0.3) theta[i] = 0;
      else if (u < 0.6) cost[i] = r.int(11) / 10;
    }
    return { ...inst, theta, cost };
  }
  return inst;
}

export function edgeInstances(): [string, CcsInstance][] {
  return [
    ['single player', createCcsInstance({ theta: [1], cost: [0.5] })],
    ['zero cost', createCcsInstance({ theta: [0, 1, 0], cost: [0, 0, 0], edges: [[0, 1, 1]] })],
    ['grid-point costs', createCcsInstance({ theta: [0.1, 0.1, 0.2], cost: [0.3, 0.1, 0.2] })],
    [
      'tight pair',
      createCcsInstance({
        theta: [1, 1],
        cost: [0.5, 0.5],
        edges: [
          [0, 1, 1],
          [1, 0, 1],
        ],
      }),
    ],
    ['unaffordable', createCcsInstance({ theta: [0.1, 0.1], cost: [5, 7] })],
    ['chain', chainInstance(50)],
  ];
}

export function badCcsInputs(): [string, CcsInstance, CcsSolveOptions][] {
  const quad = createCcsInstance({ theta: [1, 1], cost: [0.5, 0.5], costFamily: 'quadratic' });
  const scaling = createCcsInstance({
    theta: [1, 1],
    cost: [0.5, 0.5],
    quality: { kind: 'scaling-law', a: [1, 1] },
  });
  const twoParents = createCcsInstance({
    theta: [1, 1, 1],
    cost: [0.1, 0.1, 0.1],
    edges: [
      [0, 2, 0.5],
      [1, 2, 0.5],
    ],
  });
  const cycle = createCcsInstance({
    theta: [1, 1, 1],
    cost: [0.1, 0.1, 0.1],
    edges: [
      [0, 1, 0.5],
      [1, 2, 0.5],
      [2, 1, 0.5],
    ],
  });
  const big = randomForest(Rng.seed('big'), { n: 3000 });
  return [
    ['gcs on quadratic cost', quad, { algo: 'gcs' }],
    ['hop on quadratic cost', quad, { algo: 'hop' }],
    ['exact on quadratic cost', quad, { algo: 'exact' }],
    ['nsr on scaling law', scaling, { algo: 'nsr' }],
    ['hop with two parents', twoParents, { algo: 'hop' }],
    ['hop on a cycle', cycle, { algo: 'hop' }],
    ['hop with delta 1/70000', twoParents, { algo: 'hop', delta: 1 / 70000 }],
    ['hop tables too large', big, { algo: 'hop', delta: 1 / 50000 }],
    ['exact beyond exactMaxN', big, { algo: 'exact' }],
  ];
}

export function randomMckp(r: Rng, maxClasses = 12, maxItems = 8, maxCap = 60): MckpProblem {
  const n = r.int(maxClasses + 1);
  const capacity = r.int(maxCap + 1);
  const ties = r.next() < 0.3;
  const classes: MckpItem[][] = [];
  for (let i = 0; i < n; i++) {
    const m = 1 + r.int(maxItems);
    const cls: MckpItem[] = [];
    for (let t = 0; t < m; t++) {
      const heavy = r.next() < 0.05;
      const weight = heavy ? capacity + 1 + r.int(2 ** 30) * 1024 : r.int(max(1, round(capacity / 2)) + 1);
      const profit = ties ? r.int(4) : round((r.next() * 20 - 4) * 1e6) / 1e6;
      cls.push({ weight, profit });
    }
    classes.push(cls);
  }
  return { capacity, classes };
}

export function denseProfits(r: Rng, n: number, D: number): Float64Array {
  const width = D + 1;
  const profits = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const kind = r.int(4);
    const th = r.next();
    const k0 = r.int(width);
    let acc = 0;
    for (let k = 0; k <= D; k++) {
      let v: number;
      if (kind === 0)
        v = k >= k0 ? th : 0; // NSR step (linear cost)
      else if (kind === 1)
        v = th * min(1, k / max(1, D) / max(1e-3, r.next())); // concave-ish
      else if (kind === 2)
        v = r.int(3); // many ties
      else v = acc += r.next() - 0.3; // random walk, some negative
      profits[i * width + k] = v;
    }
  }
  return profits;
}

export function bruteForceMckp(inst: MckpProblem): number | null {
  let best: number | null = null;
  const n = inst.classes.length;
  const rec = (i: number, w: number, v: number): void => {
    if (w > inst.capacity) return;
    if (i === n) {
      if (best === null || v > best) best = v;
      return;
    }
    for (const item of inst.classes[i]!) rec(i + 1, w + item.weight, v + item.profit);
  };
  rec(0, 0, 0);
  return best;
}

/**
 * Greatest-equilibrium kernels: WebAssembly CSR = core (bit for bit), WebAssembly dense = its TS twin
 * (bit for bit), dense vs CSR (same equilibrium; welfare to 1e-12 relative — a different summation order).
 */
import { MechlabError, Rng } from '@mechlab/core';
import {
  greatestEquilibrium as coreEquilibrium,
  randomCcsInstance,
  toDenseGame,
  type CcsInstance,
} from '@mechlab/ccs';
import type { MechlabErrorCode } from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';
import { greatestEquilibrium, greatestEquilibriumDense, registerWasmBackend } from '@mechlab/kernels';

registerWasmBackend();

const { abs, max } = Math;

const toDense = toDenseGame;

/** A random feasible portion vector (Σ ≤ 1), sometimes tight portions to exercise the tie rule. */
function portions(r: Rng, inst: CcsInstance): Float64Array {
  const p = new Float64Array(inst.n);
  const budget = r.next();
  let s = 0;
  for (let i = 0; i < inst.n; i++) s += p[i] = r.next() < 0.3 ? 0 : r.next();
  if (s > 0) for (let i = 0; i < inst.n; i++) p[i] = (p[i]! / s) * budget;
  return p;
}

function sameBits(a: Float64Array, b: Float64Array, label: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) throw new Error(`${label}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('greatest equilibrium kernels', () => {
  it('CSR: wasm equals core bit for bit on 300 seeded instances (cascade and sweeps, both schedules)', () => {
    const rng = Rng.seed('kernels/eq-csr');
    for (let rep = 0; rep < 300; rep++) {
      const r = rng.split(rep);
      const inst = randomCcsInstance(r, {
        n: 1 + r.int(80),
        rho: [0, 0.05, 0.2, 0.6][r.int(4)]!,
        costFamily: r.next() < 0.5 ? 'quadratic' : 'linear',
        costMax: [0.05, 0.3, 1][r.int(3)]!,
      });
      const p = portions(r, inst);
      const opts = {
        schedule: r.next() < 0.5 ? ('jacobi' as const) : ('gauss-seidel' as const),
        method: r.next() < 0.3 ? ('iterate' as const) : ('auto' as const),
      };
      const a = greatestEquilibrium(inst, p, { ...opts, backend: 'wasm' });
      const b = coreEquilibrium(inst, p, opts);
      expect(a.backend).toBe('wasm');
      sameBits(a.efforts, b.efforts, `rep ${rep} efforts`);
      expect(Array.from(a.active)).toEqual(Array.from(b.active));
      expect(Object.is(a.welfare, b.welfare)).toBe(true);
      expect(a.iterations).toBe(b.iterations);
    }
  });

  it('dense: wasm equals the TS twin bit for bit, and agrees with CSR (welfare to 1e-12)', () => {
    const rng = Rng.seed('kernels/eq-dense');
    for (let rep = 0; rep < 200; rep++) {
      const r = rng.split(rep);
      const inst = randomCcsInstance(r, {
        n: 1 + r.int(60),
        rho: [0.05, 0.3, 0.9][r.int(3)]!,
        costFamily: r.next() < 0.5 ? 'quadratic' : 'linear',
      });
      const game = toDense(inst);
      const p = portions(r, inst);
      const method = r.next() < 0.3 ? ('iterate' as const) : ('auto' as const);
      const a = greatestEquilibriumDense(game, p, { backend: 'wasm', method });
      const b = greatestEquilibriumDense(game, p, { backend: 'ts', method });
      expect([a.backend, b.backend]).toEqual(['wasm', 'ts']);
      sameBits(a.efforts, b.efforts, `rep ${rep} dense efforts`);
      expect(Object.is(a.welfare, b.welfare)).toBe(true);
      expect(a.iterations).toBe(b.iterations);
      const c = coreEquilibrium(inst, p, { method });
      expect(Array.from(a.active)).toEqual(Array.from(c.active));
      for (let i = 0; i < inst.n; i++) expect(abs(a.efforts[i]! - c.efforts[i]!)).toBeLessThanOrEqual(1e-9);
      expect(abs(a.welfare - c.welfare)).toBeLessThanOrEqual(
        1e-12 * max(1, abs(c.welfare)) + (inst.costFamily === 'linear' ? 0 : 1e-9),
      );
    }
  });

  it('validates like core and names the field', () => {
    const inst = randomCcsInstance(Rng.seed(1), { n: 3, rho: 0.5 });
    const err = (fn: () => unknown): MechlabError => {
      try {
        fn();
      } catch (e) {
        return e as MechlabError;
      }
      throw new Error('expected a throw');
    };
    for (const [p, msg] of [
      [[0.5, 0.5], 'p.length must be 3 (one portion per player), got 2'],
      [[0.5, 0.6, 0], 'p must sum to at most 1'],
      [[-1, 0, 0], 'p[0] must be ≥ 0, got -1'],
    ] as const) {
      const a = err(() => greatestEquilibrium(inst, p, { backend: 'wasm' }));
      const b = err(() => coreEquilibrium(inst, p));
      expect(a.message).toContain(msg);
      expect([a.code, a.message]).toEqual([b.code, b.message]);
    }
    const quad = randomCcsInstance(Rng.seed(2), { n: 5, rho: 1, costFamily: 'quadratic', costMax: 5 });
    const p = new Float64Array(5).fill(0.2);
    const a = err(() => greatestEquilibrium(quad, p, { backend: 'wasm', maxIterations: 1 }));
    const b = err(() => coreEquilibrium(quad, p, { maxIterations: 1 }));
    expect([a.code, a.message]).toEqual([b.code, b.message]);
    expect(a.code).toBe('ERR_NOT_CONVERGED');
    const game = toDense(inst);
    const bad = Float64Array.from(game.weights);
    bad[4] = 1; // diagonal of player 1
    expect(err(() => greatestEquilibriumDense({ ...game, weights: bad }, [0, 0, 0])).message).toBe(
      'game.weights[4] must be 0 (no self-spillover), got 1',
    );
    expect(
      err(() => greatestEquilibriumDense({ ...game, weights: new Float64Array(4) }, [0, 0, 0])).message,
    ).toBe('game.weights.length must be n² = 9, got 4');
    const scaling = {
      ...inst,
      quality: { kind: 'scaling-law' as const, a: new Float64Array(3).fill(1), alpha: 0.1, dc: 1, d0: 2 },
    };
    expect(err(() => greatestEquilibrium(scaling, [0, 0, 0], { backend: 'wasm' })).message).toMatch(
      /graph quality only/,
    );
    expect(greatestEquilibrium(scaling, [0.3, 0.3, 0.3]).backend).toBe('ts'); // default routes to the reference
  });

  it("options and dense games: one MechlabError naming the field (core's converter)", () => {
    const inst = randomCcsInstance(Rng.seed(3), { n: 3, rho: 0.5 });
    const game = toDense(inst);
    const p = [0, 0, 0];
    const cases: [() => unknown, MechlabErrorCode, string, string | RegExp][] = [
      [
        () => greatestEquilibrium(inst, p, { tol: -1 }),
        'ERR_OUT_OF_RANGE',
        'opts.tol',
        'opts.tol must be ≥ 0, got -1',
      ],
      [
        () => greatestEquilibrium(inst, p, { tol: Infinity }),
        'ERR_OUT_OF_RANGE',
        'opts.tol',
        /finite number/,
      ],
      [
        () => greatestEquilibriumDense(game, p, { maxIterations: 0 }),
        'ERR_OUT_OF_RANGE',
        'opts.maxIterations',
        'opts.maxIterations must be ≥ 1, got 0',
      ],
      [
        () => greatestEquilibriumDense(game, p, { maxIterations: 1.5 }),
        'ERR_INVALID_TYPE',
        'opts.maxIterations',
        'opts.maxIterations must be an integer, got 1.5',
      ],
      [
        () => greatestEquilibriumDense(game, p, { maxIterations: 2 ** 31 }),
        'ERR_OUT_OF_RANGE',
        'opts.maxIterations',
        /≤ 2147483647/,
      ],
      [
        () => greatestEquilibrium(inst, p, { schedule: 'random' as 'jacobi' }),
        'ERR_INVALID_INPUT',
        'opts.schedule',
        /one of "jacobi", "gauss-seidel"/,
      ],
      [
        () => greatestEquilibriumDense(game, p, { method: 'x' as 'auto' }),
        'ERR_INVALID_INPUT',
        'opts.method',
        /one of "auto", "iterate"/,
      ],
      [
        () => greatestEquilibrium(inst, p, 7 as never),
        'ERR_INVALID_TYPE',
        'opts',
        'opts must be an object, got 7',
      ],
      [
        () => greatestEquilibriumDense(null as never, p),
        'ERR_INVALID_TYPE',
        'game',
        'game must be an object, got null',
      ],
      [
        () => greatestEquilibriumDense({ ...game, n: 0 }, p),
        'ERR_OUT_OF_RANGE',
        'game.n',
        'game.n must be ≥ 1, got 0',
      ],
      [
        () => greatestEquilibriumDense({ ...game, theta: [1, 1, 1] as never }, p),
        'ERR_INVALID_TYPE',
        'game.theta',
        'game.theta must be a Float64Array, got an array of length 3',
      ],
      [
        () => greatestEquilibriumDense({ ...game, cost: new Float64Array(2) }, p),
        'ERR_OUT_OF_RANGE',
        'game.cost.length',
        'game.cost.length must be 3, got 2',
      ],
      [
        () => greatestEquilibriumDense({ ...game, cost: Float64Array.of(1, NaN, 1) }, p),
        'ERR_OUT_OF_RANGE',
        'game.cost[1]',
        'game.cost[1] must be a finite number ≥ 0, got NaN',
      ],
      [
        () => greatestEquilibriumDense({ ...game, weights: Float64Array.of(0, -1, 0, 0, 0, 0, 0, 0, 0) }, p),
        'ERR_OUT_OF_RANGE',
        'game.weights[1]',
        'game.weights[1] must be a finite number ≥ 0, got -1',
      ],
      [
        () => greatestEquilibriumDense({ ...game, costFamily: 'cubic' as 'linear' }, p),
        'ERR_INVALID_INPUT',
        'game.costFamily',
        /one of "linear", "quadratic"/,
      ],
    ];
    for (const [fn, code, field, message] of cases) {
      expectMechlabError(fn, { code, field, message });
    }
  });
});

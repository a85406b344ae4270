/**
 * One validation path (issue 19, Deliver 5): the public boundaries of @mechlab/ccs parse with zod and
 * core's `parseWithSchema`, so bad input is one MechlabError naming the field (JSON-path form) and
 * what it must be, in the converter's wording.
 */
import { Rng } from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';
import {
  createCcsInstance,
  parseCcsInstance,
  randomCcsInstance,
  solveMckp,
  solveMckpDense,
} from '@mechlab/ccs';
import { resolveGrid } from '../src/best-response';
import type { CcsInstanceInput } from '../src/instance';

const base = { theta: [0.5, 0.4], cost: [0.2, 0.3] };

describe('ccs boundaries name the field and the expected shape', () => {
  it('createCcsInstance: cost family and quality model', () => {
    expectMechlabError(
      () => createCcsInstance({ ...base, costFamily: 'cubic' } as unknown as CcsInstanceInput),
      {
        code: 'ERR_INVALID_INPUT',
        field: 'costFamily',
        message: 'costFamily must be one of "linear", "quadratic", got "cubic"',
      },
    );
    const sl = (q: object) =>
      createCcsInstance({
        ...base,
        quality: { kind: 'scaling-law', a: [0.5, 0.5], ...q },
      } as CcsInstanceInput);
    expectMechlabError(() => sl({ alpha: 1 }), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'quality.alpha',
      message: 'quality.alpha must be < 1, got 1',
    });
    expectMechlabError(() => sl({ dc: 2, d0: 1 }), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'quality.d0',
      message: 'quality.d0 must be a finite number ≥ dc (2), got 1',
    });
    expectMechlabError(() => sl({ a: 3 }), { code: 'ERR_INVALID_TYPE', field: 'quality.a' });
    expectMechlabError(() => sl({ a: [0.5, 2] }), { code: 'ERR_OUT_OF_RANGE', field: 'quality.a[1]' });
    expect(sl({}).quality).toMatchObject({ kind: 'scaling-law', alpha: 0.095, dc: 1, d0: 2 });
  });

  it('parseCcsInstance keeps the document root in front of a constructor field', () => {
    expectMechlabError(() => parseCcsInstance({ ...base, edges: [[0, 0, 1]] }), {
      field: 'instance.edges[0]',
    });
  });

  it('random instances: a distribution field, named under its marginal', () => {
    const rng = Rng.seed('validation');
    expectMechlabError(
      () => randomCcsInstance(rng, { n: 5, rho: 0.1, weight: { kind: 'exponential', mean: 0 } }),
      {
        code: 'ERR_OUT_OF_RANGE',
        field: 'weight.mean',
        message: 'weight.mean must be > 0, got 0',
      },
    );
    expectMechlabError(() => randomCcsInstance(rng, { n: 2.5, rho: 0.1 }), {
      code: 'ERR_INVALID_TYPE',
      field: 'n',
    });
  });

  it('MCKP: the problem and the options', () => {
    expectMechlabError(() => solveMckp(null as never), {
      code: 'ERR_INVALID_TYPE',
      field: 'instance',
      message: 'instance must be an object, got null',
    });
    expectMechlabError(() => solveMckp({ capacity: 1, classes: [[{ weight: 0 }]] } as never), {
      code: 'ERR_INVALID_TYPE',
      field: 'classes[0][0].profit',
    });
    expectMechlabError(() => solveMckpDense(1, 0, new Float64Array(1), null as never), { field: 'options' });
  });
});

describe('explicit effort grids', () => {
  it('resolveGrid names the first point that does not increase, and reads typed arrays', () => {
    expectMechlabError(() => resolveGrid([0, 0.5, 0.5, 1]), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'grid[2]',
      message: 'grid[2] must be strictly greater than the point before it (0.5), got 0.5',
    });
    expectMechlabError(() => resolveGrid(Float64Array.of(0, 1.5)), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'grid[1]',
    });
    expect(Array.from(resolveGrid(Float64Array.of(0, 0.25, 1)))).toEqual([0, 0.25, 1]);
  });
});

/**
 * The one zod → MechlabError converter (validate.ts): every issue kind becomes one `MechlabError` whose
 * message starts with the field path and says what was expected, with a stable code.
 */
import { z } from 'zod';
import { addMechlabIssue, addRangeIssue, arrayLike, parseWithSchema, typedArray } from '@mechlab/core';
import { numberArray } from '../src/validate';
import type { MechlabErrorCode } from '@mechlab/core';
import { expectMechlabError } from '@mechlab/core/testing';

describe('parseWithSchema', () => {
  it('wrong types, ranges, enums, literals and unknown keys name the field path', () => {
    const s = z
      .object({
        k: z.number().int().min(1),
        xs: z.array(z.number().nonnegative()).min(1),
        kind: z.enum(['a', 'b']),
        version: z.literal(1).optional(),
      })
      .strict();
    const ok = { k: 1, xs: [0], kind: 'a' };
    expect(parseWithSchema(s, ok, 'opts')).toEqual(ok);
    expectMechlabError(() => parseWithSchema(s, { ...ok, k: '1' }, 'opts'), {
      code: 'ERR_INVALID_TYPE',
      field: 'opts.k',
      message: 'opts.k must be a number, got "1"',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, k: 1.5 }, 'opts'), {
      code: 'ERR_INVALID_TYPE',
      message: 'opts.k must be an integer, got 1.5',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, k: 0 }, 'opts'), {
      code: 'ERR_OUT_OF_RANGE',
      message: 'opts.k must be ≥ 1, got 0',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, xs: [1, -2] }, 'opts'), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'opts.xs[1]',
      message: 'opts.xs[1] must be ≥ 0, got -2',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, xs: [] }, 'opts'), {
      code: 'ERR_OUT_OF_RANGE',
      message: 'opts.xs must have ≥ 1 items, got an array of length 0',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, kind: 'c' }, 'opts'), {
      code: 'ERR_INVALID_INPUT',
      message: 'opts.kind must be one of "a", "b", got "c"',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, version: 2 }, 'opts'), {
      code: 'ERR_OUT_OF_RANGE',
      message: 'opts.version must be 1, got 2',
    });
    expectMechlabError(() => parseWithSchema(s, { ...ok, extra: 1 }, 'opts'), {
      code: 'ERR_INVALID_INPUT',
      message: 'opts has unknown key "extra"',
    });
  });

  it('±Infinity is a number out of range, NaN a wrong type (zod 4 rejects both)', () => {
    const s = z.object({ x: z.number() });
    expectMechlabError(() => parseWithSchema(s, { x: Infinity }, 'o'), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'o.x',
      message: 'o.x must be a finite number, got Infinity',
    });
    expectMechlabError(() => parseWithSchema(s, { x: -Infinity }, 'o'), {
      code: 'ERR_OUT_OF_RANGE',
      message: 'o.x must be a finite number, got -Infinity',
    });
    expectMechlabError(() => parseWithSchema(s, { x: NaN }, 'o'), {
      code: 'ERR_INVALID_TYPE',
      message: 'o.x must be a number, got NaN',
    });
  });

  it('an empty root names top-level fields bare (positional arguments)', () => {
    const s = z.object({ uG: z.array(z.number()), k: z.number().int() });
    expectMechlabError(() => parseWithSchema(s, { uG: [1, 'x'], k: 1 }, ''), {
      field: 'uG[1]',
      message: 'uG[1] must be a number, got "x"',
    });
    expectMechlabError(() => parseWithSchema(s, 5, ''), {
      code: 'ERR_INVALID_TYPE',
      field: 'input',
      message: 'input must be an object, got 5',
    });
  });

  it('refinements: addMechlabIssue carries its code and message, addRangeIssue its expectation', () => {
    const s = z.object({ a: z.array(z.number()), b: z.array(z.number()) }).superRefine((v, ctx) => {
      if (v.a.length !== v.b.length) {
        return addMechlabIssue(ctx, ['b'], 'ERR_INVALID_INPUT', `must have ${v.a.length} entries`);
      }
      const i = v.b.findIndex((x, j) => x < v.a[j]!);
      if (i >= 0) addRangeIssue(ctx, ['b', i], `≥ a[${i}]`);
    });
    expectMechlabError(() => parseWithSchema(s, { a: [1], b: [] }, 'g'), {
      code: 'ERR_INVALID_INPUT',
      field: 'g.b',
      message: 'g.b must have 1 entries',
    });
    expectMechlabError(() => parseWithSchema(s, { a: [1, 2], b: [1, 0] }, 'g'), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'g.b[1]',
      message: 'g.b[1] must be ≥ a[1], got 0',
    });
  });

  it('typedArray: the class is a type, each entry a range, named by index', () => {
    const s = z.object({
      w: typedArray(Float64Array, { ok: (x) => x >= 0 && x < Infinity, expected: 'a finite number ≥ 0' }),
      i: typedArray(Int32Array).optional(),
    });
    const w = Float64Array.of(0, 1);
    expect(parseWithSchema(s, { w }, 'game').w).toBe(w);
    expectMechlabError(() => parseWithSchema(s, { w: [0, 1] }, 'game'), {
      code: 'ERR_INVALID_TYPE',
      field: 'game.w',
      message: 'game.w must be a Float64Array, got an array of length 2',
    });
    expectMechlabError(() => parseWithSchema(s, { w, i: Float64Array.of(1) }, 'game'), {
      code: 'ERR_INVALID_TYPE',
      message: 'game.i must be an Int32Array, got a Float64Array of length 1',
    });
    expectMechlabError(() => parseWithSchema(s, { w: Float64Array.of(0, NaN) }, 'game'), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'game.w[1]',
      message: 'game.w[1] must be a finite number ≥ 0, got NaN',
    });
  });

  it('arrayLike: arrays and typed arrays alike, entries named by index', () => {
    const s = arrayLike(z.array(z.number().nonnegative()));
    expect(parseWithSchema(s, Float64Array.of(1, 2), 'uG')).toEqual([1, 2]);
    expect(parseWithSchema(s, [3], 'uG')).toEqual([3]);
    expectMechlabError(() => parseWithSchema(s, Float64Array.of(1, -1), 'uG'), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'uG[1]',
      message: 'uG[1] must be ≥ 0, got -1',
    });
    expectMechlabError(() => parseWithSchema(s, 'x', 'uG'), { code: 'ERR_INVALID_TYPE', field: 'uG' });
  });

  it('unions: the closest alternative speaks; a shape none accepts lists them; a bad tag lists the tags', () => {
    const oneOrMany = z.union([z.number().min(0), z.array(z.number().min(0))]);
    const s = z.object({
      demand: oneOrMany.optional(),
      cost: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('none') }),
          z.object({ kind: z.literal('gpu'), hours: oneOrMany }),
        ])
        .optional(),
    });
    expectMechlabError(() => parseWithSchema(s, { demand: -1 }, 'market'), {
      code: 'ERR_OUT_OF_RANGE',
      message: 'market.demand must be ≥ 0, got -1',
    });
    expectMechlabError(() => parseWithSchema(s, { demand: [1, -2] }, 'market'), {
      code: 'ERR_OUT_OF_RANGE',
      field: 'market.demand[1]',
      message: 'market.demand[1] must be ≥ 0, got -2',
    });
    expectMechlabError(() => parseWithSchema(s, { demand: 'x' }, 'market'), {
      code: 'ERR_INVALID_TYPE',
      field: 'market.demand',
      message: 'market.demand must be a number or an array, got "x"',
    });
    expectMechlabError(() => parseWithSchema(s, { demand: Infinity }, 'market'), {
      code: 'ERR_OUT_OF_RANGE',
      message: 'market.demand must be a finite number, got Infinity',
    });
    expectMechlabError(() => parseWithSchema(s, { cost: { kind: 'api' } }, 'market'), {
      code: 'ERR_INVALID_INPUT',
      field: 'market.cost.kind',
      message: 'market.cost.kind must be one of "none", "gpu", got "api"',
    });
    expectMechlabError(() => parseWithSchema(s, { cost: { kind: 'gpu', hours: [[1]] } }, 'market'), {
      code: 'ERR_INVALID_TYPE',
      field: 'market.cost.hours[0]',
      message: 'market.cost.hours[0] must be a number, got an array of length 1',
    });
  });

  it('numberArray: one plain loop, a Float64Array out, every entry problem named by index', () => {
    const s = z.object({ uG: numberArray({ ok: (x) => x >= 0, expected: '≥ 0' }, 1) });
    const out = parseWithSchema(s, { uG: [1, 2] }, '').uG;
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([1, 2]);
    expect(Array.from(parseWithSchema(s, { uG: Int32Array.of(3) }, '').uG)).toEqual([3]);
    const cases: [unknown, MechlabErrorCode, string][] = [
      ['x', 'ERR_INVALID_TYPE', 'uG must be an array of numbers, got "x"'],
      [[], 'ERR_OUT_OF_RANGE', 'uG must be a non-empty array, got an array of length 0'],
      [[1, 'a'], 'ERR_INVALID_TYPE', 'uG[1] must be a number, got "a"'],
      [[1, NaN], 'ERR_INVALID_TYPE', 'uG[1] must be a number, got NaN'],
      [Float64Array.of(1, -Infinity), 'ERR_OUT_OF_RANGE', 'uG[1] must be a finite number, got -Infinity'],
      [[1, -2], 'ERR_OUT_OF_RANGE', 'uG[1] must be ≥ 0, got -2'],
    ];
    for (const [uG, code, message] of cases) {
      expectMechlabError(() => parseWithSchema(s, { uG }, ''), { code, message });
    }
    expectMechlabError(() => parseWithSchema(numberArray(undefined, 3), [1], 'xs'), {
      message: 'xs must be an array of ≥ 3 entries, got an array of length 1',
    });
  });
});

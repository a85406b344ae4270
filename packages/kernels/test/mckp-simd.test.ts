/**
 * The SIMD general MCKP kernel (assembly/mckp.ts: item-outer, two budgets per f64x2, value and argmax
 * blended by one mask) against the TS reference, bit for bit, on instances wider than the shared
 * conformance suite's: odd and even capacities (the scalar tail cell), items at and above the
 * capacity, integer profits (ties everywhere, lowest index must win), negative profits, i16 and i32
 * argmax tables.
 */
import { Rng } from '@mechlab/core';
import { solveMckp, type MckpProblem } from '@mechlab/ccs';
import { registerWasmBackend } from '@mechlab/kernels';

registerWasmBackend();

function instance(r: Rng, maxItems: number): MckpProblem {
  const capacity = r.int(600);
  const n = 1 + r.int(12);
  const ties = r.next() < 0.5;
  const classes = Array.from({ length: n }, () =>
    Array.from({ length: 1 + r.int(maxItems) }, () => ({
      weight: r.next() < 0.1 ? capacity + r.int(3) : r.int(capacity + 1),
      profit: ties ? r.int(5) - 1 : (r.next() - 0.2) * 10,
    })),
  );
  return { capacity, classes };
}

describe('SIMD general MCKP kernel = TS reference', () => {
  it('200 seeded instances up to capacity 600 (ties, tails, heavy items): same value, choice, weight', () => {
    const rng = Rng.seed('kernels/mckp-simd');
    for (let rep = 0; rep < 200; rep++) {
      const inst = instance(rng.split(rep), 40);
      const a = solveMckp(inst, { backend: 'wasm' });
      const b = solveMckp(inst, { backend: 'ts' });
      expect(a.backend).toBe('wasm');
      expect({ ...a, backend: '' }).toEqual({ ...b, backend: '' });
      if (a.status === 'optimal' && b.status === 'optimal') expect(Object.is(a.value, b.value)).toBe(true);
    }
  });

  it('a class with more than 32767 items uses the i32 argmax table and still agrees', () => {
    const r = Rng.seed('kernels/mckp-simd-wide');
    const capacity = 9;
    const big = Array.from({ length: 33000 }, () => ({ weight: r.int(10), profit: r.int(3) }));
    big.push({ weight: 1, profit: 100 });
    const inst = { capacity, classes: [big, [{ weight: 2, profit: 1 }]] };
    const a = solveMckp(inst, { backend: 'wasm' });
    const b = solveMckp(inst, { backend: 'ts' });
    expect({ ...a, backend: '' }).toEqual({ ...b, backend: '' });
    expect(a.status === 'optimal' && a.choice[0]).toBe(33000);
  });
});

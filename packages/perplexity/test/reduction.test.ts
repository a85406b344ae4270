import fc from 'fast-check';
import { Rng } from '@mechlab/core';
import { createReductionBackend } from '../src/reduction/resolve';
import { logSumExpRow } from '../src/reduction/js';
import { meanLogProbs, type ReductionBackend } from '../src/reduction/backend';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

function referenceLse(row: Float32Array): number {
  let m = -Infinity;
  for (const v of row) m = Math.max(m, v);
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  return m + Math.log(s);
}

function randomLogits(rows: number, vocab: number, seed: number, scale = 8): Float32Array {
  // Seeded 32-bit LCG words → uniform in [−scale, scale): cheap enough for 17 M values.
  let x = Rng.seed(seed).nextUint32();
  const out = new Float32Array(rows * vocab);
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = (x / 2147483648 - 1) * scale;
  }
  return out;
}

/** One contract, every backend (STYLE.md §5). Tolerances: js is float64 throughout; gpu.js sums in float32. */
describe.each([
  ['js', 1e-8],
  ['gpujs', 2e-5],
] as const)('ReductionBackend contract: %s', (name, tol) => {
  let backend: ReductionBackend;
  beforeAll(() => {
    backend = createReductionBackend(name);
  });
  afterAll(async () => {
    await backend.dispose();
  });

  test('log p(target) = logit − logsumexp for unmasked rows, 0 for masked rows', async () => {
    const dims = { batch: 2, seq: 3, vocab: 2500 };
    const logits = randomLogits(6, 2500, 11, 6);
    const targets = new Int32Array([0, 2499, 17, 1, 1000, 5]);
    const mask = new Uint8Array([1, 1, 0, 1, 0, 1]);
    const lp = await backend.logProbs(logits, dims, targets, mask);
    expect(lp).toBeInstanceOf(Float64Array);
    for (let r = 0; r < 6; r++) {
      if (mask[r] === 0) expect(lp[r]).toBe(0);
      else {
        const ref =
          logits[r * 2500 + targets[r]!]! - referenceLse(logits.subarray(r * 2500, r * 2500 + 2500));
        expect(Math.abs(lp[r]! - ref)).toBeLessThan(tol);
      }
    }
    expect(backend.mode).not.toBe('pending');
  });

  test('NaN logits give NaN (the scorer turns it into an error)', async () => {
    const logits = randomLogits(2, 50, 3);
    logits[60] = NaN;
    const lp = await backend.logProbs(
      logits,
      { batch: 1, seq: 2, vocab: 50 },
      new Int32Array([1, 2]),
      new Uint8Array([1, 1]),
    );
    expect(Number.isFinite(lp[0])).toBe(true);
    expect(lp[1]).toBeNaN();
  });

  test('inconsistent arguments reject with RangeError', async () => {
    const logits = randomLogits(2, 5, 1);
    const dims = { batch: 1, seq: 2, vocab: 5 };
    await expect(
      backend.logProbs(logits, { ...dims, vocab: 4 }, new Int32Array(2), new Uint8Array(2)),
    ).rejects.toThrow(RangeError);
    await expect(
      backend.logProbs(logits, dims, new Int32Array([5, 0]), new Uint8Array([1, 1])),
    ).rejects.toThrow(/targets\[0\] must be in \[0, 5\)/);
  });
});

describe('js reduction kernel', () => {
  test('logSumExpRow matches a Math.exp float64 reference to 1e-8 absolute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.01, max: 60, noNaN: true }),
        (vocab, seed, scale) => {
          const row = randomLogits(1, vocab, seed, scale);
          expect(Math.abs(logSumExpRow(row, 0, vocab) - referenceLse(row))).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  test('handles −∞ entries (masked vocabulary), huge offsets, and flags NaN / +∞ / all −∞', () => {
    const row = new Float32Array([-Infinity, 1e4, 1e4 - 1, -Infinity, 1e4 - 50]);
    expect(logSumExpRow(row, 0, 5)).toBeCloseTo(referenceLse(row), 8);
    expect(logSumExpRow(new Float32Array([0, NaN, 1]), 0, 3)).toBeNaN();
    expect(logSumExpRow(new Float32Array([0, Infinity, 1]), 0, 3)).toBeNaN();
    expect(logSumExpRow(new Float32Array([-Infinity, -Infinity]), 0, 2)).toBeNaN();
    expect(logSumExpRow(new Float32Array([3]), 0, 1)).toBe(3);
  });

  test('the mean helper averages masked log-probs per sequence', async () => {
    const js = createReductionBackend('js');
    const dims = { batch: 2, seq: 3, vocab: 5 };
    const logits = randomLogits(6, 5, 1);
    const targets = new Int32Array([0, 4, 2, 1, 3, 0]);
    const mask = new Uint8Array([1, 1, 0, 1, 0, 0]);
    const lp = await js.logProbs(logits, dims, targets, mask);
    for (let r = 0; r < 6; r++) {
      if (mask[r] === 0) expect(lp[r]).toBe(0);
      else
        expect(lp[r]).toBeCloseTo(
          logits[r * 5 + targets[r]!]! - referenceLse(logits.subarray(r * 5, r * 5 + 5)),
          9,
        );
    }
    const { sum, count } = meanLogProbs(lp, dims, mask);
    expect(Array.from(count)).toEqual([2, 1]);
    expect(sum[0]).toBeCloseTo(lp[0]! + lp[1]!, 12);
  });
});

describe('gpujs reduction kernel', () => {
  let gpujs: ReductionBackend;
  beforeAll(() => {
    gpujs = createReductionBackend('gpujs');
  });
  afterAll(async () => {
    await gpujs.dispose();
  });

  test('agrees with the js reference (chunked float32 partials, float64 combine)', async () => {
    const js = createReductionBackend('js');
    for (const [batch, seq, vocab] of [
      [2, 3, 5000],
      [1, 2, 1024],
      // 340 × 50257 > 2^24 logits: gpu.js indexes in float32, so this needs two kernel blocks.
      [2, 170, 50257],
    ] as const) {
      const dims = { batch, seq, vocab };
      const rows = batch * seq;
      const logits = randomLogits(rows, vocab, vocab, 4);
      const targets = new Int32Array(rows).map((_, r) => (r * 7919) % vocab);
      const mask = new Uint8Array(rows).fill(1);
      mask[rows - 1] = rows > 1 ? 0 : 1;
      const [a, b] = [
        await gpujs.logProbs(logits, dims, targets, mask),
        await js.logProbs(logits, dims, targets, mask),
      ];
      for (let r = 0; r < rows; r++) expect(Math.abs(a[r]! - b[r]!)).toBeLessThan(2e-5);
    }
    expect(gpujs.mode).not.toBe('pending');
    expect(gpujs.fallbackReason).toBeUndefined();
  });

  test('an unavailable gpu.js mode falls back and says why', async () => {
    const b = createReductionBackend('gpujs', { gpujsMode: 'webgpu' });
    try {
      const dims = { batch: 1, seq: 1, vocab: 8 };
      const lp = await b.logProbs(randomLogits(1, 8, 2), dims, new Int32Array([3]), new Uint8Array([1]));
      expect(Number.isFinite(lp[0])).toBe(true);
      // Node 20 has no navigator.gpu, so WebGPU cannot be had here.
      expect(b.fallbackReason).toMatch(/gpu\.js mode "webgpu" unavailable/);
    } finally {
      await b.dispose();
    }
  });

  test('unknown backend name is a MechlabError', () => {
    expect(() => createReductionBackend('wasm' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT', field: 'backend' }),
    );
  });
});

/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import fc from 'fast-check';
import { isMechlabError } from '@mechlab/core';
import { ensureTinyModel, loadScorer, syntheticQuestions, type Scorer } from '../src/index';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

let dir: string;
let scorer: Scorer;
const corpus = syntheticQuestions(40, 'scorer-tests').map((q) => q.text);

beforeAll(async () => {
  dir = await ensureTinyModel();
  scorer = await loadScorer(dir, { cache: false });
});
afterAll(async () => {
  await scorer.close();
});

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('scorer', () => {
  test('reports what ran: CPU provider (no CUDA here), in-graph reduction (the default), GPT-2 BOS', () => {
    const info = scorer.info;
    expect(info.provider).toBe('cpu');
    expect(info.backend).toBe('graph');
    expect(info.backendMode).toBe('onnxruntime-cpu');
    expect(info.backendFallback).toBeUndefined();
    expect(info.reducedGraphPath).toBeUndefined(); // cache: false → the reduced graph stays in memory
    expect(info.bosId).toBe(50256);
    expect(info.bosSource).toBe('tokenizer_config.json');
    expect(info.vocabSize).toBe(50257);
    expect(info.logitsWidth).toBe(50257);
    expect(info.modelHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('batched = unbatched to 1e-4 relative, results in input order', async () => {
    const texts = [...corpus.slice(0, 5), 'Short one.', 'x'];
    const single: number[] = [];
    for (const t of texts) single.push((await scorer.score([t], { batch: 1, tokens: 32 }))[0]!.perplexity);
    for (const batch of [3, 32]) {
      const batched = await scorer.score(texts, { batch, tokens: 32 });
      batched.forEach((r, i) => {
        expect(r.status).toBe('scored');
        expect(rel(r.perplexity, single[i]!)).toBeLessThan(1e-4);
      });
    }
  });

  test('padding never changes a score (property: any batch companions, any position)', async () => {
    const target = 'How do I parse a nested string with Python?';
    const [alone] = await scorer.score([target], { batch: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: corpus.length - 1 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 2, max: 64 }),
        async (companions, at, L) => {
          const texts = companions.map((k) => corpus[k]!);
          const pos = Math.min(at, texts.length);
          texts.splice(pos, 0, target);
          const [ref] = await scorer.score([target], { tokens: L, batch: 1 });
          const got = await scorer.score(texts, { tokens: L, batch: 8 });
          expect(rel(got[pos]!.perplexity, ref!.perplexity)).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 6, seed: 42 },
    );
    expect(alone!.tokens).toBe(10);
  });

  test("L' = min(L, len): tokens reported, and a longer text's first L tokens decide its score", async () => {
    const long = corpus[0]! + ' ' + corpus[1]!;
    const [a] = await scorer.score([long], { tokens: 8 });
    expect(a!.tokens).toBe(8);
    expect(a!.predictions).toBe(8);
    const [b] = await scorer.score([long + ' extra words at the end'], { tokens: 8 });
    expect(b!.perplexity).toBe(a!.perplexity);
    const [c] = await scorer.score(['Hi'], { tokens: 8 });
    expect(c!.tokens).toBe(1);
    expect(Number.isFinite(c!.perplexity)).toBe(true);
  });

  test('long texts: only the first L tokens matter', async () => {
    const long = corpus.join(' ');
    const [a] = await scorer.score([long], { tokens: 64 });
    expect(a!.tokens).toBe(64);
    // The same first 64 tokens, scored from a text exactly cut after them.
    const [b] = await scorer.score([corpus.slice(0, 3).join(' ')], { tokens: 64 });
    expect(b!.perplexity).toBe(a!.perplexity);
  });

  test('identical texts in one call are scored once and agree', async () => {
    const t = corpus[5]!;
    const r = await scorer.score([t, corpus[6]!, t]);
    expect(r[0]!.perplexity).toBe(r[2]!.perplexity);
  });

  test('empty and non-string texts reject with a field-naming MechlabError, never NaN', async () => {
    await expect(scorer.score(['ok', ''])).rejects.toMatchObject({
      name: 'MechlabError',
      code: 'ERR_INVALID_INPUT',
      field: 'texts[1]',
      message: 'texts[1] must be a non-empty string, got ""',
    });
    await expect(scorer.score([42 as unknown as string])).rejects.toMatchObject({
      code: 'ERR_INVALID_TYPE',
      field: 'texts[0]',
    });
    await expect(scorer.score(['ok'], { tokens: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(scorer.score(['ok'], { batch: 1.5 } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_TYPE',
    });
    expect(await scorer.score([])).toEqual([]);
  });

  test('without BOS a one-token text is an error, not NaN', async () => {
    const s = await loadScorer(dir, { cache: false, bos: 'none' });
    try {
      await expect(s.score(['Hi'])).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: 'texts[0] has 1 token; without a BOS token perplexity needs ≥ 2',
      });
      await expect(s.score(['Hi there'], { tokens: 1 })).rejects.toMatchObject({
        code: 'ERR_OUT_OF_RANGE',
        field: 'tokens',
      });
    } finally {
      await s.close();
    }
  });

  test('timings account for every stage', async () => {
    const t = scorer.timings();
    expect(t.batches).toBeGreaterThan(0);
    expect(t.runMs).toBeGreaterThan(0);
    expect(t.reduceMs).toBeGreaterThan(0);
    expect(t.predictedTokens).toBeLessThanOrEqual(t.positions);
  });

  test('provider: explicit cuda falls back to CPU gracefully and says why', async () => {
    const s = await loadScorer(dir, { cache: false, provider: 'cuda' });
    try {
      expect(s.info.provider).toBe('cpu');
      // Here the CUDA provider libraries are not installed, so nothing is even attempted.
      expect(s.info.providerNote).toMatch(/^cuda: CUDA provider library not installed \(.+\); using CPU$/);
      const [r] = await s.score(['How do I sort a list?']);
      expect(r).toMatchObject({ status: 'scored', provider: 'cpu' });
    } finally {
      await s.close();
    }
  });

  test('gpujs reduction agrees with js and reports the gpu.js mode it really got', async () => {
    const s = await loadScorer(dir, { cache: false, backend: 'gpujs' });
    try {
      expect(s.info.backendMode).toBe('pending');
      const texts = corpus.slice(10, 13);
      const [a, b] = [await s.score(texts, { tokens: 16 }), await scorer.score(texts, { tokens: 16 })];
      a.forEach((r, i) => expect(rel(r.perplexity, b[i]!.perplexity)).toBeLessThan(1e-5));
      expect(['webasm', 'cpu', 'webgpu', 'headlessgl', 'webgl', 'webgl2']).toContain(s.info.backendMode);
      expect(a[0]).toMatchObject({ status: 'scored', backend: 'gpujs', backendMode: s.info.backendMode });
    } finally {
      await s.close();
    }
  });

  test('closed scorer rejects', async () => {
    const s = await loadScorer(dir, { cache: false });
    await s.close();
    const err: unknown = await s.score(['x']).catch((e: unknown) => e);
    expect(isMechlabError(err)).toBe(true);
  });
});

/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 *
 * The in-graph reduction on a GPT-2-architecture model built by this package (embedding + position
 * embedding + 2 attention blocks + tied output layer, seeded random weights): checked against an
 * independent float64 log-softmax of the *full* logits of the untouched model (raw ONNX Runtime session,
 * nothing of the scorer), batched = unbatched in every length bucket, real-export interfaces
 * (optimum's position_ids + present.* outputs), context-length and memory refusals, and the graph cache.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-3-encoder';
import * as ort from 'onnxruntime-node';
import {
  encodeOnnxModel,
  ensureTinyModel,
  gpt2Config,
  gpt2Graph,
  loadScorer,
  syntheticQuestions,
} from '../src/index';
import { type Gpt2GraphOptions } from '../src/gpt2-graph';
import { tempDir } from './helpers';

jest.setTimeout(120_000);

const BOS = 50256;
let tiny: string;
const dirs = new Map<string, string>();

function modelDir(options: Gpt2GraphOptions, config: boolean): string {
  const key = JSON.stringify({ options, config });
  const hit = dirs.get(key);
  if (hit !== undefined) return hit;
  const dir = tempDir('ppl-gpt2-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), encodeOnnxModel(gpt2Graph(options)));
  if (config) writeFileSync(join(dir, 'config.json'), JSON.stringify(gpt2Config(options)));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tiny, f), join(dir, f));
  dirs.set(key, dir);
  return dir;
}

beforeAll(async () => {
  tiny = await ensureTinyModel();
});

/** Full logits of the untouched model for one sequence, then float64 log-softmax + gather. */
async function referencePerplexity(
  session: ort.InferenceSession,
  text: string,
  L: number,
): Promise<{ ppl: number; logProbs: number[] }> {
  const ids = encode(text).slice(0, L);
  const fed = [BOS, ...ids.slice(0, -1)];
  const S = fed.length;
  const out = await session.run({
    input_ids: new ort.Tensor('int64', BigInt64Array.from(fed.map(BigInt)), [1, S]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(S).fill(1n), [1, S]),
  });
  const logits = out['logits']!.data as Float32Array;
  const V = out['logits']!.dims[2]!;
  const logProbs: number[] = [];
  for (let t = 0; t < S; t++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[t * V + v]!);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[t * V + v]! - max);
    logProbs.push(logits[t * V + ids[t]!]! - max - Math.log(sum));
  }
  const nll = -logProbs.reduce((a, b) => a + b, 0) / logProbs.length;
  return { ppl: Math.exp(nll), logProbs };
}

const rel = (a: number, b: number) => Math.abs(a / b - 1);

// Lengths spread so that batches of 4 (sorted by length) land in distinct padded widths.
const corpus = syntheticQuestions(24, 'graph-reduction').map((q) => q.text);
const texts = corpus
  .slice(0, 12)
  .map((t, i) => (i % 3 === 0 ? t + ' ' + corpus[12 + i]! : t.slice(0, 12 + 9 * i)));

describe('GPT-2-architecture model built by the package', () => {
  test('deterministic bytes, and causal: logits at t do not depend on tokens after t', async () => {
    const a = encodeOnnxModel(gpt2Graph({ layers: 1, vocab: 300, seed: 5 }));
    const b = encodeOnnxModel(gpt2Graph({ layers: 1, vocab: 300, seed: 5 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const s = await ort.InferenceSession.create(a);
    const run = async (ids: number[]) =>
      (
        await s.run({
          input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
          attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
        })
      )['logits']!.data as Float32Array;
    const x = await run([1, 2, 3, 4]);
    const y = await run([1, 2, 3, 250]);
    expect(Array.from(x.subarray(0, 3 * 300))).toEqual(Array.from(y.subarray(0, 3 * 300)));
    expect(x[3 * 300 + 7]).not.toBe(y[3 * 300 + 7]);
    await s.release();
  });
});

describe('in-graph reduction', () => {
  test('matches float64 log-softmax of the full logits (≤ 1e-5 rel.), batched = unbatched in every bucket', async () => {
    const dir = modelDir({}, true);
    const raw = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    const scorer = await loadScorer(dir, { cache: false });
    try {
      expect(scorer.info.backend).toBe('graph');
      const L = 48;
      const lengths = texts.map((t) => Math.min(L, encode(t).length));
      const sorted = [...lengths].sort((p, q) => q - p);
      const buckets = new Set([0, 4, 8].map((k) => sorted[k]));
      expect(buckets.size).toBe(3); // three batches of 4, three padded widths
      const single = [];
      for (const t of texts) single.push((await scorer.score([t], { tokens: L, batch: 1 }))[0]!);
      const batched = await scorer.score(texts, { tokens: L, batch: 4 });
      for (let i = 0; i < texts.length; i++) {
        const ref = await referencePerplexity(raw, texts[i]!, L);
        expect(single[i]!.tokens).toBe(lengths[i]);
        expect(rel(single[i]!.perplexity, ref.ppl)).toBeLessThan(1e-5);
        expect(rel(batched[i]!.perplexity, ref.ppl)).toBeLessThan(1e-5);
        expect(rel(batched[i]!.perplexity, single[i]!.perplexity)).toBeLessThan(1e-5);
        // Per-token: the mean NLL is the float64 mean of the reference log-probabilities.
        const meanRef = -ref.logProbs.reduce((a, b) => a + b, 0) / ref.logProbs.length;
        expect(Math.abs(single[i]!.meanNll - meanRef)).toBeLessThan(1e-5 * Math.max(1, meanRef));
      }
    } finally {
      await scorer.close();
      await raw.release();
    }
  });

  test('js and gpujs reductions on the same model agree with the graph; each says what ran', async () => {
    const dir = modelDir({}, true);
    const L = 24;
    const results = [];
    for (const backend of ['graph', 'js', 'gpujs'] as const) {
      const s = await loadScorer(dir, { cache: false, backend });
      try {
        const r = await s.score(texts.slice(0, 5), { tokens: L, batch: 8 });
        expect(r[0]).toMatchObject({ status: 'scored', backend });
        results.push(r.map((x) => x.perplexity));
      } finally {
        await s.close();
      }
    }
    for (let i = 0; i < 5; i++) {
      expect(rel(results[1]![i]!, results[0]![i]!)).toBeLessThan(1e-5);
      expect(rel(results[2]![i]!, results[0]![i]!)).toBeLessThan(2e-5); // gpu.js sums in float32
    }
  });

  test('optimum-style export (position_ids input, present.* outputs) scores like the torch export', async () => {
    const torch = await loadScorer(modelDir({}, true), { cache: false });
    const optimum = await loadScorer(modelDir({ flavour: 'optimum' }, true), { cache: false });
    try {
      expect(optimum.info.inputs).toEqual(['input_ids', 'attention_mask', 'position_ids']);
      expect(optimum.info.backend).toBe('graph');
      const a = await torch.score(texts, { tokens: 32, batch: 5 });
      const b = await optimum.score(texts, { tokens: 32, batch: 5 });
      a.forEach((r, i) => expect(rel(b[i]!.perplexity, r.perplexity)).toBeLessThan(1e-6));
    } finally {
      await torch.close();
      await optimum.close();
    }
  });

  test('the reduced graph is cached under <cache>/graphs and the user file is never modified', async () => {
    const dir = modelDir({ layers: 1 }, true);
    const model = join(dir, 'model.onnx');
    const before = createHash('sha256').update(readFileSync(model)).digest('hex');
    const mtime = statSync(model).mtimeMs;
    const cache = tempDir('ppl-graph-cache-');
    const s1 = await loadScorer(dir, { cache });
    const path = s1.info.reducedGraphPath!;
    expect(path).toBe(join(cache, 'graphs', `${before}.v1.onnx`));
    expect(existsSync(path.replace(/\.onnx$/, '.json'))).toBe(true);
    const [r1] = await s1.score([texts[0]!]);
    await s1.close();
    const written = statSync(path).mtimeMs;
    const s2 = await loadScorer(dir, { cache: tempDir('ppl-unused-') });
    const s3 = await loadScorer(dir, { cache });
    try {
      expect(s3.info.reducedGraphPath).toBe(path);
      expect(statSync(path).mtimeMs).toBe(written); // reused, not rewritten
      const [r3] = await s2.score([texts[0]!]);
      expect(r3!.perplexity).toBe(r1!.perplexity);
    } finally {
      await s2.close();
      await s3.close();
    }
    expect(createHash('sha256').update(readFileSync(model)).digest('hex')).toBe(before);
    expect(statSync(model).mtimeMs).toBe(mtime);
  });
});

describe('refused up front', () => {
  test('tokens beyond the context length: from config.json, else from the wpe initializer', async () => {
    await expect(
      loadScorer(modelDir({ positions: 32 }, true), { cache: false, tokens: 40 }),
    ).rejects.toMatchObject({
      name: 'MechlabError',
      code: 'ERR_OUT_OF_RANGE',
      field: 'tokens',
      message: "tokens: 40 exceeds the model's context length (32 positions, from config.json n_positions)",
    });
    const s = await loadScorer(modelDir({ positions: 32 }, false), { cache: false });
    try {
      expect(s.info.contextLength).toEqual({ positions: 32, source: 'initializer wpe' });
      await expect(s.score(['x'], { tokens: 33 })).rejects.toMatchObject({
        message: "tokens: 33 exceeds the model's context length (32 positions, from initializer wpe)",
      });
      expect((await s.score([texts[0]!], { tokens: 32 }))[0]!.tokens).toBe(32);
    } finally {
      await s.close();
    }
  });

  test('a batch whose logits would exceed maxLogitsBytes', async () => {
    await expect(
      loadScorer(modelDir({}, true), { cache: false, batch: 64, tokens: 64, maxLogitsBytes: 100 * 2 ** 20 }),
    ).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'batch',
      message:
        'batch: 64 × 64 positions × 50257 vocabulary × 4 bytes = 785 MiB of logits exceeds the 100 MiB bound (max-logits-memory); lower batch or tokens',
    });
  });
});

/**
 * Benchmarks for @mechlab/perplexity (run: `npx tsx benchmarks/perplexity/index.ts`).
 *
 * - scorer throughput (predicted tokens/s) at batch 1, 8, 32 with L = 64, cache off, on the tiny LM;
 * - pipeline overhead: the scorer's wall time per batch of 32 vs a raw `session.run` on pre-built feeds
 *   of the same shape, plus the scorer's own per-stage breakdown (tokenise, pack, run, reduce, cache);
 * - the reduction kernel alone, js vs gpujs, on one fixed batch of logits;
 * - the same overhead measurement on a stand-in with GPT-2-small's output layer (hidden 768 → 50257,
 *   random weights): the tiny LM's forward pass is almost free, so its overhead ratio is dominated by
 *   the full-vocabulary reduction; a model with a realistic compute-to-logits ratio shows the other end.
 *
 * Setup (model build, texts, feeds, logits) happens outside the timed functions. JSON results go to
 * benchmarks/results/perplexity-*.json (git-ignored); a summary table is printed at the end.
 * On a machine with a GPU, `PPL_PROVIDER=cuda` (or `webgpu`) and `PPL_GPUJS_MODE=…` select what to try;
 * the summary always says what actually ran.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@mechlab/core';
import { add, complete, configure, cycle, save, suite } from 'benny';
import * as ort from 'onnxruntime-node';
import {
  createReductionBackend,
  encodeOnnxModel,
  ensureTinyModel,
  loadScorer,
  syntheticQuestions,
  type GpuJsMode,
  type ProviderRequest,
} from '@mechlab/perplexity';

interface CaseResult {
  name: string;
  details: { mean: number };
}

const config = configure({ cases: { minSamples: 5, maxTime: 3 } });
const msPerOp = new Map<string, number>();
function record(summary: { results: CaseResult[] }): void {
  for (const r of summary.results) msPerOp.set(r.name, 1000 * r.details.mean);
}
const get = (name: string): number => msPerOp.get(name) ?? NaN;

const L = 64;
const provider = (process.env['PPL_PROVIDER'] ?? 'auto') as ProviderRequest;
const gpujsMode = (process.env['PPL_GPUJS_MODE'] ?? 'auto') as GpuJsMode;

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const dir = await ensureTinyModel();
  // Texts of ≥ 64 tokens (three synthetic questions each), so every row is a full window.
  const qs = syntheticQuestions(3 * 96, 'bench').map((q) => q.text);
  const texts = Array.from({ length: 96 }, (_, i) => qs.slice(3 * i, 3 * i + 3).join('\n'));
  const scorer = await loadScorer(dir, { cache: false, provider, tokens: L });
  const info = scorer.info;
  const check = await scorer.score(texts.slice(0, 32), { batch: 32 });
  if (check.some((r) => r.tokens !== L)) throw new Error('benchmark texts must have ≥ 64 tokens');

  let cursor = 0;
  const nextTexts = (n: number): string[] => {
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(texts[(cursor + k) % texts.length]!);
    cursor = (cursor + n) % texts.length;
    return out;
  };

  await suite(
    'Scorer throughput, tiny LM, L = 64, cache off',
    config,
    ...[1, 8, 32].map((b) =>
      add(`score batch=${b}`, async () => {
        await scorer.score(nextTexts(b), { batch: b });
      }),
    ),
    cycle(),
    complete(record),
    save({ file: 'perplexity-throughput', folder: 'benchmarks/results', format: 'json' }),
  );

  // Raw session.run on feeds of the scorer's exact shape for a full batch of 32: BOS + 63 tokens.
  const session = await ort.InferenceSession.create(`${dir}/model.onnx`, {
    graphOptimizationLevel: 'all',
    executionProviders: [info.provider],
  });
  const S = L;
  const ids = new BigInt64Array(32 * S).map((_, i) => BigInt(i % S === 0 ? 50256 : 200 + ((i * 37) % 5000)));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [32, S]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(32 * S).fill(1n), [32, S]),
  };
  const before = scorer.timings();
  await suite(
    'Pipeline overhead at batch 32',
    config,
    add('raw session.run batch=32', async () => {
      const out = await session.run(feeds, ['logits']);
      out['logits']?.dispose();
    }),
    add('scorer batch=32', async () => {
      await scorer.score(nextTexts(32), { batch: 32 });
    }),
    cycle(),
    complete(record),
    save({ file: 'perplexity-overhead', folder: 'benchmarks/results', format: 'json' }),
  );
  const after = scorer.timings();
  const stage = {
    tokenize: after.tokenizeMs - before.tokenizeMs,
    pack: after.packMs - before.packMs,
    run: after.runMs - before.runMs,
    reduce: after.reduceMs - before.reduceMs,
    cache: after.cacheMs - before.cacheMs,
  };

  // The reduction alone on one fixed batch of logits (8 × 64 × 50257 = 25.7 M logits).
  const logitsOut = await session.run(
    {
      input_ids: new ort.Tensor('int64', ids.slice(0, 8 * S), [8, S]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(8 * S).fill(1n), [8, S]),
    },
    ['logits'],
  );
  const logits = logitsOut['logits']!.data as Float32Array;
  const dims = { batch: 8, seq: S, vocab: 50257 };
  const targets = new Int32Array(8 * S).map((_, i) => (i * 7919) % 50257);
  const mask = new Uint8Array(8 * S).fill(1);
  const js = createReductionBackend('js');
  const gpujs = createReductionBackend('gpujs', { gpujsMode });
  const a = await js.logProbs(logits, dims, targets, mask);
  const b = await gpujs.logProbs(logits, dims, targets, mask);
  let maxDiff = 0;
  for (let r = 0; r < a.length; r++) maxDiff = Math.max(maxDiff, Math.abs(a[r]! - b[r]!));
  await suite(
    'Reduction kernel, 8 × 64 × 50257 logits',
    config,
    add('reduction js', async () => {
      await js.logProbs(logits, dims, targets, mask);
    }),
    add(`reduction gpujs (${gpujs.mode})`, async () => {
      await gpujs.logProbs(logits, dims, targets, mask);
    }),
    cycle(),
    complete(record),
    save({ file: 'perplexity-reduction', folder: 'benchmarks/results', format: 'json' }),
  );

  // GPT-2-small-sized output layer: logits = E[id mod 1024] @ W, E [1024, 768], W [768, 50257].
  const headDir = mkdtempSync(join(tmpdir(), 'ppl-head768-'));
  const rng = Rng.seed('bench-head768');
  const H = 768;
  const V = 50257;
  const rowMap = new Int32Array(V).map((_, i) => i % 1024);
  const E = new Float32Array(1024 * H).map(() => rng.normal(0, 1));
  const W = new Float32Array(H * V).map(() => rng.normal(0, 0.02));
  writeFileSync(
    join(headDir, 'model.onnx'),
    encodeOnnxModel({
      name: 'gpt2-head-standin',
      inputs: [
        { name: 'input_ids', type: 'int64', shape: ['batch', 'sequence'] },
        { name: 'attention_mask', type: 'int64', shape: ['batch', 'sequence'] },
      ],
      outputs: [{ name: 'logits', type: 'float32', shape: ['batch', 'sequence', V] }],
      initializers: [
        { name: 'row_map', type: 'int32', dims: [V], data: rowMap },
        { name: 'E', type: 'float32', dims: [1024, H], data: E },
        { name: 'W', type: 'float32', dims: [H, V], data: W },
      ],
      nodes: [
        { op: 'Gather', inputs: ['row_map', 'input_ids'], outputs: ['rows'] },
        { op: 'Gather', inputs: ['E', 'rows'], outputs: ['h'] },
        { op: 'MatMul', inputs: ['h', 'W'], outputs: ['logits'] },
      ],
    }),
  );
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(dir, f), join(headDir, f));
  const head = await loadScorer(headDir, { cache: false, provider, tokens: L });
  const headSession = await ort.InferenceSession.create(join(headDir, 'model.onnx'), {
    graphOptimizationLevel: 'all',
    executionProviders: [info.provider],
  });
  const headBefore = head.timings();
  await suite(
    'Pipeline overhead at batch 32, GPT-2-small-sized output layer (768 → 50257)',
    configure({ cases: { minSamples: 3, maxTime: 2 } }),
    add('head768 raw session.run batch=32', async () => {
      const out = await headSession.run(feeds, ['logits']);
      out['logits']?.dispose();
    }),
    add('head768 scorer batch=32', async () => {
      await head.score(nextTexts(32), { batch: 32 });
    }),
    cycle(),
    complete(record),
    save({ file: 'perplexity-overhead-head768', folder: 'benchmarks/results', format: 'json' }),
  );
  const headAfter = head.timings();
  const headReduce = headAfter.reduceMs - headBefore.reduceMs;
  const headRun = headAfter.runMs - headBefore.runMs;
  const headOther =
    headAfter.tokenizeMs -
    headBefore.tokenizeMs +
    (headAfter.packMs - headBefore.packMs) +
    (headAfter.cacheMs - headBefore.cacheMs);
  await head.close();
  await headSession.release();
  rmSync(headDir, { recursive: true, force: true });

  const tps = (b: number): number => (b * L * 1000) / get(`score batch=${b}`);
  const raw = get('raw session.run batch=32');
  const piped = get('scorer batch=32');
  const jsMs = get('reduction js');
  const gpuMs = get(`reduction gpujs (${gpujs.mode})`);
  const logitCount = 8 * S * 50257;
  const stageTotal = stage.tokenize + stage.pack + stage.run + stage.reduce + stage.cache;
  const pct = (x: number): string => `${((100 * x) / stage.run).toFixed(1)}%`;
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

  console.log(
    `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `Load average (1 min) before/after: ${loadBefore.toFixed(1)} / ${(loadavg()[0] ?? NaN).toFixed(1)}`,
  );
  console.log(`Provider: ${info.provider}${info.providerNote ? ` (${info.providerNote})` : ''}`);
  console.log(
    `gpu.js mode obtained: ${gpujs.mode}${gpujs.fallbackReason ? ` (${gpujs.fallbackReason})` : ''}`,
  );
  console.log('\n| measure | value |');
  console.log('|---|---|');
  for (const bsz of [1, 8, 32]) console.log(`| tokens/s, batch ${bsz} | ${fmt(tps(bsz))} |`);
  console.log(`| raw session.run, 32 × 64 | ${fmt(raw)} ms |`);
  console.log(`| scorer, 32 texts × 64 tokens | ${fmt(piped)} ms |`);
  console.log(`| pipeline overhead vs raw run | ${((100 * (piped - raw)) / raw).toFixed(0)}% |`);
  console.log(
    `| stages (share of run): tokenize / pack / reduce / cache | ${pct(stage.tokenize)} / ${pct(stage.pack)} / ${pct(stage.reduce)} / ${pct(stage.cache)} |`,
  );
  console.log(`| overhead / run, scorer's own timers | ${pct(stageTotal - stage.run)} |`);
  console.log(`| overhead excluding the reduction | ${pct(stageTotal - stage.run - stage.reduce)} |`);
  console.log(
    `| reduction js, 25.7 M logits | ${fmt(jsMs)} ms (${((jsMs * 1e6) / logitCount).toFixed(2)} ns/logit) |`,
  );
  console.log(
    `| reduction gpujs (${gpujs.mode}), 25.7 M logits | ${fmt(gpuMs)} ms (${((gpuMs * 1e6) / logitCount).toFixed(2)} ns/logit) |`,
  );
  console.log(`| gpujs / js time ratio | ${(gpuMs / jsMs).toFixed(2)}× |`);
  console.log(`| max abs diff gpujs vs js (log-prob) | ${maxDiff.toExponential(1)} |`);
  const hRaw = get('head768 raw session.run batch=32');
  const hPiped = get('head768 scorer batch=32');
  console.log(`| GPT-2-head stand-in: raw session.run, 32 × 64 | ${fmt(hRaw)} ms |`);
  console.log(`| GPT-2-head stand-in: scorer, 32 × 64 | ${fmt(hPiped)} ms |`);
  console.log(
    `| GPT-2-head stand-in: pipeline overhead vs raw run | ${((100 * (hPiped - hRaw)) / hRaw).toFixed(0)}% |`,
  );
  console.log(
    `| GPT-2-head stand-in: overhead / run, scorer's own timers (reduction + rest) | ${((100 * (headReduce + headOther)) / headRun).toFixed(1)}% (${((100 * headReduce) / headRun).toFixed(1)}% + ${((100 * headOther) / headRun).toFixed(1)}%) |`,
  );

  await js.dispose();
  await gpujs.dispose();
  await session.release();
  await scorer.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

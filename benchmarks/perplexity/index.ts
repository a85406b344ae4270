/**
 * Benchmarks for @mechlab/perplexity (run: `npx tsx benchmarks/perplexity/index.ts`).
 *
 * The model is the issue's: a GPT-2-architecture LM (2 layers, width 64, vocabulary 50,257, 128
 * positions; `gpt2Graph`, seeded random weights) with the GPT-2 tokenizer, texts of ≥ 64 tokens, L = 64,
 * cache off. Measured, all in one run so the ratios share the machine's state:
 * - whether `session.run` blocks the JS thread (event-loop ticks during one batch);
 * - first call: `loadScorer` (graph surgery + session creation, no graph cache) + the first batch;
 * - scorer tokens/s, in-graph reduction, at batch 1 / 8 / 16 / 32 / 64 with the defaults (tensors
 *   reused, tokenise-ahead worker), and at batch 1 / 8 / 32 with the pipeline off, tensor reuse off,
 *   and both off (the previous scorer); each op scores 3 windows (12 · batch texts), so 2 of them are
 *   tokenised on the worker;
 * - the JS reduction at batch 1 / 8 / 32, tensors reused (the `[B, S, 50257]` logits pre-allocated)
 *   and not; one window per op;
 * - `session.run` alone, batch 32 × 63, pre-built feeds: the untouched model fetching `logits`, and the
 *   reduced graph fetching the log-probs (what the scorer's model work costs without any JS around it);
 * - interleaved A/B at batch 8 and 32 (same texts, alternating order, medians of 5 rounds): pipeline
 *   on/off and tensor reuse on/off, less exposed to load changes than the sequential suites;
 * - whole process wall time.
 * `PPL_PROVIDER=cuda|webgpu` selects a provider on a GPU machine; the summary says what ran.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, complete, configure, cycle, suite } from 'benny';
import { median } from '@mechlab/core';
import * as ort from 'onnxruntime-node';
import {
  encodeOnnxModel,
  ensureTinyModel,
  gpt2Config,
  gpt2Graph,
  loadScorer,
  syntheticQuestions,
  type ProviderRequest,
  type Scorer,
} from '@mechlab/perplexity';
import { caseRecorder } from '../record';

type ScorerOptions = NonNullable<Parameters<typeof loadScorer>[1]>;

const { record, mean: msPerOp } = caseRecorder(1000);
const get = (name: string): number => msPerOp.get(name) ?? NaN;
const config = configure({ cases: { minSamples: 3, maxTime: 2 } });
const L = 64;
const provider = (process.env['PPL_PROVIDER'] ?? 'auto') as ProviderRequest;
const WINDOW = 4; // batches per window (onnx-scorer.ts WINDOW_BATCHES)

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const tiny = await ensureTinyModel();
  const dir = mkdtempSync(join(tmpdir(), 'ppl-bench-gpt2-'));
  const graphCache = join(dir, 'cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), encodeOnnxModel(gpt2Graph()));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(gpt2Config()));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tiny, f), join(dir, f));
  const qs = syntheticQuestions(3 * 400, 'bench').map((q) => q.text);
  const texts = Array.from({ length: 400 }, (_, i) => qs.slice(3 * i, 3 * i + 3).join('\n'));
  let cursor = 0;
  const next = (n: number): string[] => {
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(texts[(cursor + k) % texts.length]!);
    cursor = (cursor + n) % texts.length;
    return out;
  };

  // First call: load (surgery, session) + first batch of 32, nothing cached.
  const t0 = performance.now();
  const open = (o: ScorerOptions): Promise<Scorer> =>
    loadScorer(dir, { cache: false, provider, tokens: L, ...o });
  const graph = await open({});
  const tLoaded = performance.now();
  const first = await graph.score(next(32), { batch: 32 });
  const tFirst = performance.now();
  if (first.some((r) => r.tokens !== L)) throw new Error('benchmark texts must have ≥ 64 tokens');
  const fed = L; // BOS + the first 63 text tokens predict all 64 tokens
  await graph.close();
  // The reduced graph on disk (the scorer keeps it in memory with cache: false).
  const cached = await loadScorer(dir, { cache: graphCache, provider, tokens: L });
  const reducedPath = cached.info.reducedGraphPath!;
  const usedProvider = cached.info.provider;
  const providerNote = cached.info.providerNote;
  await cached.close();

  const sessionOptions = {
    graphOptimizationLevel: 'all' as const,
    executionProviders: [usedProvider],
    logSeverityLevel: 4 as const,
  };
  const raw = await ort.InferenceSession.create(join(dir, 'model.onnx'), sessionOptions);
  const reduced = await ort.InferenceSession.create(reducedPath, sessionOptions);
  // What the surgery added (graph-reduction.ts): the targets input and the log-prob/shape outputs.
  const targetsInput = reduced.inputNames.find((n) => !raw.inputNames.includes(n))!;
  const addedOutputs = reduced.outputNames.filter((n) => !raw.outputNames.includes(n));
  const ids = new BigInt64Array(32 * fed).map((_, i) =>
    BigInt(i % fed === 0 ? 50256 : 200 + ((i * 37) % 5000)),
  );
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [32, fed]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(32 * fed).fill(1n), [32, fed]),
  };
  const reducedFeeds = {
    ...feeds,
    [targetsInput]: new ort.Tensor('int64', new BigInt64Array(32 * fed).fill(262n), [32, fed, 1]),
  };

  // Does session.run block the JS thread? Count 1 ms timer ticks during one batch of 32.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const tb = performance.now();
  (await raw.run(feeds, ['logits']))['logits']?.dispose();
  const blockMs = performance.now() - tb;
  clearInterval(timer);

  const title = 'Perplexity scorer, GPT-2 2×64 (vocab 50,257), L = 64, cache off';
  await suite(
    `${title}: session.run alone`,
    config,
    add('session.run alone, untouched model, logits out, batch=32', async () => {
      (await raw.run(feeds, ['logits']))['logits']?.dispose();
    }),
    add('session.run alone, reduced graph, batch=32', async () => {
      await reduced.run(reducedFeeds, addedOutputs);
    }),
    cycle(),
    complete(record),
  );
  await raw.release();
  await reduced.release();

  // One scorer at a time: each ONNX Runtime session keeps its CPU arena at its peak (≈ 2 GiB at
  // batch 32 × 64 × 50,257), so holding all of them at once would exhaust memory.
  const textsPerOp = (b: number, windows: number): number => windows * WINDOW * b;
  let stages = '';
  let workerWindows = 0;
  const measure = async (
    name: string,
    options: ScorerOptions,
    bs: number[],
    windows: (b: number) => number,
  ) => {
    const s = await open(options);
    try {
      await suite(
        `${title}: ${name}`,
        config,
        ...bs.map((b) =>
          add(`${name} batch=${b}`, async () => {
            await s.score(next(textsPerOp(b, windows(b))), { batch: b });
          }),
        ),
        cycle(),
        complete(record),
      );
      if (name === 'graph') {
        const t = s.timings();
        workerWindows = t.workerWindows;
        stages = `tokenise (main thread, incl. waiting for the worker) ${Math.round(t.tokenizeMs)} ms, pack ${Math.round(t.packMs)}, run ${Math.round(t.runMs)}, reduce ${Math.round(t.reduceMs)}`;
      }
    } finally {
      await s.close();
    }
  };
  const three = (b: number): number => (b === 64 ? 2 : 3);
  await measure('graph', {}, [1, 8, 16, 32, 64], three);
  await measure('graph, pipeline off', { pipeline: false }, [1, 8, 32], three);
  await measure('graph, tensor reuse off', { reuseTensors: false }, [1, 8, 32], three);
  await measure('graph, both off', { pipeline: false, reuseTensors: false }, [1, 8, 32], three);
  await measure('js', { backend: 'js', pipeline: false }, [1, 8, 32], () => 1);
  await measure(
    'js, tensor reuse off',
    { backend: 'js', pipeline: false, reuseTensors: false },
    [8, 32],
    () => 1,
  );
  // Interleaved A/B (same texts, alternating order, medians): the benny suites above run one
  // configuration after another, so on a shared machine a load change between them reads as an effect.
  const ab = async (optionsA: ScorerOptions, optionsB: ScorerOptions, b: number, rounds: number) => {
    const a = await open(optionsA);
    const c = await open(optionsB);
    const ta: number[] = [];
    const tc: number[] = [];
    try {
      for (let r = -1; r < rounds; r++) {
        const batchTexts = next(textsPerOp(b, 3));
        const pair: [Scorer, number[]][] = [
          [a, ta],
          [c, tc],
        ];
        for (const [s, times] of r % 2 === 0 ? pair : pair.reverse()) {
          const t = performance.now();
          await s.score(batchTexts, { batch: b });
          if (r >= 0) times.push(performance.now() - t); // round −1 warms both up
        }
      }
    } finally {
      await a.close();
      await c.close();
    }
    return median(tc) / median(ta); // > 1: A is faster
  };
  const interleaved: [string, number][] = [];
  for (const b of [8, 32]) {
    interleaved.push([`pipeline on / off, batch ${b}`, await ab({}, { pipeline: false }, b, 5)]);
    interleaved.push([`tensor reuse on / off, batch ${b}`, await ab({}, { reuseTensors: false }, b, 5)]);
  }
  mkdirSync(join('benchmarks', 'results'), { recursive: true });
  writeFileSync(
    join('benchmarks', 'results', 'perplexity-gpt2.json'),
    JSON.stringify(Object.fromEntries(msPerOp), null, 2) + '\n',
  );
  const windowsOf = (name: string, b: number): number => (name.startsWith('js') ? 1 : b === 64 ? 2 : 3);
  const tps = (name: string, b: number): number =>
    (textsPerOp(b, windowsOf(name, b)) * L * 1000) / get(`${name} batch=${b}`);
  const aloneRaw = (32 * L * 1000) / get('session.run alone, untouched model, logits out, batch=32');
  const aloneReduced = (32 * L * 1000) / get('session.run alone, reduced graph, batch=32');
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  const row = (label: string, name: string, bs: number[]): string =>
    `| ${label} | ${[1, 8, 16, 32, 64].map((b) => (bs.includes(b) ? fmt(tps(name, b)) : '–')).join(' | ')} |`;
  console.log(
    `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load (1 min) ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? NaN).toFixed(1)}`,
  );
  console.log(`Provider: ${usedProvider}${providerNote ? ` (${providerNote})` : ''}`);
  console.log(
    `session.run blocks the JS thread: ${ticks} timer ticks during a ${fmt(blockMs)} ms batch of 32`,
  );
  console.log(`Default scorer stages: ${stages}; ${workerWindows} windows tokenised on the worker`);
  console.log('\ntokens/s\n\n| scorer | batch 1 | batch 8 | batch 16 | batch 32 | batch 64 |');
  console.log('|---|---|---|---|---|---|');
  console.log(row('graph, defaults (reuse + pipeline)', 'graph', [1, 8, 16, 32, 64]));
  console.log(row('graph, pipeline off', 'graph, pipeline off', [1, 8, 32]));
  console.log(row('graph, tensor reuse off', 'graph, tensor reuse off', [1, 8, 32]));
  console.log(row('graph, both off (previous scorer)', 'graph, both off', [1, 8, 32]));
  console.log(row('js reduction, tensors reused', 'js', [1, 8, 32]));
  console.log(row('js reduction, tensor reuse off', 'js, tensor reuse off', [8, 32]));
  console.log(`| session.run alone, reduced graph | – | – | – | ${fmt(aloneReduced)} | – |`);
  console.log(`| session.run alone, untouched model, logits out | – | – | – | ${fmt(aloneRaw)} | – |`);
  const r = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  console.log(`\n| ratio | value |\n|---|---|`);
  console.log(`| graph b32 / js b1 | ${r(tps('graph', 32), tps('js', 1))} |`);
  console.log(`| graph b32 / graph b1 | ${r(tps('graph', 32), tps('graph', 1))} |`);
  console.log(`| graph b32 / js b32 | ${r(tps('graph', 32), tps('js', 32))} |`);
  console.log(`| session.run alone (reduced graph) / graph b32 | ${r(aloneReduced, tps('graph', 32))} |`);
  console.log(`| session.run alone (untouched, logits) / graph b32 | ${r(aloneRaw, tps('graph', 32))} |`);
  for (const b of [1, 8, 32]) {
    console.log(`| pipeline on / off, batch ${b} | ${r(tps('graph', b), tps('graph, pipeline off', b))} |`);
    console.log(
      `| tensor reuse on / off, batch ${b} | ${r(tps('graph', b), tps('graph, tensor reuse off', b))} |`,
    );
    console.log(`| defaults / both off, batch ${b} | ${r(tps('graph', b), tps('graph, both off', b))} |`);
  }
  for (const b of [8, 32])
    console.log(
      `| js: tensor reuse on / off, batch ${b} | ${r(tps('js', b), tps('js, tensor reuse off', b))} |`,
    );
  for (const [name, ratio] of interleaved)
    console.log(`| interleaved A/B (medians of 5): ${name} | ${ratio.toFixed(2)}× |`);
  console.log(`| first call: loadScorer (surgery + session) | ${fmt(tLoaded - t0)} ms |`);
  console.log(`| first call: first batch of 32 | ${fmt(tFirst - tLoaded)} ms |`);
  console.log(`| whole process so far | ${fmt(process.uptime() * 1000)} ms |`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

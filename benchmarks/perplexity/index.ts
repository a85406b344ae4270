/**
 * Benchmarks for @mechlab/perplexity (run: `npx tsx benchmarks/perplexity/index.ts`; build the package
 * first — benchmarks import its dist/).
 *
 * The model is the issue's: a GPT-2-architecture LM (2 layers, width 64, vocabulary 50,257, 128
 * positions; `gpt2Graph`, seeded random weights) with the GPT-2 tokenizer, texts of ≥ 64 tokens, L = 64,
 * cache off. Measured, all in one run so the ratios share the machine's state:
 * - first call: `loadScorer` (graph surgery + session creation, no graph cache) + the first batch;
 * - scorer tokens/s at batch 1 / 8 / 16 / 32 with the in-graph reduction, batch 1 / 8 / 32 with the
 *   JS reduction, batch 8 with gpu.js;
 * - `session.run` alone on the untouched model, batch 32 × 64, pre-built feeds, fetching `logits`;
 * - whole process wall time.
 * `PPL_PROVIDER=cuda|webgpu` selects a provider on a GPU machine; the summary says what ran.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, complete, configure, cycle, save, suite } from 'benny';
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

interface CaseResult {
  name: string;
  details: { mean: number };
}
const msPerOp = new Map<string, number>();
const record = (summary: { results: CaseResult[] }): void => {
  for (const r of summary.results) msPerOp.set(r.name, 1000 * r.details.mean);
};
const get = (name: string): number => msPerOp.get(name) ?? NaN;
const config = configure({ cases: { minSamples: 5, maxTime: 3 } });
const L = 64;
const provider = (process.env['PPL_PROVIDER'] ?? 'auto') as ProviderRequest;

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const tiny = await ensureTinyModel();
  const dir = mkdtempSync(join(tmpdir(), 'ppl-bench-gpt2-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), encodeOnnxModel(gpt2Graph()));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(gpt2Config()));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tiny, f), join(dir, f));
  const qs = syntheticQuestions(3 * 200, 'bench').map((q) => q.text);
  const texts = Array.from({ length: 200 }, (_, i) => qs.slice(3 * i, 3 * i + 3).join('\n'));
  let cursor = 0;
  const next = (n: number): string[] => {
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(texts[(cursor + k) % texts.length]!);
    cursor = (cursor + n) % texts.length;
    return out;
  };

  // First call: load (surgery, session) + first batch of 32, nothing cached.
  const t0 = performance.now();
  const graph = await loadScorer(dir, { cache: false, provider, tokens: L });
  const tLoaded = performance.now();
  const first = await graph.score(next(32), { batch: 32 });
  const tFirst = performance.now();
  if (first.some((r) => r.tokens !== L)) throw new Error('benchmark texts must have ≥ 64 tokens');
  const js = await loadScorer(dir, { cache: false, provider, tokens: L, backend: 'js' });
  const gpujs = await loadScorer(dir, { cache: false, provider, tokens: L, backend: 'gpujs' });
  await gpujs.score(next(1), { batch: 1 });

  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), {
    graphOptimizationLevel: 'all',
    executionProviders: [graph.info.provider],
    logSeverityLevel: 4,
  });
  const ids = new BigInt64Array(32 * L).map((_, i) => BigInt(i % L === 0 ? 50256 : 200 + ((i * 37) % 5000)));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [32, L]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(32 * L).fill(1n), [32, L]),
  };
  const scoreCase = (s: Scorer, name: string, b: number) =>
    add(`${name} batch=${b}`, async () => {
      await s.score(next(b), { batch: b });
    });
  await suite(
    'Perplexity scorer, GPT-2 2×64 (vocab 50,257), L = 64, cache off',
    config,
    add('session.run alone batch=32', async () => {
      const out = await session.run(feeds, ['logits']);
      out['logits']?.dispose();
    }),
    ...[1, 8, 16, 32].map((b) => scoreCase(graph, 'graph', b)),
    ...[1, 8, 32].map((b) => scoreCase(js, 'js', b)),
    scoreCase(gpujs, 'gpujs', 8),
    cycle(),
    complete(record),
    save({ file: 'perplexity-gpt2', folder: 'benchmarks/results', format: 'json' }),
  );
  const tps = (name: string, b: number): number => (b * L * 1000) / get(`${name} batch=${b}`);
  const alone = (32 * L * 1000) / get('session.run alone batch=32');
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(
    `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load (1 min) ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? NaN).toFixed(1)}`,
  );
  console.log(
    `Provider: ${graph.info.provider}${graph.info.providerNote ? ` (${graph.info.providerNote})` : ''}`,
  );
  console.log(`gpu.js mode: ${gpujs.info.backendMode}`);
  console.log('\n| reduction | batch 1 | batch 8 | batch 16 | batch 32 |');
  console.log('|---|---|---|---|---|');
  console.log(`| graph (in the model) | ${[1, 8, 16, 32].map((b) => fmt(tps('graph', b))).join(' | ')} |`);
  console.log(`| js | ${fmt(tps('js', 1))} | ${fmt(tps('js', 8))} | – | ${fmt(tps('js', 32))} |`);
  console.log(`| gpujs (${gpujs.info.backendMode}) | – | ${fmt(tps('gpujs', 8))} | – | – |`);
  console.log(`| session.run alone (full logits out) | – | – | – | ${fmt(alone)} |`);
  console.log(`\n| ratio | value |\n|---|---|`);
  console.log(`| graph b32 / js b1 | ${(tps('graph', 32) / tps('js', 1)).toFixed(2)}× |`);
  console.log(`| graph b32 / graph b1 | ${(tps('graph', 32) / tps('graph', 1)).toFixed(2)}× |`);
  console.log(`| session.run alone / graph b32 (time ratio) | ${(alone / tps('graph', 32)).toFixed(2)}× |`);
  console.log(`| graph b32 / js b32 | ${(tps('graph', 32) / tps('js', 32)).toFixed(2)}× |`);
  console.log(`| first call: loadScorer (surgery + session) | ${fmt(tLoaded - t0)} ms |`);
  console.log(`| first call: first batch of 32 | ${fmt(tFirst - tLoaded)} ms |`);
  console.log(`| whole process so far | ${fmt(process.uptime() * 1000)} ms |`);
  await session.release();
  for (const s of [graph, js, gpujs]) await s.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeOnnxModel,
  ensureTinyModel,
  gpt2Config,
  gpt2Graph,
  syntheticQuestions,
} from '@mechlab/perplexity';
import { cli, expectBadInput } from './helpers';

describe('mechlab score', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mechlab-score-'));
  const input = join(dir, 'in.jsonl');
  writeFileSync(
    input,
    [
      { id: 'a', text: 'How do I keep tomato plants from splitting after heavy rain?' },
      { id: 'b', text: 'What is the best finish for an oak workbench top?' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );

  it('streams one JSONL row per text with a finite perplexity, and a cached re-run is identical', async () => {
    const cache = join(dir, 'cache');
    const first = await cli(['score', '--input', input, '--cache', cache, '--json']);
    expect(first.code).toBe(0);
    const rows = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; perplexity: number; tokens: number });
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
    for (const r of rows) {
      expect(Number.isFinite(r.perplexity)).toBe(true);
      expect(r.perplexity).toBeGreaterThan(1);
      expect(r.tokens).toBeGreaterThan(5);
    }
    expect(first.stderr).toMatch(/"provider":"cpu"/);
    const second = await cli(['score', '--input', input, '--cache', cache, '--json']);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/"cached":2/);
  }, 60_000);

  it('an empty text is bad input naming the line', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": 1, "text": "fine text here"}\n{"id": 2, "text": ""}\n');
    expectBadInput(await cli(['score', '--input', bad, '--no-cache']), /line 2/);
  }, 60_000);
});

describe('mechlab score: reduction backends and up-front refusals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mechlab-score-b-'));
  const input = join(dir, 'in.jsonl');
  writeFileSync(
    input,
    JSON.stringify({ id: 'a', text: 'How do I keep tomato plants from splitting after heavy rain?' }) + '\n',
  );

  it('--backend graph (default) and js agree and the summary says which ran', async () => {
    const graph = await cli(['score', '--input', input, '--no-cache', '--json']);
    const js = await cli(['score', '--input', input, '--no-cache', '--json', '--backend', 'js']);
    expect(graph.code).toBe(0);
    expect(js.code).toBe(0);
    expect(graph.stderr).toMatch(/"backend":"graph","backendMode":"onnxruntime-cpu"/);
    expect(js.stderr).toMatch(/"backend":"js","backendMode":"js"/);
    const p = (r: { stdout: string }) => (JSON.parse(r.stdout) as { perplexity: number }).perplexity;
    expect(Math.abs(p(graph) / p(js) - 1)).toBeLessThan(1e-5);
  }, 60_000);

  it('bad --backend / --provider / --max-logits-memory, and a batch over the logits bound, exit 2 with one line', async () => {
    expectBadInput(await cli(['score', '--input', input, '--backend', 'wasm']), '--backend');
    expectBadInput(await cli(['score', '--input', input, '--provider', 'tpu']), '--provider');
    expectBadInput(await cli(['score', '--input', input, '--max-logits-memory', '0']), '--max-logits-memory');
    expectBadInput(
      await cli(['score', '--input', input, '--no-cache', '--batch', '4096', '--max-logits-memory', '64']),
      /^error: batch: 4096 × 64 positions × 50257 vocabulary × 4 bytes = .* exceeds the 64 MiB bound \(max-logits-memory\)/,
    );
  }, 60_000);
});

/** A GPT-2-architecture model directory (1 block, `positions` rows of wpe) with the tiny LM's tokenizer. */
async function gpt2Dir(
  positions: number,
  opts: { config: boolean; hidePositions?: boolean },
): Promise<string> {
  const tiny = await ensureTinyModel();
  const d = mkdtempSync(join(tmpdir(), 'mechlab-score-gpt2-'));
  let spec = gpt2Graph({ layers: 1, positions });
  if (opts.hidePositions === true) {
    // Rename the position table so the context length cannot be read: only ONNX Runtime finds out.
    const rename = (n: string): string => (n === 'wpe' ? 'table_p' : n);
    spec = {
      ...spec,
      initializers: spec.initializers.map((t) => ({ ...t, name: rename(t.name) })),
      nodes: spec.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename) })),
    };
  }
  writeFileSync(join(d, 'model.onnx'), encodeOnnxModel(spec));
  if (opts.config)
    writeFileSync(join(d, 'config.json'), JSON.stringify(gpt2Config({ layers: 1, positions })));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tiny, f), join(d, f));
  return d;
}

const root = join(__dirname, '../../..');
const mainTs = join(root, 'apps/cli/src/main.ts');

describe('mechlab score: real exports and the process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mechlab-score-c-'));
  const long = syntheticQuestions(6, 'cli-context')
    .map((q) => q.text)
    .join(' ');
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, JSON.stringify({ id: 'a', text: long }) + '\n');

  it('--tokens beyond the context length (config.json or the wpe rows): exit 2, one line, before any work', async () => {
    const withConfig = await gpt2Dir(32, { config: true });
    expectBadInput(
      await cli(['score', '--input', input, '--model', withConfig, '--no-cache', '--tokens', '40']),
      /^error: tokens: 40 exceeds the model's context length \(32 positions, from config\.json n_positions\)$/,
    );
    const fromGraph = await gpt2Dir(32, { config: false });
    expectBadInput(
      await cli(['score', '--input', input, '--model', fromGraph, '--no-cache', '--tokens', '33']),
      /^error: tokens: 33 exceeds the model's context length \(32 positions, from initializer wpe\)$/,
    );
    const ok = await cli(['score', '--input', input, '--model', fromGraph, '--no-cache', '--tokens', '32']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { tokens: number }).tokens).toBe(32);
  }, 120_000);

  it("ONNX Runtime's own log never reaches stderr: a run that fails inside ORT is one error line (real process)", async () => {
    const hidden = await gpt2Dir(32, { config: false, hidePositions: true });
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        mainTs,
        'score',
        '--input',
        input,
        '--model',
        hidden,
        '--no-cache',
        '--tokens',
        '40',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    // Without the log level ORT prints "[E:onnxruntime:…] … Non-zero status code …" first.
    expect(r.stderr).toMatch(/^error: model: ONNX Runtime failed on a batch of 1×40 \([^\n]*\)\n$/);
  }, 120_000);

  it('Ctrl-C while scoring: the process (and its tokenizer worker) exits at once', async () => {
    const model = await gpt2Dir(64, { config: true });
    const big = join(dir, 'big.jsonl');
    const qs = syntheticQuestions(2000, 'cli-sigint').map((q) => q.text);
    writeFileSync(big, qs.map((t, i) => JSON.stringify({ id: i, text: t })).join('\n') + '\n');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', mainTs, 'score', '--input', big, '--model', model, '--no-cache', '--batch', '4'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let rows = 0;
    let sentAt = 0;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      rows += chunk.toString().split('\n').length - 1;
      // Past the first window: the worker is tokenising the next ones.
      if (rows >= 32 && sentAt === 0) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const { code, signal } = await exited;
    expect(sentAt).toBeGreaterThan(0);
    expect(signal === 'SIGINT' || code === 130).toBe(true);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(rows).toBeLessThan(2000);
  }, 180_000);
});

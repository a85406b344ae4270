/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 *
 * Issue 15, Deliver 2: tensors reused per batch shape (outputs pre-allocated) and the tokenise-ahead
 * worker pipeline. Every combination must give bit-identical scores in input order, errors must name
 * the text (or input line) as without the worker, and the worker must stop on error and on close.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeOnnxModel,
  ensureTinyModel,
  gpt2Config,
  gpt2Graph,
  loadScorer,
  runScoreCommand,
  syntheticQuestions,
} from '../src/index';
import { loadTokenizer } from '../src/tokenizer';
import type { ScoreResult, ScorerOptions } from '../src/scorer-types';
import { inlineEncoder, WindowEncodeError, WorkerEncoder } from '../src/pretokenizer';
import { tempDir } from './helpers';

jest.setTimeout(120_000);

let dir: string;
beforeAll(async () => {
  const tiny = await ensureTinyModel();
  dir = tempDir('ppl-pipe-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), encodeOnnxModel(gpt2Graph({ layers: 1, positions: 64 })));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(gpt2Config({ layers: 1, positions: 64 })));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tiny, f), join(dir, f));
});

// 40 texts: full windows of 16 tokens (repeated batch shapes) mixed with short ones of varied length,
// and duplicates that fall into later windows (batch 3 → windows of 12).
const qs = syntheticQuestions(40, 'pipeline').map((q) => q.text);
const texts = qs.map((t, i) => (i % 2 === 0 ? t : t.slice(0, 6 + ((i * 7) % 40))));
texts[17] = texts[2]!;
texts[30] = texts[2]!;
texts[31] = texts[5]!;

async function run(options: ScorerOptions, input: readonly string[] = texts): Promise<ScoreResult[]> {
  const s = await loadScorer(dir, { cache: false, tokens: 16, batch: 3, ...options });
  try {
    const r = await s.score(input);
    const t = s.timings();
    expect(s.info.pipeline).toBe(options.pipeline ?? true);
    expect(s.info.reuseTensors).toBe(options.reuseTensors ?? true);
    // The worker really tokenised every window but the first (nothing to overlap with yet).
    expect(t.workerWindows).toBe(options.pipeline === false ? 0 : Math.ceil(input.length / 12) - 1);
    return r;
  } finally {
    await s.close();
  }
}

describe('reused tensors and the tokenise-ahead pipeline', () => {
  test('pipeline on/off × tensor reuse on/off: bit-identical results, in input order', async () => {
    const base = await run({ pipeline: false, reuseTensors: false });
    expect(base.filter((_, i) => i % 2 === 0).every((r) => r.tokens === 16)).toBe(true);
    for (const options of [
      { pipeline: true, reuseTensors: true },
      { pipeline: true, reuseTensors: false },
      { pipeline: false, reuseTensors: true },
    ]) {
      const got = await run(options);
      expect(got.map((r) => r.perplexity)).toEqual(base.map((r) => r.perplexity));
      expect(got.map((r) => r.tokens)).toEqual(base.map((r) => r.tokens));
    }
    // Duplicates in later windows got the first occurrence's score.
    expect(base[17]!.perplexity).toBe(base[2]!.perplexity);
    expect(base[31]!.perplexity).toBe(base[5]!.perplexity);
  });

  test('js reduction with a pre-allocated logits output: identical to fresh outputs', async () => {
    const a = await run({ backend: 'js', reuseTensors: true }, texts.slice(0, 13));
    const b = await run({ backend: 'js', reuseTensors: false, pipeline: false }, texts.slice(0, 13));
    expect(a.map((r) => r.perplexity)).toEqual(b.map((r) => r.perplexity));
  });

  test('with a cache: statuses and values identical with and without the pipeline', async () => {
    const outs: ScoreResult[][] = [];
    for (const pipeline of [false, true]) {
      const s = await loadScorer(dir, { cache: tempDir('ppl-pipe-cache-'), tokens: 16, batch: 3, pipeline });
      try {
        outs.push(await s.score(texts));
      } finally {
        await s.close();
      }
    }
    expect(outs[1]).toEqual(outs[0]);
    // texts[30] repeats texts[2] two windows later: by then it is in the cache.
    expect(outs[0]![30]!.status).toBe('cached');
  });

  test('scoreStream over an async iterable yields window by window, equal to score()', async () => {
    const s = await loadScorer(dir, { cache: false, tokens: 16, batch: 3 });
    try {
      async function* source(): AsyncGenerator<string> {
        for (const t of qs.slice(0, 30)) yield t;
      }
      const windows: ScoreResult[][] = [];
      for await (const w of s.scoreStream(source())) windows.push(w);
      expect(windows.map((w) => w.length)).toEqual([12, 12, 6]);
      const whole = await s.score(qs.slice(0, 30));
      expect(windows.flat().map((r) => r.perplexity)).toEqual(whole.map((r) => r.perplexity));
      const notIterable = 42 as unknown as string[];
      await expect(s.scoreStream(notIterable).next()).rejects.toMatchObject({
        name: 'MechlabError',
        field: 'texts',
        message: 'texts must be an iterable of strings, got number',
      });
    } finally {
      await s.close();
    }
  });

  test('a text that fails after tokenising in a worker window names the same text as inline', async () => {
    const bad = [...texts.slice(0, 30)];
    bad[27] = 'a'; // one token: without BOS perplexity needs two
    for (const pipeline of [false, true]) {
      const s = await loadScorer(dir, { cache: false, tokens: 16, batch: 3, bos: 'none', pipeline });
      try {
        await expect(s.score(bad)).rejects.toMatchObject({
          name: 'MechlabError',
          code: 'ERR_INVALID_INPUT',
          field: 'texts[27]',
          message: 'texts[27] has 1 token; without a BOS token perplexity needs ≥ 2',
        });
        // The scorer stays usable.
        expect((await s.score(texts.slice(0, 2))).length).toBe(2);
      } finally {
        await s.close();
      }
    }
    const input = join(tempDir('ppl-pipe-cmd-'), 'in.jsonl');
    writeFileSync(input, bad.map((t, i) => JSON.stringify({ id: i, text: t })).join('\n\n') + '\n');
    const rows: unknown[] = [];
    await expect(
      runScoreCommand({
        model: dir,
        input,
        tokens: 16,
        batch: 3,
        bos: 'none',
        cache: false,
        onRow: (r) => rows.push(r),
      }),
    ).rejects.toMatchObject({
      field: 'input line 55',
      message: 'input line 55 has 1 token; without a BOS token perplexity needs ≥ 2',
    });
    expect(rows).toHaveLength(24); // the two windows before the bad one were streamed
  });

  test('the worker failing (tokenizer.json replaced mid-run) is a MechlabError; the worker is shut down and restarted', async () => {
    const d = tempDir('ppl-pipe-broken-');
    for (const f of ['model.onnx', 'config.json', 'tokenizer.json', 'tokenizer_config.json'])
      copyFileSync(join(dir, f), join(d, f));
    const s = await loadScorer(d, { cache: false, tokens: 16, batch: 3 });
    const good = readFileSync(join(d, 'tokenizer.json'));
    try {
      writeFileSync(join(d, 'tokenizer.json'), '{"version": "1.0"}');
      await expect(s.score(texts)).rejects.toMatchObject({
        name: 'MechlabError',
        field: 'model',
        message: expect.stringMatching(/^model: .*tokenizer\.json is not a tokenizer\.json/),
      });
      writeFileSync(join(d, 'tokenizer.json'), good);
      const again = await s.score(texts);
      expect(again.map((r) => r.perplexity)).toEqual(
        (await run({ pipeline: false })).map((r) => r.perplexity),
      );
    } finally {
      await s.close();
    }
  });
});

describe('window encoders', () => {
  const throwing = {
    encodePrefix(text: string, n: number): number[] {
      if (text === 'boom') throw new Error('cannot encode');
      return Array.from(text.slice(0, n), (c) => c.charCodeAt(0));
    },
  };

  test('inline: ids per text; a throwing text is reported by its index', async () => {
    const enc = inlineEncoder(throwing);
    expect((await enc.encode(['ab', '', 'xyz'], 2)).map((a) => [...a])).toEqual([[97, 98], [], [120, 121]]);
    const e = await enc.encode(['ok', 'boom'], 4).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WindowEncodeError);
    expect(e).toMatchObject({ index: 1, message: 'cannot encode' });
  });

  test('worker: same ids as inline, in order; close rejects pending and later requests', async () => {
    const tok = loadTokenizer(dir);
    const w = new WorkerEncoder({ dir, bos: 'auto' });
    const windows = [texts.slice(0, 10), texts.slice(10, 25), texts.slice(25)];
    const got = await Promise.all(windows.map((ts) => w.encode(ts, 16)));
    const want = await Promise.all(windows.map((ts) => inlineEncoder(tok).encode(ts, 16)));
    expect(got.map((ws) => ws.map((a) => [...a]))).toEqual(want.map((ws) => ws.map((a) => [...a])));
    const pending = w.encode(texts, 16).catch((e: unknown) => e);
    await w.close();
    expect(await pending).toMatchObject({ name: 'MechlabError', message: 'scorer: already closed' });
    await expect(w.encode(['x'], 4)).rejects.toMatchObject({ message: 'scorer: already closed' });
  });
});

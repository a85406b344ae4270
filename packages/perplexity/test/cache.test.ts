/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel, loadScorer, syntheticQuestions } from '../src/index';
import { ScoreCache, cacheKey, modelHash, textHash } from '../src/cache';
import { tempDir } from './helpers';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await ensureTinyModel();
});

const texts = syntheticQuestions(5, 'cache-tests').map((q) => q.text);

/** A fresh directory holding the tiny LM's model and tokenizer files. */
function copyOfTinyModel(prefix: string): string {
  const copy = tempDir(prefix);
  for (const f of ['model.onnx', 'tokenizer.json', 'tokenizer_config.json'])
    copyFileSync(join(dir, f), join(copy, f));
  return copy;
}

describe('results cache', () => {
  test('a re-run is free: all hits, identical numbers, nothing run', async () => {
    const cacheDir = tempDir('ppl-cache-');
    const a = await loadScorer(dir, { cache: cacheDir });
    const first = await a.score(texts);
    expect(first.every((r) => r.status === 'scored')).toBe(true);
    await a.close();

    const b = await loadScorer(dir, { cache: cacheDir });
    const second = await b.score(texts);
    expect(second.every((r) => r.status === 'cached')).toBe(true);
    second.forEach((r, i) => {
      expect(r.perplexity).toBe(first[i]!.perplexity); // bit-identical
      expect(r.tokens).toBe(first[i]!.tokens);
      expect(r.predictions).toBe(first[i]!.predictions);
    });
    expect(b.timings().batches).toBe(0);
    // A different L is a different key.
    const third = await b.score(texts.slice(0, 1), { tokens: 10 });
    expect(third[0]!.status).toBe('scored');
    await b.close();
    expect(b.info.cachePath).toBe(join(cacheDir, `${b.info.modelHash}.jsonl`));
  });

  test('a truncated last line is skipped and the next append starts a fresh line', () => {
    const cacheDir = tempDir('ppl-cache-');
    const c = ScoreCache.open(cacheDir, 'abc');
    const s = { perplexity: 12.5, meanNll: Math.log(12.5), tokens: 7, predictions: 7 };
    c.putMany([[cacheKey(textHash('one'), 64, 50256), s]]);
    appendFileSync(c.path, '{"k":"deadbeef:64:50256","p":3.');
    const reopened = ScoreCache.open(cacheDir, 'abc');
    expect(reopened.size).toBe(1);
    expect(reopened.skippedLines).toBe(1);
    expect(reopened.get(cacheKey(textHash('one'), 64, 50256))).toEqual(s);
    reopened.putMany([[cacheKey(textHash('two'), 64, 50256), { ...s, perplexity: 3 }]]);
    const again = ScoreCache.open(cacheDir, 'abc');
    expect(again.size).toBe(2);
    expect(again.skippedLines).toBe(1);
    expect(
      readFileSync(c.path, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(3);
  });

  test('the model hash covers model.onnx and the tokenizer files', async () => {
    const copy = copyOfTinyModel('ppl-hash-');
    const h1 = await modelHash(copy, 'model.onnx');
    expect(h1).toBe(await modelHash(dir, 'model.onnx'));
    const cfg = JSON.parse(readFileSync(join(copy, 'tokenizer_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(copy, 'tokenizer_config.json'), JSON.stringify({ ...cfg, bos_token: null }));
    expect(await modelHash(copy, 'model.onnx')).not.toBe(h1);
  });

  test('start-up reads model.onnx once: the model hash reuses the digest taken while opening it', async () => {
    const copy = copyOfTinyModel('ppl-read-once-');
    const modelFile = join(copy, 'model.onnx');
    const expected = await modelHash(copy, 'model.onnx');
    // The module object the sources' `import … from 'node:fs'` reads its functions from at call time.
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    // graph backend, first (reduces and caches) and second (cached reduced graph) start; js backend
    for (const options of [{}, {}, { backend: 'js' as const }]) {
      const reads = jest.spyOn(fs, 'readFileSync');
      const streams = jest.spyOn(fs, 'createReadStream');
      try {
        const s = await loadScorer(copy, { cache: join(copy, 'cache'), ...options });
        await s.close();
        expect(s.info.modelHash).toBe(expected);
        const ofModel = (calls: unknown[][]) => calls.filter((c) => c[0] === modelFile).length;
        expect(ofModel(reads.mock.calls) + ofModel(streams.mock.calls)).toBe(1);
      } finally {
        reads.mockRestore();
        streams.mockRestore();
      }
    }
  });

  test('default cache lives in <modelDir>/.ppl-cache; cache: false disables it', async () => {
    const copy = copyOfTinyModel('ppl-default-');
    const s = await loadScorer(copy);
    expect(s.info.cachePath).toBe(join(copy, '.ppl-cache', `${s.info.modelHash}.jsonl`));
    await s.close();
    const n = await loadScorer(copy, { cache: false });
    expect(n.info.cachePath).toBeUndefined();
    await n.close();
  });
});

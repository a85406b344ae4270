/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-3-encoder';
import { ensureTinyModel, loadScorer, syntheticQuestions, writeTinyModel } from '../src/index';
import { fitTinyLm } from '../src/tiny-lm';
import { shuffleWords } from '../src/corpus';
import { readTables, referencePerplexity, tempDir } from './helpers';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await ensureTinyModel();
});

describe('tiny LM', () => {
  test('is a small standard model directory', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['rank']).toBe(16);
    expect(manifest['modelBytes']).toBeLessThan(5_000_000);
    const tables = readTables(dir);
    expect(tables.vocab).toBe(50257);
    expect(tables.width).toBe(17);
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config['bos_token']).toBe('<|endoftext|>');
  });

  test('ensureTinyModel is idempotent (returns the cached directory)', async () => {
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    expect(await ensureTinyModel()).toBe(dir);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(before);
  });

  test('fitting is deterministic', () => {
    const a = fitTinyLm({ documents: 200, rank: 4 });
    const b = fitTinyLm({ documents: 200, rank: 4 });
    expect(Buffer.from(a.project.buffer).equals(Buffer.from(b.project.buffer))).toBe(true);
    expect(Buffer.from(a.embed.buffer).equals(Buffer.from(b.embed.buffer))).toBe(true);
  });

  test("scorer perplexities match an independent float64 computation from the model's own tables", async () => {
    const tables = readTables(dir);
    const texts = [
      ...syntheticQuestions(2, 'independent').map((q) => q.text),
      'How do I sort a list in Python?',
      'naïve café — 日本語 🤖 unseen tokens',
    ];
    const scorer = await loadScorer(dir, { cache: false });
    try {
      for (const L of [64, 5]) {
        const got = await scorer.score(texts, { tokens: L });
        texts.forEach((text, i) => {
          const ref = referencePerplexity(tables, text, L);
          expect(got[i]!.tokens).toBe(ref.tokens);
          expect(got[i]!.predictions).toBe(ref.tokens);
          expect(Math.abs(got[i]!.perplexity / ref.ppl - 1)).toBeLessThan(1e-5);
        });
      }
    } finally {
      await scorer.close();
    }
  });

  test('without BOS the mean runs over tokens 2..L′ (MODELS.md §3 verbatim)', async () => {
    const tables = readTables(dir);
    const text = syntheticQuestions(1, 'nobos')[0]!.text;
    const scorer = await loadScorer(dir, { cache: false, bos: 'none' });
    try {
      expect(scorer.info.bosId).toBeUndefined();
      const [r] = await scorer.score([text], { tokens: 12 });
      const ref = referencePerplexity(tables, text, 12, null);
      expect(r!.tokens).toBe(12);
      expect(r!.predictions).toBe(11);
      expect(Math.abs(r!.perplexity / ref.ppl - 1)).toBeLessThan(1e-5);
    } finally {
      await scorer.close();
    }
  });

  test('is a real LM: in-distribution text scores far lower than the same words shuffled', async () => {
    const held = syntheticQuestions(12, 'held-out').map((q) => q.text);
    const shuffled = held.map((t, i) => shuffleWords(t, i));
    const scorer = await loadScorer(dir, { cache: false });
    try {
      const a = await scorer.score(held);
      const b = await scorer.score(shuffled);
      const geo = (xs: { perplexity: number }[]) =>
        Math.exp(xs.reduce((s, x) => s + Math.log(x.perplexity), 0) / xs.length);
      expect(geo(a)).toBeLessThan(40);
      expect(geo(b)).toBeGreaterThan(10 * geo(a));
      // Per text too: shuffling never helps.
      a.forEach((x, i) => expect(x.perplexity).toBeLessThan(b[i]!.perplexity));
    } finally {
      await scorer.close();
    }
  });

  test('position_ids variant: the scorer feeds 0,1,… positions (checked against the tables)', async () => {
    const pdir = tempDir('ppl-pos-');
    writeTinyModel(join(pdir, 'm'), { positionIds: true, documents: 300, rank: 4 });
    const mdir = join(pdir, 'm');
    const tables = readTables(mdir);
    expect(tables.positionVector).toBeDefined();
    const texts = ['How do I bake bread with a slow cooker?', syntheticQuestions(1, 'pos')[0]!.text];
    const scorer = await loadScorer(mdir, { cache: false });
    try {
      expect(scorer.info.inputs).toContain('position_ids');
      const got = await scorer.score(texts, { tokens: 20, batch: 2 });
      texts.forEach((text, i) => {
        const ref = referencePerplexity(tables, text, 20);
        expect(Math.abs(got[i]!.perplexity / ref.ppl - 1)).toBeLessThan(1e-5);
      });
      expect(encode(texts[0]!).length).toBeLessThan(20); // so the pair really is padded
    } finally {
      await scorer.close();
    }
  });
});

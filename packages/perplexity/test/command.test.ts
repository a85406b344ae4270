/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel, runScoreCommand, syntheticQuestions } from '../src/index';
import { type ScoreProgress, type ScoreRow } from '../src/command';
import { tempDir } from './helpers';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await ensureTinyModel();
});

function writeJsonl(lines: string[]): string {
  const f = join(tempDir('ppl-cmd-'), 'in.jsonl');
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

describe('runScoreCommand (mechlab score)', () => {
  test('streams {id, perplexity, tokens} rows in input order, window by window (4 batches), with progress; re-run is all cache', async () => {
    const qs = syntheticQuestions(7, 'cmd');
    const input = writeJsonl([
      ...qs.slice(0, 3).map((q, i) => JSON.stringify({ id: `q${i}`, text: q.text, views: 10 })),
      '',
      ...qs.slice(3).map((q) => JSON.stringify({ text: q.text })),
    ]);
    const cache = tempDir('ppl-cmd-cache-');
    const rows: ScoreRow[] = [];
    const progress: ScoreProgress[] = [];
    const rowsAtProgress: number[] = [];
    const summary = await runScoreCommand({
      model: dir,
      input,
      batch: 1,
      tokens: 32,
      cache,
      onRow: (r) => rows.push(r),
      onProgress: (p) => {
        progress.push(p);
        rowsAtProgress.push(rows.length);
      },
    });
    expect(rows.map((r) => r.id)).toEqual(['q0', 'q1', 'q2', 3, 4, 5, 6]);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['id', 'perplexity', 'tokens']);
      expect(r.perplexity).toBeGreaterThan(1);
      expect(r.tokens).toBeLessThanOrEqual(32);
    }
    // Rows were emitted before the run ended: a window of 4 batches of 1 (4 rows), then 7.
    expect(rowsAtProgress).toEqual([4, 7]);
    expect(progress.map((p) => p.done)).toEqual([4, 7]);
    expect(progress.every((p) => p.total === 7)).toBe(true);
    expect(summary).toMatchObject({
      rows: 7,
      scored: 7,
      cached: 0,
      provider: 'cpu',
      backend: 'graph',
      backendMode: 'onnxruntime-cpu',
    });
    expect(summary.tokensPerSecond).toBeGreaterThan(0);

    const again: ScoreRow[] = [];
    const s2 = await runScoreCommand({
      model: dir,
      input,
      batch: 3,
      tokens: 32,
      cache,
      onRow: (r) => again.push(r),
    });
    expect(s2).toMatchObject({ rows: 7, scored: 0, cached: 7 });
    expect(again).toEqual(rows);
  });

  test('bad input lines reject before any row is emitted, naming the line', async () => {
    const good = JSON.stringify({ id: 1, text: 'How do I sort a list?' });
    const cases: [string[], object][] = [
      [
        [good, good, JSON.stringify({ id: 3, text: '' })],
        { code: 'ERR_INVALID_INPUT', message: 'input line 3: "text" must be a non-empty string, got ""' },
      ],
      [
        [good, JSON.stringify({ id: 2, text: 42 })],
        { code: 'ERR_INVALID_TYPE', message: 'input line 2: "text" must be a non-empty string, got 42' },
      ],
      [
        [good, JSON.stringify({ id: 2 })],
        { code: 'ERR_INVALID_TYPE', message: 'input line 2: "text" must be a non-empty string, got nothing' },
      ],
      [
        [JSON.stringify({ id: [1], text: 'x' })],
        {
          code: 'ERR_INVALID_TYPE',
          message: 'input line 1: "id" must be a string or a number, got an array',
        },
      ],
      [
        [good, '{"id": 2, "text": "unterminated'],
        { code: 'ERR_INVALID_INPUT', message: expect.stringMatching(/^input line 2: not valid JSON \(/) },
      ],
      [
        ['[1, 2]'],
        { code: 'ERR_INVALID_TYPE', message: 'input line 1: must be a JSON object, got an array' },
      ],
    ];
    for (const [lines, expected] of cases) {
      const rows: ScoreRow[] = [];
      await expect(
        runScoreCommand({ model: dir, input: writeJsonl(lines), cache: false, onRow: (r) => rows.push(r) }),
      ).rejects.toMatchObject({
        name: 'MechlabError',
        ...expected,
      });
      expect(rows).toEqual([]);
    }
  });

  test('missing input file and bad options', async () => {
    await expect(
      runScoreCommand({ model: dir, input: '/nope/in.jsonl', onRow: () => undefined }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'input: /nope/in.jsonl not found',
    });
    const input = writeJsonl([JSON.stringify({ text: 'x' })]);
    await expect(
      runScoreCommand({ model: dir, input, tokens: -1, onRow: () => undefined }),
    ).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'options.tokens',
    });
    await expect(
      runScoreCommand({ model: join(dir, 'nope'), input, onRow: () => undefined }),
    ).rejects.toMatchObject({
      field: 'model',
    });
  });
});

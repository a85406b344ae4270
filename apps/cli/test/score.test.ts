/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

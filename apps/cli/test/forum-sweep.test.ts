/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTinyModel } from '@mechlab/perplexity';
import { cli, expectBadInput } from './helpers';

jest.setTimeout(60_000); // the forum LM is built and scored (~5 s on a shared machine)

describe('mechlab forum', () => {
  it('prints the EURR table on synthetic data with U_G from the forum LM (built under --out)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mechlab-forum-'));
    const r = await cli([
      'forum',
      '--rounds',
      '4',
      '--M',
      '40',
      '--K',
      '20',
      '--seed',
      '2',
      '--out',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as {
      utilityG: { kind: string; name: string };
      table: { strategy: string; eurrF: number; eurrG: number }[];
      spearman: number;
    };
    expect(o.utilityG).toEqual({ kind: 'perplexity', name: 'forum-lm' });
    expect(existsSync(join(out, 'forum-lm', 'model.onnx'))).toBe(true);
    expect(o.table.map((t) => t.strategy).sort()).toEqual(['G-Greedy', 'G-Utility', 'Random'].sort());
    for (const row of o.table) {
      expect(row.eurrF).toBeGreaterThanOrEqual(0);
      expect(row.eurrF).toBeLessThanOrEqual(1);
      expect(row.eurrG).toBeGreaterThanOrEqual(0);
      expect(row.eurrG).toBeLessThanOrEqual(1);
    }
    expect(o.spearman).toBeLessThan(0);
  });

  it('--utility-g unigram keeps the proxy and says so; a bad value is bad input', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mechlab-forum-'));
    const r = await cli([
      'forum',
      '--rounds',
      '2',
      '--M',
      '40',
      '--K',
      '20',
      '--utility-g',
      'unigram',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not an LLM');
    expectBadInput(await cli(['forum', '--utility-g', 'gpt']), '--utility-g');
  });

  it('--data PATH --model DIR runs the paper pipeline on a Posts.xml dump with an ONNX LM', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mechlab-forum-'));
    const fix = join(__dirname, '..', '..', '..', 'packages', 'forum', 'test', 'fixtures');
    const model = await ensureTinyModel();
    const r = await cli([
      'forum',
      '--data',
      `${join(fix, 'gardening', 'Posts.xml')},${join(fix, 'woodworking')}`,
      '--model',
      model,
      '--M',
      '6',
      '--K',
      '3',
      '--theta',
      '0.3',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as { utilityG: { kind: string; name: string }; skipped: number };
    expect(o.utilityG.kind).toBe('perplexity');
    expect(o.utilityG.name).toContain(model);
    expect(o.skipped).toBe(10);
  });

  it('K > M is bad input', async () => {
    expectBadInput(await cli(['forum', '--M', '10', '--K', '20']), '--K');
  });
});

describe('mechlab sweep', () => {
  it('runs a tiny spec and writes rows, aggregates and a figure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mechlab-sweep-'));
    const spec = {
      experiment: 'ccs.random-graph',
      grid: { n: [10, 20] },
      params: { rho: 0.2 },
      replicates: 5,
      seed: 3,
    };
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const r = await cli(['sweep', specPath, '--out', join(dir, 'out'), '--workers', '0', '--json']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'rows.csv'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'aggregates.csv'), 'utf8')).toMatch(/gcs,welfare/);
  });

  it('a bad spec is exit 2 naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mechlab-sweep-'));
    const specPath = join(dir, 'spec.json');
    writeFileSync(
      specPath,
      JSON.stringify({ experiment: 'ccs.random-graph', grid: { n: [0] }, replicates: 2, seed: 1 }),
    );
    expectBadInput(await cli(['sweep', specPath, '--out', join(dir, 'o')]), /spec\.grid\.n\[0\]/);
  });
});

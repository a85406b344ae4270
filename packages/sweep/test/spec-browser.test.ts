/**
 * `@mechlab/sweep/spec` is browser-safe: the web app bundles it (apps/web), so nothing reachable from
 * src/spec.ts may import Node (`node:*`, fs, …), another npm package than core and zod, or touch
 * Node globals. The check walks the real import graph, so a new Node import anywhere below fails here
 * (and in the web app's vite build, which has no shim for it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import * as spec from '@mechlab/sweep/spec';

const SRC = path.join(__dirname, '..', 'src');
const ALLOWED_PACKAGES = new Set(['@mechlab/core', 'zod']);
const NODE_GLOBALS = /\b(process|__dirname|__filename|Buffer|require)\b/;

/** Every file reachable from `entry` by relative imports, with the bare specifiers each one imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const bare: string[] = [];
    graph.set(file, bare);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        bare.push(fileName);
        continue;
      }
      const base = path.resolve(path.dirname(file), fileName);
      const next = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (!next) throw new Error(`${file}: cannot resolve ${fileName}`);
      visit(next);
    }
  };
  visit(entry);
  return graph;
}

test('nothing below src/spec.ts imports Node or an npm package other than core and zod', () => {
  const graph = importGraph(path.join(SRC, 'spec.ts'));
  const files = [...graph.keys()].map((f) => path.relative(SRC, f)).sort();
  // The subpath's files (a new one joins this list on purpose, after checking it is pure).
  expect(files).toEqual([
    'aggregates.ts',
    'csv-format.ts',
    'figure.ts',
    'manifest-format.ts',
    'shard.ts',
    'spec-hash.ts',
    'spec.ts',
  ]);
  const bad: string[] = [];
  for (const [file, bare] of graph) {
    for (const b of bare) if (!ALLOWED_PACKAGES.has(b)) bad.push(`${path.relative(SRC, file)} imports ${b}`);
    // Code only: comments may mention Node.
    const code = ts
      .createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true)
      .statements.map((s) => s.getText())
      .join('\n');
    const g = NODE_GLOBALS.exec(code);
    if (g) bad.push(`${path.relative(SRC, file)} uses ${g[1]}`);
  }
  expect(bad).toEqual([]);
});

test('the walk does see a Node import (the check can fail)', () => {
  const graph = importGraph(path.join(SRC, 'output.ts'));
  expect([...graph.values()].flat()).toContain('node:fs');
});

test('the subpath exports what the web app uses', () => {
  expect(Object.keys(spec).sort()).toEqual([
    'AGGREGATE_NUMBER_COLUMNS',
    'aggregateColumns',
    'aggregateLine',
    'coordFields',
    'figureChart',
    'figureData',
    'formatNumber',
    'parseAggregates',
    'parseManifest',
    'parseSweepSpec',
    'planSweep',
    'pointAggregates',
    'rowColumns',
  ]);
});

/**
 * tools/export-usage.ts on a mini-tree written to a temp folder: two packages (one with an `exports`
 * subpath), an app, a tool, a README example, and tests — so every way a name can count (outside, tests
 * only, own source only, unused) is checked against a known answer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { codeBlocks, exportUsage, formatTable, importedNames, type EntryUsage } from '../export-usage';

let root: string;

function write(rel: string, text: string): void {
  const f = join(root, rel);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mechlab-export-usage-'));
  write('packages/a/package.json', JSON.stringify({ name: '@x/a' }));
  write(
    'packages/a/src/index.ts',
    [
      "export { used, testOnly, ownOnly, Klass } from './impl';",
      "export type { Shape, Hidden } from './impl';",
      "export * from './star';",
    ].join('\n'),
  );
  write(
    'packages/a/src/impl.ts',
    [
      'export const used = 1;',
      'export function testOnly(): number { return 2; }',
      'export function ownOnly(): number { return 3; }',
      'export class Klass {}',
      'export interface Shape { readonly x: number }',
      'export type Hidden = string;',
    ].join('\n'),
  );
  write('packages/a/src/star.ts', 'export const starred = 4;\nexport enum Colour { Red }\n');
  write(
    'packages/a/src/own.ts',
    "import { ownOnly, Colour } from '@x/a';\nexport const z = ownOnly() + Colour.Red;\n",
  );
  write('packages/a/test/a.test.ts', "import { testOnly } from '../src/index';\ntestOnly();\n");
  write(
    'packages/b/package.json',
    JSON.stringify({
      name: '@x/b',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './browser': { types: './dist/browser.d.ts', default: './dist/browser.js' },
        './data.wasm': './build/data.wasm',
        './package.json': './package.json',
      },
    }),
  );
  write('packages/b/src/index.ts', "export { bee } from './browser';\nexport const bMain = 1;\n");
  write('packages/b/src/browser.ts', 'export const bee = 2;\nexport type BeeType = number;\n');
  // Another package's source uses a's `Shape` (type) and b's subpath.
  write('packages/c/package.json', JSON.stringify({ name: '@x/c' }));
  write(
    'packages/c/src/use.ts',
    "import type { Shape } from '@x/a';\nimport { bee, type BeeType } from '@x/b/browser';\nexport const s: Shape | BeeType = bee;\n",
  );
  // An app uses a namespace import; a tool requires; an example dynamic-imports.
  write('apps/web/src/main.ts', "import * as a from '@x/a';\nexport const k = new a.Klass();\n");
  // Another package's test counts as a test; an app's test as a caller.
  write('packages/c/test/c.test.ts', "import { Colour } from '@x/a';\nColour.Red;\n");
  write('apps/web/test/w.test.ts', "import { bMain } from '@x/b';\nbMain;\n");
  write('tools/t.ts', "const { starred } = require('@x/a');\nconsole.log(starred);\n");
  write('examples/e.mjs', "const m = await import('@x/b');\nconsole.log(m.bMain);\n");
  write(
    'README.md',
    '# r\n\n```ts\nimport { used } from "@x/a";\n```\n\n```sh\nimport { Hidden } from "@x/a"\n```\n',
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function entry(usage: EntryUsage[], spec: string): EntryUsage {
  const e = usage.find((u) => u.specifier === spec);
  if (!e) throw new Error(`no entry ${spec}`);
  return e;
}

test('lists every entry (index + TS subpaths, not .wasm or package.json) with values and types', () => {
  const usage = exportUsage(root);
  expect(usage.map((u) => `${u.specifier} ${u.file}`)).toEqual([
    '@x/a packages/a/src/index.ts',
    '@x/b packages/b/src/index.ts',
    '@x/b/browser packages/b/src/browser.ts',
  ]);
  const a = entry(usage, '@x/a');
  const kinds = Object.fromEntries(a.names.map((n) => [n.name, n.kind]));
  expect(kinds).toEqual({
    Colour: 'value',
    Hidden: 'type',
    Klass: 'value',
    ownOnly: 'value',
    Shape: 'type',
    starred: 'value',
    testOnly: 'value',
    used: 'value',
  });
  expect(entry(usage, '@x/b/browser').names.map((n) => `${n.name}:${n.kind}`)).toEqual([
    'bee:value',
    'BeeType:type',
  ]);
});

test('counts uses outside the package, by tests, and ignores the package’s own source', () => {
  const usage = exportUsage(root);
  const a = Object.fromEntries(entry(usage, '@x/a').names.map((n) => [n.name, n]));
  expect(a.used!.outside).toEqual(['README.md#L4']);
  expect(a.Shape!.outside).toEqual(['packages/c/src/use.ts']);
  expect(a.Klass!.outside).toEqual(['apps/web/src/main.ts']);
  expect(a.starred!.outside).toEqual(['tools/t.ts']);
  expect(a.testOnly!.outside).toEqual([]);
  expect(a.testOnly!.tests).toEqual(['packages/a/test/a.test.ts']);
  expect(a.ownOnly!.outside).toEqual([]);
  expect(a.Colour!.outside).toEqual([]);
  expect(a.Colour!.tests).toEqual(['packages/c/test/c.test.ts']);
  // A `sh` block is not code.
  expect(a.Hidden!.outside).toEqual([]);
  const b = Object.fromEntries(entry(usage, '@x/b').names.map((n) => [n.name, n]));
  expect(b.bMain!.outside).toEqual(['apps/web/test/w.test.ts', 'examples/e.mjs']);
  expect(b.bee!.outside).toEqual([]); // used through the subpath, not the index
  const browser = Object.fromEntries(entry(usage, '@x/b/browser').names.map((n) => [n.name, n]));
  expect(browser.bee!.outside).toEqual(['packages/c/src/use.ts']);
  expect(browser.BeeType!.outside).toEqual(['packages/c/src/use.ts']);
});

test('the table counts values, types and names unused outside', () => {
  const table = formatTable(exportUsage(root));
  const rows = table
    .split('\n')
    .slice(2, 5)
    .map((l) => l.trim().split(/\s+/));
  expect(rows).toEqual([
    ['@x/a', '6', '2', '4', '2'],
    ['@x/b', '2', '0', '1', '0'],
    ['@x/b/browser', '1', '1', '0', '0'],
  ]);
  expect(table).toContain('@x/a: Colour (tests), Hidden, ownOnly, testOnly (tests)');
});

test('importedNames and codeBlocks', () => {
  const got = importedNames(
    "import d, { a as b } from 'm';\nexport { c } from 'n';\nexport * from 'o';\nimport ns = require('p');\nns.q;\nconst r = require('s').t;\n",
    'x.ts',
  );
  const lazy = importedNames(
    "import type * as M from 'lazy';\nfunction mod(): typeof M { return require('lazy') as typeof M; }\nconst { u } = mod();\nmod().v();\n",
    'y.ts',
  );
  expect([...(lazy.get('lazy') ?? [])].sort()).toEqual(['u', 'v']);
  expect(Object.fromEntries([...got].map(([k, v]) => [k, [...v].sort()]))).toEqual({
    m: ['a', 'default'],
    n: ['c'],
    o: ['*'],
    p: ['q'],
    s: ['t'],
  });
  expect(codeBlocks('x\n```js\nA\nB\n```\n~~~ts\nC\n~~~\n')).toEqual([
    { line: 3, code: 'A\nB' },
    { line: 7, code: 'C' },
  ]);
});

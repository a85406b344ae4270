/**
 * `npx tsx tools/export-usage.ts [--json] [--root DIR]`: which names each package's entry files export,
 * and who uses them (issue 19, Deliver 1: "an entry file exporting what callers use").
 *
 * For every package under `packages/*`, its entries are `src/index.ts` and the TypeScript source of
 * each subpath in its package.json `exports` (`./dist/png.js` → `src/png.ts`; non-TS targets such as a
 * `.wasm` file are skipped). The TypeScript compiler lists each entry's exports (re-exports followed)
 * and splits them into values (functions, classes, consts, enums) and types (interfaces, type aliases).
 *
 * A name counts as used *outside* when it is imported from that entry (by package name, subpath or a
 * relative path to the entry file) by another package's `src/`, any file under `apps/`, `benchmarks/`,
 * `tools/` or `examples/`, or a `ts`/`js` code block of a README.md (the package's own README
 * included: its example is part of the API). An import from any package's `test/` counts only as a use
 * by *tests*; a package's own `src/` never counts. (An app's tests are the app's: they count as outside.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** One exported name of one entry file. */
export interface ExportedName {
  readonly name: string;
  readonly kind: 'value' | 'type';
  /** Files (repository-relative; README blocks as `README.md#L<line>`) that use it outside the package. */
  readonly outside: string[];
  /** Test files that use it. */
  readonly tests: string[];
}

/** One entry file of a package: `.` or an `exports` subpath. */
export interface EntryUsage {
  readonly pkg: string;
  /** The specifier callers write: `@mechlab/plot`, `@mechlab/plot/png`. */
  readonly specifier: string;
  /** Repository-relative path of the entry's TypeScript source. */
  readonly file: string;
  readonly names: ExportedName[];
}

interface Entry {
  readonly pkg: string;
  readonly dir: string;
  readonly specifier: string;
  readonly file: string;
}

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.nx', 'out', 'coverage', '.git', 'assembly']);

function walk(dir: string, out: string[], keep: (f: string) => boolean): void {
  if (!fs.existsSync(dir)) return;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (d.name.startsWith('.') || SKIP_DIRS.has(d.name)) continue;
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p, out, keep);
    else if (d.isFile() && keep(p)) out.push(p);
  }
}

/** `./dist/a/b.js` (or `.d.ts`) → `<dir>/src/a/b.ts`, when that source exists. */
function sourceOf(dir: string, target: string): string | undefined {
  const m = /^\.\/dist\/(.+?)(\.d\.ts|\.js|\.cjs|\.mjs)$/.exec(target);
  if (!m) return undefined;
  const f = path.join(dir, 'src', `${m[1]}.ts`);
  return fs.existsSync(f) ? f : undefined;
}

function exportTarget(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  for (const k of ['types', 'import', 'require', 'default']) {
    const t = exportTarget(o[k]);
    if (t !== undefined && /\.(d\.ts|js|cjs|mjs)$/.test(t)) return t;
  }
  return undefined;
}

/** The entry files of every package under `root/packages`. */
export function findEntries(root: string): Entry[] {
  const entries: Entry[] = [];
  const pkgs = path.join(root, 'packages');
  if (!fs.existsSync(pkgs)) return entries;
  for (const d of fs
    .readdirSync(pkgs, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(pkgs, d.name);
    const pj = path.join(dir, 'package.json');
    if (!d.isDirectory() || !fs.existsSync(pj)) continue;
    const pkg = JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string; exports?: unknown };
    const name = pkg.name ?? d.name;
    const seen = new Set<string>();
    const add = (specifier: string, file: string | undefined): void => {
      if (file === undefined || seen.has(file)) return;
      seen.add(file);
      entries.push({ pkg: name, dir, specifier, file });
    };
    const index = path.join(dir, 'src', 'index.ts');
    add(name, fs.existsSync(index) ? index : undefined);
    if (typeof pkg.exports === 'object' && pkg.exports !== null) {
      for (const [key, v] of Object.entries(pkg.exports as Record<string, unknown>)) {
        if (key === '.' || !key.startsWith('./') || key.endsWith('.json')) continue;
        const t = exportTarget(v);
        add(`${name}/${key.slice(2)}`, t === undefined ? undefined : sourceOf(dir, t));
      }
    }
  }
  return entries;
}

/** The names an entry exports, split by kind, with the TypeScript checker (re-exports followed). */
function listExports(entries: readonly Entry[]): Map<Entry, { name: string; kind: 'value' | 'type' }[]> {
  const paths: Record<string, string[]> = {};
  for (const e of entries) paths[e.specifier] = [e.file];
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      esModuleInterop: true,
      paths,
    },
  );
  const checker = program.getTypeChecker();
  const out = new Map<Entry, { name: string; kind: 'value' | 'type' }[]>();
  for (const e of entries) {
    const sf = program.getSourceFile(e.file);
    const mod = sf && checker.getSymbolAtLocation(sf);
    const names: { name: string; kind: 'value' | 'type' }[] = [];
    for (const s of mod ? checker.getExportsOfModule(mod) : []) {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      // `export type { X }` of a class is a type-only export: callers cannot use it as a value.
      const typeOnly = s.declarations?.some(
        (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
      );
      const isValue = !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0;
      names.push({ name: s.name, kind: isValue ? 'value' : 'type' });
    }
    names.sort((a, b) => a.name.localeCompare(b.name));
    out.set(e, names);
  }
  return out;
}

/** Where a file stands: a package's source or its tests (`packages/<p>/test`), or a caller outside. */
function roleOf(root: string, file: string): { role: 'src' | 'test' | 'outside'; pkgDir?: string } {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'packages' && rel.length > 2) {
    const pkgDir = path.join(root, 'packages', rel[1]!);
    if (rel[2] === 'test') return { role: 'test', pkgDir };
    return { role: 'src', pkgDir };
  }
  // apps/, benchmarks/, tools/, examples/: every file is a caller (an app's own tests included).
  return { role: 'outside' };
}

/** Names a piece of code imports from each module specifier (namespace uses by property access). */
export function importedNames(code: string, fileName: string): Map<string, Set<string>> {
  const kind = /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true, kind);
  const found = new Map<string, Set<string>>();
  const namespaces = new Map<string, string>(); // local identifier → specifier
  const add = (spec: string, name: string): void => {
    const s = found.get(spec) ?? new Set<string>();
    s.add(name);
    found.set(spec, s);
  };
  const moduleCall = (e: ts.Expression): string | undefined => {
    let x = e;
    while (ts.isAwaitExpression(x) || ts.isParenthesizedExpression(x)) x = x.expression;
    if (!ts.isCallExpression(x) || x.arguments.length < 1) return undefined;
    const a = x.arguments[0]!;
    if (!ts.isStringLiteralLike(a)) return undefined;
    const isImport = x.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(x.expression) && x.expression.text === 'require';
    return isImport || isRequire ? a.text : undefined;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      const c = n.importClause;
      if (c?.name) add(spec, 'default');
      const b = c?.namedBindings;
      if (b && ts.isNamedImports(b))
        for (const el of b.elements) add(spec, (el.propertyName ?? el.name).text);
      if (b && ts.isNamespaceImport(b)) namespaces.set(b.name.text, spec);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      if (n.exportClause && ts.isNamedExports(n.exportClause))
        for (const el of n.exportClause.elements) add(spec, (el.propertyName ?? el.name).text);
      else add(spec, '*');
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      const e = n.moduleReference.expression;
      if (ts.isStringLiteral(e)) namespaces.set(n.name.text, e.text);
    } else if (ts.isVariableDeclaration(n) && n.initializer) {
      const spec = moduleCall(n.initializer);
      if (spec !== undefined) {
        if (ts.isObjectBindingPattern(n.name)) {
          for (const el of n.name.elements) {
            const key = el.propertyName ?? el.name;
            if (ts.isIdentifier(key) || ts.isStringLiteral(key)) add(spec, key.text);
          }
        } else if (ts.isIdentifier(n.name)) namespaces.set(n.name.text, spec);
      }
    } else if (ts.isPropertyAccessExpression(n)) {
      // `(await import('@mechlab/x')).name` and `require('@mechlab/x').name`
      const spec = moduleCall(n.expression);
      if (spec !== undefined) add(spec, n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // A lazy loader typed `(): typeof Ns` (e.g. forum's `perplexity()` around `require`): names taken off
  // its result — `loader().name`, `const { name } = loader()` — are uses of Ns's module.
  const loaders = new Map<string, string>(); // function name → specifier
  const findLoaders = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name && n.type && ts.isTypeQueryNode(n.type)) {
      const q = n.type.exprName;
      const spec = ts.isIdentifier(q) ? namespaces.get(q.text) : undefined;
      if (spec !== undefined) loaders.set(n.name.text, spec);
    }
    ts.forEachChild(n, findLoaders);
  };
  findLoaders(sf);
  if (loaders.size > 0) {
    const loaderOf = (e: ts.Expression): string | undefined =>
      ts.isCallExpression(e) && ts.isIdentifier(e.expression) ? loaders.get(e.expression.text) : undefined;
    const uses = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n)) {
        const spec = loaderOf(n.expression);
        if (spec !== undefined) add(spec, n.name.text);
      } else if (ts.isVariableDeclaration(n) && n.initializer && ts.isObjectBindingPattern(n.name)) {
        const spec = loaderOf(n.initializer);
        if (spec !== undefined)
          for (const el of n.name.elements) {
            const key = el.propertyName ?? el.name;
            if (ts.isIdentifier(key)) add(spec, key.text);
          }
      }
      ts.forEachChild(n, uses);
    };
    uses(sf);
  }
  if (namespaces.size > 0) {
    const uses = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
        const spec = namespaces.get(n.expression.text);
        if (spec !== undefined) add(spec, n.name.text);
      } else if (ts.isQualifiedName(n) && ts.isIdentifier(n.left)) {
        const spec = namespaces.get(n.left.text);
        if (spec !== undefined) add(spec, n.right.text);
      }
      ts.forEachChild(n, uses);
    };
    uses(sf);
  }
  return found;
}

/** The `ts`/`js` fenced code blocks of a Markdown file, with the line each starts on. */
export function codeBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(```|~~~)\s*(ts|typescript|js|javascript|mjs|cjs|tsx)\b/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && !lines[j]!.trim().startsWith(open[1]!)) j++;
    blocks.push({ line: start + 1, code: lines.slice(start, j).join('\n') });
    i = j;
  }
  return blocks;
}

/** Usage of every package entry's exports in the tree at `root`. */
export function exportUsage(root: string): EntryUsage[] {
  root = path.resolve(root);
  const entries = findEntries(root);
  const exportsOf = listExports(entries);
  const bySpecifier = new Map(entries.map((e) => [e.specifier, e]));
  const byFile = new Map(entries.map((e) => [e.file.replace(/\.ts$/, ''), e]));
  const usage = new Map<Entry, Map<string, { outside: Set<string>; tests: Set<string> }>>();
  for (const e of entries) {
    const m = new Map<string, { outside: Set<string>; tests: Set<string> }>();
    for (const n of exportsOf.get(e)!) m.set(n.name, { outside: new Set(), tests: new Set() });
    usage.set(e, m);
  }

  const record = (
    where: string,
    file: string,
    fromDir: string,
    code: string,
    role: ReturnType<typeof roleOf>,
  ): void => {
    for (const [spec, names] of importedNames(code, file)) {
      let e = bySpecifier.get(spec);
      if (!e && spec.startsWith('.')) {
        const abs = path.resolve(fromDir, spec).replace(/\.(ts|js)$/, '');
        e = byFile.get(abs) ?? byFile.get(path.join(abs, 'index'));
      }
      if (!e) continue;
      if (role.role === 'src' && role.pkgDir === e.dir) continue; // a package's own source
      const m = usage.get(e)!;
      const all = names.has('*') ? [...m.keys()] : [...names];
      for (const n of all) {
        const u = m.get(n);
        if (!u) continue;
        (role.role === 'test' ? u.tests : u.outside).add(where);
      }
    }
  };

  const files: string[] = [];
  for (const group of ['packages', 'apps', 'benchmarks', 'tools', 'examples'])
    walk(path.join(root, group), files, (f) => SOURCE_EXT.test(f) && !f.endsWith('.d.ts'));
  for (const f of files) {
    const rel = path.relative(root, f);
    record(rel, f, path.dirname(f), fs.readFileSync(f, 'utf8'), roleOf(root, f));
  }
  const readmes: string[] = [];
  walk(root, readmes, (f) => path.basename(f) === 'README.md');
  for (const f of readmes) {
    const rel = path.relative(root, f);
    for (const b of codeBlocks(fs.readFileSync(f, 'utf8'))) {
      record(`${rel}#L${b.line}`, `${f}.block.ts`, path.dirname(f), b.code, { role: 'outside' });
    }
  }

  return entries.map((e) => ({
    pkg: e.pkg,
    specifier: e.specifier,
    file: path.relative(root, e.file),
    names: exportsOf.get(e)!.map((n) => {
      const u = usage.get(e)!.get(n.name)!;
      return { ...n, outside: [...u.outside].sort(), tests: [...u.tests].sort() };
    }),
  }));
}

/** The table: one row per entry file, with totals per package. */
export function formatTable(usage: readonly EntryUsage[]): string {
  const rows: string[][] = [['entry', 'values', 'types', 'unused-outside', 'of which tests-only']];
  for (const u of usage) {
    const unused = u.names.filter((n) => n.outside.length === 0);
    rows.push([
      u.specifier,
      String(u.names.filter((n) => n.kind === 'value').length),
      String(u.names.filter((n) => n.kind === 'type').length),
      String(unused.length),
      String(unused.filter((n) => n.tests.length > 0).length),
    ]);
  }
  const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(width[c]!) : cell.padStart(width[c]!))).join('  ');
  const out = [line(rows[0]!), width.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const unusedLines = usage.flatMap((u) => {
    const unused = u.names.filter((n) => n.outside.length === 0);
    return unused.length === 0
      ? []
      : [
          `${u.specifier}: ${unused.map((n) => (n.tests.length > 0 ? `${n.name} (tests)` : n.name)).join(', ')}`,
        ];
  });
  if (unusedLines.length > 0) out.push('', 'unused outside their package:', ...unusedLines);
  return out.join('\n') + '\n';
}

function main(argv: readonly string[]): void {
  const json = argv.includes('--json');
  const r = argv.indexOf('--root');
  const root = r >= 0 && argv[r + 1] ? argv[r + 1]! : path.join(__dirname, '..');
  const usage = exportUsage(root);
  process.stdout.write(json ? JSON.stringify(usage, null, 2) + '\n' : formatTable(usage));
}

if (require.main === module) main(process.argv.slice(2));

/**
 * No import cycles (issue 19, Deliver 3): the relative-import graph of every package's `src/` and the
 * package graph (`@mechlab/x` imports between packages) are acyclic. An edge is an import that
 * survives compilation: `import type { … }` and imports whose every name is `type`-marked are erased
 * (isolatedModules), so they cannot make modules evaluate in a circle and are left out. Parsed with
 * the TypeScript API, no extra dependency; the last test proves the check fails on a planted cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const repo = resolve(__dirname, '..', '..', '..');
const packagesDir = join(repo, 'packages');

/** Whether an import/export declaration is erased by the compiler (only types). */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const c = node.exportClause;
    return (
      c !== undefined &&
      ts.isNamedExports(c) &&
      c.elements.length > 0 &&
      c.elements.every((e) => e.isTypeOnly)
    );
  }
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './x'`: evaluated for its effects
  if (clause.isTypeOnly) return true;
  const b = clause.namedBindings;
  return (
    clause.name === undefined &&
    b !== undefined &&
    ts.isNamedImports(b) &&
    b.elements.length > 0 &&
    b.elements.every((e) => e.isTypeOnly)
  );
}

/** Module specifiers of every run-time import/export/`import()`/`require()` in `text`. */
function specifiers(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (!typeOnly(node)) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Resolve a relative specifier to a file of the graph (`x` → `x.ts` or `x/index.ts`). */
function resolveRelative(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  return [`${base}.ts`, join(base, 'index.ts')].find((f) => files.has(f));
}

/** One cycle of the directed graph (as a closed path), or `null` when it is acyclic. Iterative DFS. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = (graph.get(top[0]) ?? [])[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next) === 1) {
        const path = stack.map(([n]) => n);
        return [...path.slice(path.indexOf(next)), next];
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  return null;
}

/** The relative-import graph of one package's `src/`. */
function moduleGraph(pkg: string): Map<string, string[]> {
  const files = tsFiles(join(packagesDir, pkg, 'src'));
  const set = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = specifiers(f, readFileSync(f, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => resolveRelative(f, s, set))
      .filter((d): d is string => d !== undefined);
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

const packages = readdirSync(packagesDir).filter((p) => {
  try {
    return statSync(join(packagesDir, p, 'src')).isDirectory();
  } catch {
    return false;
  }
});

describe('import graph', () => {
  it('finds the packages, ccs and core among them', () => {
    expect(packages).toEqual(expect.arrayContaining(['ccs', 'core', 'kernels', 'sweep']));
  });

  it.each(packages)('package %s: the modules of src/ import each other without a cycle', (pkg) => {
    const graph = moduleGraph(pkg);
    expect(graph.size).toBeGreaterThan(0);
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(repo, f)) ?? null).toBeNull();
  });

  it('the packages import each other without a cycle, and core imports no other package', () => {
    const graph = new Map<string, string[]>();
    for (const pkg of packages) {
      const deps = new Set<string>();
      for (const f of tsFiles(join(packagesDir, pkg, 'src'))) {
        for (const s of specifiers(f, readFileSync(f, 'utf8'))) {
          const m = /^@mechlab\/([a-z-]+)/.exec(s);
          if (m !== null && m[1] !== pkg) deps.add(m[1]!);
        }
      }
      graph.set(pkg, [...deps]);
    }
    expect(graph.get('core')).toEqual([]);
    expect(graph.get('ccs')).toEqual(['core']);
    expect(findCycle(graph)).toBeNull();
  });

  it('the check fails on a cycle (a planted quality → equilibrium → quality circle)', () => {
    const graph = moduleGraph('ccs');
    const q = join(packagesDir, 'ccs', 'src', 'quality.ts');
    const eq = join(packagesDir, 'ccs', 'src', 'equilibrium.ts');
    expect(graph.get(eq)).toContain(q);
    graph.set(q, [...graph.get(q)!, eq]);
    expect(findCycle(graph)).toEqual(expect.arrayContaining([q, eq]));
    // And the parser sees the import that would plant it.
    const planted = specifiers(q, `import { graphWelfare } from './equilibrium';\n`);
    expect(resolveRelative(q, planted[0]!, new Set(graph.keys()))).toBe(eq);
    expect(specifiers(q, `import type { X } from './a';\nimport { type Y } from './b';\n`)).toEqual([]);
  });
});

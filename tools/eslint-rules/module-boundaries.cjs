// @ts-check
/**
 * `mechlab/module-boundaries`: the local equivalent of `@nx/enforce-module-boundaries` (issue 19,
 * Deliver 2), without the `@nx/eslint-plugin` dependency. It reads each project's `tags` from its
 * `project.json` and the tag rules of the root README ("Project tags") passed as `depConstraints`, and
 * reports
 *
 *  - `notAllowedTag`: an import of another project whose tags the importing project may not depend on;
 *  - `deepImport`: an import into another project by file path (`../../other/src/x`) or by a package
 *    subpath (`@mechlab/x/src/y`) that is not one of that package's declared `exports` subpaths.
 *
 * Projects are the folders under `packages/`, `apps/` and `benchmarks/` that hold a `project.json`;
 * files outside them (tools/, examples/) are only checked for deep imports into `packages/`.
 * A file path that is the target of a declared export (e.g. kernels' `build/release.wasm`) may be
 * imported by path, because the package publishes that file.
 */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { dirname, join, resolve, sep } = require('node:path');

/**
 * The tag rules of README.md "Project tags" (one source for eslint.config.mjs and the rule's test).
 * A project must satisfy every constraint whose `sourceTag` it carries; a dependency passes a
 * constraint when it has at least one of the listed tags; `[]` means: no other mechlab project.
 * @type {DepConstraint[]}
 */
const depConstraints = [
  { sourceTag: 'scope:base', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:ccs', onlyDependOnLibsWithTags: ['scope:base'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['scope:base'] },
  { sourceTag: 'type:backend', onlyDependOnLibsWithTags: ['scope:base', 'scope:ccs'] },
  { sourceTag: 'type:fs', onlyDependOnLibsWithTags: ['scope:base'] },
  { sourceTag: 'type:io', onlyDependOnLibsWithTags: ['scope:base', 'type:io', 'type:fs', 'type:backend'] },
  {
    sourceTag: 'type:pool',
    onlyDependOnLibsWithTags: ['scope:base', 'scope:ccs', 'type:fs', 'type:backend'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:core', 'type:backend', 'type:fs', 'type:io', 'type:pool'],
  },
  {
    sourceTag: 'type:bench',
    onlyDependOnLibsWithTags: ['type:core', 'type:backend', 'type:fs', 'type:io', 'type:pool'],
  },
];

/**
 * @typedef {{ name: string; npm: string | undefined; dir: string; tags: string[]; kind: string;
 *   exportKeys: Set<string>; exportTargets: Set<string> }} Project
 * @typedef {{ sourceTag: string; onlyDependOnLibsWithTags: string[] }} DepConstraint
 */

/** @type {Map<string, Project[]>} */
const cache = new Map();

/** Every project under `root` (cached per root: project.json files do not change during a lint run). */
function loadProjects(/** @type {string} */ root) {
  const hit = cache.get(root);
  if (hit) return hit;
  /** @type {Project[]} */
  const projects = [];
  const dirs = [];
  for (const group of ['packages', 'apps']) {
    const g = join(root, group);
    if (!existsSync(g)) continue;
    for (const d of readdirSync(g, { withFileTypes: true }))
      if (d.isDirectory()) dirs.push([group, join(g, d.name)]);
  }
  dirs.push(['benchmarks', join(root, 'benchmarks')]);
  for (const [kind, dir] of dirs) {
    const pj = join(dir, 'project.json');
    if (!existsSync(pj)) continue;
    const project = JSON.parse(readFileSync(pj, 'utf8'));
    const pkgPath = join(dir, 'package.json');
    const pkg = existsSync(pkgPath) ? JSON.parse(readFileSync(pkgPath, 'utf8')) : {};
    const exportKeys = new Set();
    const exportTargets = new Set();
    if (pkg.exports && typeof pkg.exports === 'object') {
      for (const [key, target] of Object.entries(pkg.exports)) {
        exportKeys.add(key);
        for (const t of typeof target === 'string' ? [target] : Object.values(target ?? {}))
          if (typeof t === 'string') exportTargets.add(join(dir, t));
      }
    }
    projects.push({
      name: project.name,
      npm: pkg.name,
      dir,
      tags: Array.isArray(project.tags) ? project.tags : [],
      kind,
      exportKeys,
      exportTargets,
    });
  }
  cache.set(root, projects);
  return projects;
}

/** The project whose folder holds `file`, if any. */
function projectOf(/** @type {Project[]} */ projects, /** @type {string} */ file) {
  return projects.find((p) => file === p.dir || file.startsWith(p.dir + sep));
}

/** @type {import('eslint').Rule.RuleModule} */
const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Project tag rules and no deep imports between mechlab projects (README "Project tags")',
    },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          depConstraints: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                sourceTag: { type: 'string' },
                onlyDependOnLibsWithTags: { type: 'array', items: { type: 'string' } },
              },
              required: ['sourceTag', 'onlyDependOnLibsWithTags'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'depConstraints'],
        additionalProperties: false,
      },
    ],
    messages: {
      notAllowedTag:
        'Project "{{from}}" ({{fromTags}}) may not import "{{to}}" ({{toTags}}): a "{{sourceTag}}" project may only depend on projects tagged {{allowed}} (README "Project tags").',
      deepImport:
        'Deep import "{{source}}" into project "{{to}}": import its public entry ({{entries}}) instead (README "Project tags").',
    },
  },
  create(context) {
    const opts = /** @type {{ root: string; depConstraints: DepConstraint[] }} */ (context.options[0]);
    const root = resolve(opts.root);
    const projects = loadProjects(root);
    const file = resolve(context.filename);
    const from = projectOf(projects, file);

    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string') return;
      const source = value.replace(/\?.*$/, ''); // Vite's `?url` / `?raw` suffixes
      /** @type {Project | undefined} */
      let to;
      let deep = false;
      if (source.startsWith('@mechlab/')) {
        const [, name, ...rest] = source.split('/');
        to = projects.find((p) => p.npm === `@mechlab/${name}`);
        if (!to) return;
        if (rest.length > 0 && !to.exportKeys.has(`./${rest.join('/')}`)) deep = true;
      } else if (source.startsWith('.')) {
        const target = resolve(dirname(file), source);
        to = projectOf(projects, target);
        if (!to || to === from) return;
        // Files outside projects (tools/, examples/) may drive an app by path; packages have an API.
        if (!from && to.kind !== 'packages') return;
        const published = [...to.exportTargets].some(
          (t) => t === target || t.replace(/\.(js|d\.ts)$/, '') === target || t === `${target}.js`,
        );
        if (!published) deep = true;
      } else return;
      if (!to || to === from) return;

      if (deep) {
        const entries = [...to.exportKeys].filter((k) => k !== './package.json');
        context.report({
          node,
          messageId: 'deepImport',
          data: {
            source: value,
            to: to.name,
            entries:
              to.npm === undefined
                ? 'none: it is not a package'
                : (entries.length ? entries : ['.']).map((k) => `"${to?.npm}${k.slice(1)}"`).join(', '),
          },
        });
        return;
      }
      if (!from) return;
      for (const c of opts.depConstraints) {
        if (!from.tags.includes(c.sourceTag)) continue;
        if (to.tags.some((t) => c.onlyDependOnLibsWithTags.includes(t))) continue;
        context.report({
          node,
          messageId: 'notAllowedTag',
          data: {
            from: from.name,
            fromTags: from.tags.join(', '),
            to: to.name,
            toTags: to.tags.join(', '),
            sourceTag: c.sourceTag,
            allowed: c.onlyDependOnLibsWithTags.length
              ? c.onlyDependOnLibsWithTags.map((t) => `"${t}"`).join(' or ')
              : 'nothing',
          },
        });
        return;
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        const a = node.arguments[0];
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isResolve =
          callee.type === 'MemberExpression' &&
          callee.object.type === 'Identifier' &&
          callee.object.name === 'require' &&
          callee.property.type === 'Identifier' &&
          callee.property.name === 'resolve';
        if ((isRequire || isResolve) && a && a.type === 'Literal') check(a, a.value);
      },
    };
  },
};

/** The local plugin, registered in eslint.config.mjs as `mechlab`. */
module.exports = { rules: { 'module-boundaries': moduleBoundaries }, depConstraints, loadProjects };

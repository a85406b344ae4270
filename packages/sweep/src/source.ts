/**
 * Where experiments come from. The engine knows no experiment by itself: a caller hands it a list
 * (`experiments`, e.g. the CLI's catalogue), a SPEC.json may name a user's module (`"module"`), and a
 * worker thread or queue worker imports the module named in its task (`TaskInput.source`) — no
 * registry, no side-effect imports.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  MechlabError,
  experimentFromModule,
  isExperiment,
  type Experiment,
  type ExperimentSource,
} from '@mechlab/core';
import type { ExperimentList } from './spec';

// The list type lives with the (browser-safe) spec; the workers and the CLI take it from here too.
export type { ExperimentList };

// CommonJS `require` first, so a module loads exactly as it does in the main thread (and through tsx's
// or jest's hooks); ES modules (`.mjs`, or `.js` under `"type": "module"`) through `import()`.
const load = createRequire(__filename);
const importEsm = (url: string): Promise<unknown> => import(url);
const modules = new Map<string, Promise<unknown>>();

/** Import a module by absolute path, once per thread. */
export function importModule(file: string): Promise<unknown> {
  let p = modules.get(file);
  if (!p) {
    p = (async (): Promise<unknown> => {
      if (!file.endsWith('.mjs')) {
        try {
          const mod = load(file) as unknown;
          // Plain CommonJS (`module.exports = { name, … }`): its exports object is the default export,
          // as `import()` would present it. Transpiled ES modules (`__esModule`) keep their names.
          if (typeof mod === 'object' && mod !== null && !(mod as { __esModule?: unknown }).__esModule) {
            return { ...(mod as object), default: mod };
          }
          return mod;
        } catch (e) {
          if ((e as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw e;
        }
      }
      return importEsm(pathToFileURL(file).href);
    })();
    modules.set(file, p);
  }
  return p;
}

const USER_EXPORTS = new Set(['default', 'experiment', 'default.experiment']);
const sources = new Map<string, Promise<Experiment>>();

/**
 * The experiment a task names, imported from its module (once per thread). O(1) after the first call.
 * @throws MechlabError naming `task.source` when the export is not an experiment.
 */
export function experimentFromSource(src: ExperimentSource): Promise<Experiment> {
  const key = `${src.module}#${src.export}`;
  let p = sources.get(key);
  if (!p) {
    p = importModule(src.module).then((mod) => {
      // A user's module: its errors name the SPEC field that brought it in.
      if (USER_EXPORTS.has(src.export)) return experimentFromModule(mod, src.module, 'spec.module');
      const v = (mod as Record<string, unknown>)[src.export];
      if (!isExperiment(v)) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `task.source: ${src.module} exports no experiment named ${src.export}`,
          'task.source',
        );
      }
      return v;
    });
    sources.set(key, p);
  }
  return p;
}

/**
 * Load the user's experiment module a SPEC.json names (`"module"`, already resolved to an absolute
 * path) and check its shape (FORMATS.md "Experiment module").
 * @throws MechlabError ERR_INVALID_INPUT naming `field` (default `spec.module`): no such file, the
 *   module throws on import, no default export, wrong shape.
 */
export async function loadExperimentModule(file: string, field = 'spec.module'): Promise<Experiment> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new MechlabError('ERR_INVALID_INPUT', `${field}: no such file ${file}`, field);
  }
  if (!/\.(c|m)?js$/.test(file) && !/\.ts$/.test(file)) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `${field} must be a .js, .mjs or .cjs file, got ${file}`,
      field,
    );
  }
  let mod: unknown;
  try {
    mod = await importModule(file);
  } catch (e) {
    modules.delete(file);
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new MechlabError('ERR_INVALID_INPUT', `${field}: cannot import ${file}: ${msg}`, field);
  }
  return experimentFromModule(mod, file, field);
}

/**
 * Before validation: when a spec document names a `module`, resolve it against `baseDir` (a SPEC.json's
 * own directory), import and check it, and add its experiment to the list. Other documents pass
 * through unchanged. A module already absolute and already in `experiments` is not imported again.
 * @throws MechlabError naming `spec.module` (see `loadExperimentModule`).
 */
export async function withSpecModule(
  doc: unknown,
  experiments: ExperimentList,
  baseDir: string = process.cwd(),
  root = 'spec',
): Promise<{ doc: unknown; experiments: ExperimentList }> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('module' in doc)) {
    return { doc, experiments };
  }
  const m = (doc as { module?: unknown }).module;
  if (typeof m !== 'string' || m === '') {
    throw new MechlabError(
      'ERR_INVALID_TYPE',
      `${root}.module must be a path to a .js/.mjs/.cjs file, got ${JSON.stringify(m)}`,
      `${root}.module`,
    );
  }
  const file = path.resolve(baseDir, m);
  if (experiments.some((e) => e.source?.module === file))
    return { doc: { ...doc, module: file }, experiments };
  const exp = await loadExperimentModule(file, `${root}.module`);
  return {
    doc: { ...doc, module: file },
    experiments: [...experiments.filter((e) => e.name !== exp.name), exp],
  };
}

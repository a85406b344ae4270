/**
 * Pure implementations of the `mechlab shapley` and `mechlab mpw` commands (FORMATS.md): they take the
 * game document (raw JSON or an already parsed game) and options, and return exactly the `--json`
 * output object, so the CLI only reads the file, calls these, and prints.
 */
import { MechlabError, parseWithSchema } from '@mechlab/core';
import type { SeedKey } from '@mechlab/core';
import { characteristicOracle, maxPoolingOracle, withoutExternalities } from './games';
import type { CoalitionGame } from './games';
import { mpwExact, mpwSample } from './mpw';
import { commandOptionsSchema, parseCoalitionGame } from './schema';
import { shapleyExact, shapleyMaxPooling, shapleySample } from './shapley';

/** Options of {@link runShapleyCommand} (`--method`, `--samples`, `--seed`). */
export interface ShapleyCommandOptions {
  /** `'exact'` (default) or `'sample'`. */
  method?: 'exact' | 'sample';
  /** Permutations for `'sample'` (integer ≥ 2, default 1000). */
  samples?: number;
  /** Seed for `'sample'` (default 0). */
  seed?: SeedKey;
  /** `'sample'` only: called with (permutations done, samples) per batch; no I/O here. */
  onProgress?: (done: number, total: number) => void;
}

/** `mechlab shapley --json` output: `stderr` only when sampling. */
export interface ShapleyCommandOutput {
  values: number[];
  stderr?: number[];
}

/** Options of {@link runMpwCommand} (`--method`; `samples`/`seed` for sampling). */
export interface MpwCommandOptions {
  /** `'exact'` (default) or `'sample'`. */
  method?: 'exact' | 'sample';
  /** Draws for `'sample'` (integer ≥ 2, default 1000). */
  samples?: number;
  /** Seed for `'sample'` (default 0). */
  seed?: SeedKey;
  /** `'sample'` only: called with (draws done, samples) per batch; no I/O here. */
  onProgress?: (done: number, total: number) => void;
}

/** `mechlab mpw --json` output. */
export interface MpwCommandOutput {
  values: number[];
}

function isParsedGame(x: unknown): x is CoalitionGame {
  if (typeof x !== 'object' || x === null) return false;
  const g = x as Partial<Record<string, unknown>>;
  return (
    (g.kind === 'characteristic' && g.values instanceof Float64Array) ||
    (g.kind === 'maxPooling' && g.scores instanceof Float64Array) ||
    (g.kind === 'partition' && typeof g.evaluate === 'function')
  );
}

/** The method, samples (default 1000) and seed (default 0) of a command, validated once. */
function resolveOptions(options: ShapleyCommandOptions): {
  method: 'exact' | 'sample';
  samples: number;
  seed: SeedKey;
} {
  const o = parseWithSchema(commandOptionsSchema, options, 'options');
  return { method: o.method ?? 'exact', samples: o.samples ?? 1000, seed: o.seed ?? 0 };
}

/**
 * `mechlab shapley`: Shapley value of a characteristic-function or max-pooling game. Exact uses subset
 * enumeration (n ≤ 20) or the max-pooling closed form (any n); sample uses plain permutation sampling.
 *
 * Complexity: exact O(n · 2^n) or O(m · n log n); sample O(samples · n) (O(samples · n · m) for markets).
 * @throws MechlabError from {@link parseCoalitionGame}; `ERR_INVALID_INPUT` for a partition-function
 *   game; `ERR_OUT_OF_RANGE` for bad options (field `options.method`, `options.samples`, `options.seed`).
 * @example runShapleyCommand({ scores: [[1, 0], [0, 1]], weights: [0.5, 0.5] }) // { values: [0.5, 0.5] }
 */
export function runShapleyCommand(game: unknown, options: ShapleyCommandOptions = {}): ShapleyCommandOutput {
  const g = isParsedGame(game) ? game : parseCoalitionGame(game);
  const { method, samples, seed } = resolveOptions(options);
  if (g.kind === 'partition') {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      'game is a partition-function game: the Shapley value needs a characteristic function (use mpw)',
      'game',
    );
  }
  if (method === 'exact') {
    return { values: Array.from(g.kind === 'characteristic' ? shapleyExact(g) : shapleyMaxPooling(g)) };
  }
  const oracle = g.kind === 'characteristic' ? characteristicOracle(g) : maxPoolingOracle(g);
  const progress = options.onProgress === undefined ? {} : { onProgress: options.onProgress };
  const est = shapleySample(oracle, { samples, seed, ...progress });
  return { values: Array.from(est.values), stderr: Array.from(est.stderr) };
}

/**
 * `mechlab mpw`: MPW value of a partition-function game (exact by partition enumeration, n ≤ 10, or
 * the unbiased sampler). A characteristic-function or max-pooling game has no externalities, so its
 * MPW value is its Shapley value (computed exactly, or by the same sampler).
 *
 * Complexity: exact O(B(n) · n + n · 2^n); sample O(samples · n · cost(evaluate)).
 * @throws MechlabError from {@link parseCoalitionGame}; `ERR_OUT_OF_RANGE` for bad options.
 * @example runMpwCommand({ n: 1, partitions: [{ blocks: [[0]], values: [2] }] }) // { values: [2] }
 */
export function runMpwCommand(game: unknown, options: MpwCommandOptions = {}): MpwCommandOutput {
  const g = isParsedGame(game) ? game : parseCoalitionGame(game);
  const { method, samples, seed } = resolveOptions(options);
  if (method === 'exact') {
    if (g.kind === 'characteristic') return { values: Array.from(shapleyExact(g)) };
    if (g.kind === 'maxPooling') return { values: Array.from(shapleyMaxPooling(g)) };
    return { values: Array.from(mpwExact(g)) };
  }
  const pff = g.kind === 'partition' ? g : withoutExternalities(g);
  const progress = options.onProgress === undefined ? {} : { onProgress: options.onProgress };
  return { values: Array.from(mpwSample(pff, { samples, seed, ...progress }).values) };
}

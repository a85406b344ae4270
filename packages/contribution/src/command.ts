/**
 * The engine behind `mechlab contribution …`: option schema, validation into MechlabError, and one
 * call that runs the experiment and returns rows, a text table and the SVG figure. The CLI wrapper
 * only parses argv into the options object and writes the outputs.
 */
import { z } from 'zod';
import type { SeedKey } from '@mechlab/core';
import {
  NUMERIC_PARAM_KEYS,
  PARAM_FIELD_SCHEMAS,
  contributionGridSchema,
  zodToMechlabError,
  type ContributionParams,
  type NumericParamKey,
} from './model';
import {
  expandContributionGrid,
  runContributionExperiment,
  type ContributionGrid,
  type ContributionRow,
} from './experiment';
import { contributionFigure, contributionTable, type BandKind } from './figure';

const numericKeys = NUMERIC_PARAM_KEYS as readonly [NumericParamKey, ...NumericParamKey[]];

/**
 * zod schema of the command's options: a flat object with `seed`, `replicates`, optional `grid`
 * (parameter → values), `x` (figure axis), `band`, and any model parameter (MODELS.md §5). Unknown
 * keys are rejected.
 */
export const contributionOptionsSchema = z
  .object({
    seed: z
      .union([z.number().int().min(0), z.string().min(1)], {
        error: 'a non-negative integer or a non-empty string',
      })
      .optional(),
    replicates: z.number().int().min(1).max(1_000_000).optional(),
    grid: contributionGridSchema.optional(),
    x: z.enum(numericKeys).optional(),
    band: z.enum(['3se', '3sd', 'none']).optional(),
    ...Object.fromEntries(
      (Object.keys(PARAM_FIELD_SCHEMAS) as (keyof ContributionParams)[]).map((k) => [
        k,
        PARAM_FIELD_SCHEMAS[k].optional(),
      ]),
    ),
  })
  .strict();

/** Raw options as a CLI would build them from argv. */
export type ContributionCommandInput = Partial<ContributionParams> & {
  readonly seed?: SeedKey;
  readonly replicates?: number;
  readonly grid?: ContributionGrid;
  readonly x?: NumericParamKey;
  readonly band?: BandKind;
};

/** Validated options with defaults applied. */
export interface ContributionCommandOptions {
  readonly seed: SeedKey;
  readonly replicates: number;
  readonly params: Partial<ContributionParams>;
  readonly grid: ContributionGrid;
  readonly x: NumericParamKey | undefined;
  readonly band: BandKind;
}

/** Sweep used when the caller gives neither a grid nor τ: the threshold, as in the experiment's name. */
export const DEFAULT_COMMAND_GRID: ContributionGrid = Object.freeze({
  tau: Object.freeze([5, 10, 15, 20, 25, 30]),
});

/**
 * Validate raw options and apply defaults (seed 1, 500 replicates, band ±3 SE; grid
 * {@link DEFAULT_COMMAND_GRID} unless `grid` or `tau` is given). Cross-field constraints (e.g.
 * costLo < costHi) are checked for every grid point.
 *
 * Complexity: O(grid points).
 * @throws MechlabError with code `ERR_OUT_OF_RANGE`, `ERR_INVALID_TYPE` or `ERR_INVALID_INPUT` and a
 *   message naming the field, e.g. `tau must be > 0, got -1`.
 * @example parseContributionOptions({ tau: -1 }) // throws MechlabError: tau must be > 0, got -1
 */
export function parseContributionOptions(input: unknown): ContributionCommandOptions {
  const r = contributionOptionsSchema.safeParse(input ?? {}, { reportInput: true });
  if (!r.success) throw zodToMechlabError(r.error);
  const { seed, replicates, grid, x, band, ...rest } = r.data as ContributionCommandInput;
  const params: Partial<ContributionParams> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (params as Record<string, unknown>)[k] = v;
  const options: ContributionCommandOptions = {
    seed: seed ?? 1,
    replicates: replicates ?? 500,
    params,
    grid: grid ?? (params.tau === undefined ? DEFAULT_COMMAND_GRID : {}),
    x,
    band: band ?? '3se',
  };
  expandContributionGrid(options.params, options.grid); // cross-field checks at every grid point
  return options;
}

/** What the command produces. */
export interface ContributionCommandResult {
  readonly options: ContributionCommandOptions;
  readonly rows: ContributionRow[];
  /** Plain-text aligned table (mean ± 3 SE of each output per point and mechanism). */
  readonly table: string;
  /** The comparison figure (SVG). */
  readonly svg: string;
}

/**
 * Validate options, run the `contribution.threshold` experiment, and render the table and figure.
 * Pure (no I/O): the CLI decides where to write.
 *
 * Complexity: O(points · replicates · (n log n + m·k)) (see runContributionExperiment).
 * @throws MechlabError naming the offending field.
 * @example
 * const { table } = runContributionCommand({ replicates: 200, grid: { tau: [10, 20] } });
 */
export function runContributionCommand(input: ContributionCommandInput): ContributionCommandResult {
  const options = parseContributionOptions(input);
  const rows = runContributionExperiment({
    seed: options.seed,
    replicates: options.replicates,
    params: options.params,
    grid: options.grid,
  });
  const figureOptions =
    options.x === undefined ? { band: options.band } : { band: options.band, x: options.x };
  return { options, rows, table: contributionTable(rows), svg: contributionFigure(rows, figureOptions) };
}

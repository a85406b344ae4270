/**
 * `mechlab contribution` — threshold data contributions under withdrawal rights (MODELS.md §5): a thin
 * front end of the sweep engine. Its flags build a sweep spec of `contribution.threshold` starting from
 * the preset `contribution-vary-tau`, so without flags its numbers are the preset's, row for row.
 */
import { join } from 'node:path';
import { MechlabError } from '@mechlab/core';
import { contributionPresets } from '@mechlab/contribution';
import { FILES, readAggregates, runSweep, type AggregateRow } from '@mechlab/sweep';
import { numberFlag, optionalString, parseFlags } from '../args';
import { catalogue } from '../catalogue';
import type { Command } from '../command';
import { plotRenderer } from '../figure-renderer';
import { fmt, table, toJson } from '../format';

const PRESET = contributionPresets.find((p) => p.name === 'contribution-vary-tau')!;

const usage = `usage: mechlab contribution [--vary KEY=V1,V2,…] [--set KEY=VALUE]… [--replicates ${PRESET.replicates}] [--seed ${String(PRESET.seed)}]
                           [--workers N] [--out out/contribution] [--json]

Monte Carlo comparison of the posted subsidy, cost reporting + withdrawal (simultaneous) and
cost reporting + withdrawal (small-first sequential): probability of crossing τ, total cost, leakage,
participation, supply, cost given crossing, and wasted provision (wastedSupply, sunkCost: data
committed and contributors' costs sunk on instances that miss τ), per grid point. A front end of
\`mechlab sweep contribution-vary-tau\` (same engine, same numbers): default vary tau = 5,10,…,30 with
${PRESET.replicates} instances per point. Writes the sweep files (rows.csv, aggregates.csv, figure.svg, …) to --out.

Model parameters (--set / --vary): n, tau, costLo, costHi, capLo, capHi, valueHi, shockProb, shockMean,
irreversibility, premium, subsidyTarget, sequentialOrder (small-first | large-first).
See packages/contribution/README.md for the model.
`;

function parseValue(raw: string): number | string {
  const v = Number(raw);
  return raw.trim() !== '' && Number.isFinite(v) ? v : raw;
}

function keyValue(raw: string, flag: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) {
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `--${flag} must look like KEY=VALUE, got ${JSON.stringify(raw)}`,
      `--${flag}`,
    );
  }
  return [raw.slice(0, eq).trim(), raw.slice(eq + 1)];
}

/**
 * The sweep spec `mechlab contribution` runs: the preset, with `--set` values fixed and `--vary`
 * replacing the τ axis (a `--set tau=X` without `--vary` makes τ a one-value axis).
 */
export function contributionSpec(
  sets: readonly [string, number | string][],
  vary: [string, (number | string)[]] | undefined,
  replicates: number,
  seed: number,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of sets) params[k] = v;
  let grid: Record<string, unknown[]>;
  if (vary) {
    if (vary[0] in params) {
      throw new MechlabError('ERR_INVALID_INPUT', `--vary ${vary[0]} is also given with --set`, '--vary');
    }
    grid = { [vary[0]]: vary[1] };
  } else if ('tau' in params) {
    grid = { tau: [params['tau']] };
    delete params['tau'];
  } else {
    grid = { ...PRESET.grid } as Record<string, unknown[]>;
  }
  return { version: 1, name: PRESET.name, experiment: PRESET.experiment, grid, params, replicates, seed };
}

function summaryTable(rows: readonly AggregateRow[], axes: readonly string[]): string {
  const want = ['crossing', 'totalCost', 'leakage', 'participants'];
  const byKey = new Map<string, AggregateRow>();
  for (const r of rows) byKey.set(`${r.point}|${r.algo}|${r.metric}`, r);
  const body: string[][] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const k = `${r.point}|${r.algo}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const cells = want.map((m) => {
      const a = byKey.get(`${r.point}|${r.algo}|${m}`);
      if (!a || a.count === 0) return '—';
      return `${fmt(a.mean, 3)} ± ${fmt((3 * a.std) / Math.sqrt(a.count), 3)}`;
    });
    body.push([String(r.point), ...axes.map((x) => String(r.coords[x])), r.algo, String(r.count), ...cells]);
  }
  return table(['point', ...axes, 'mechanism', 'n', ...want], body);
}

/** `--json` rows: one per point × mechanism, each output's count, mean, std and 3σ band. */
function jsonRows(rows: readonly AggregateRow[], axes: readonly string[]): Record<string, unknown>[] {
  const out = new Map<string, Record<string, unknown> & { metrics: Record<string, unknown> }>();
  for (const r of rows) {
    const k = `${r.point}|${r.algo}`;
    let row = out.get(k);
    if (!row) {
      row = {
        point: r.point,
        ...Object.fromEntries(axes.map((a) => [a, r.coords[a]])),
        mechanism: r.algo,
        metrics: {},
      };
      out.set(k, row);
    }
    row.metrics[r.metric] = { count: r.count, mean: r.mean, std: r.std, lo3: r.lo3, hi3: r.hi3 };
  }
  return [...out.values()];
}

export const contributionCommand: Command = {
  name: 'contribution',
  summary: 'threshold data contributions: posted subsidy vs withdrawal protocols (Monte Carlo + figure)',
  usage,
  async run(argv, io) {
    const args = parseFlags(
      argv,
      {
        vary: { type: 'string' },
        set: { type: 'string', multiple: true },
        replicates: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        out: { type: 'string' },
      },
      'contribution',
    );
    if (args.values['help']) {
      io.stdout(usage);
      return 0;
    }
    const replicates = numberFlag(args, 'replicates', PRESET.replicates, { min: 1, integer: true });
    const seed = numberFlag(args, 'seed', Number(PRESET.seed), { min: 0, integer: true });
    const workersRaw = optionalString(args, 'workers');
    const workers =
      workersRaw === undefined ? undefined : numberFlag(args, 'workers', 0, { min: 0, integer: true });
    const sets: [string, number | string][] = [];
    const rawSets = args.values['set'];
    for (const s of Array.isArray(rawSets) ? rawSets : []) {
      const [k, v] = keyValue(String(s), 'set');
      sets.push([k, parseValue(v)]);
    }
    const varyRaw = optionalString(args, 'vary');
    let vary: [string, (number | string)[]] | undefined;
    if (varyRaw !== undefined) {
      const [k, v] = keyValue(varyRaw, 'vary');
      vary = [k, v.split(',').map(parseValue)];
    }
    const spec = contributionSpec(sets, vary, replicates, seed);
    const out = optionalString(args, 'out') ?? join('out', 'contribution');
    const summary = await runSweep(spec, {
      out,
      experiments: catalogue.experiments,
      workers,
      render: plotRenderer,
    });
    const axes = Object.keys(spec['grid'] as object);
    const aggregates = readAggregates(out);
    if (args.values['json']) {
      const figure = { svg: summary.files['figureSvg'] ?? null, png: summary.files['figurePng'] ?? null };
      io.stdout(toJson({ rows: jsonRows(aggregates, axes), figure, summary }) + '\n');
      return 0;
    }
    io.stdout(summaryTable(aggregates, axes));
    io.stdout(
      `\ncells: mean ± 3 SE; files in ${summary.out} (${FILES.rows}, ${FILES.aggregates}, ${FILES.figureSvg}, …)\n`,
    );
    return 0;
  },
};

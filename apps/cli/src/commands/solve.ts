/** `mechlab solve ccs|mckp` — FORMATS.md "Commands". */
import { MechlabError, parseNashInstance, type BackendName } from '@mechlab/core';
import { parseCcsInstance, parseMckpInstance, solveCcs, solveMckp, type CcsAlgo } from '@mechlab/ccs';
import { solveNash } from '@mechlab/forum';
import { numberFlag, oneOf, optionalString, parseFlags, requireString, type Parsed } from '../args';
import { BUDGET_FLAGS, BUDGET_USAGE, admit, maxInputBytes, readBudget } from '../budget';
import type { Command } from '../command';
import { ccsEstimate, mckpEstimate, nashEstimate } from '../estimates';
import { fmt, toJson } from '../format';
import { readJsonFile, type Io } from '../io';

const ALGOS: readonly CcsAlgo[] = ['exact', 'gcs', 'nsr', 'hop', 'equal'];
const BACKENDS: readonly BackendName[] = ['ts', 'wasm'];

const usage = `usage:
  mechlab solve ccs --algo exact|gcs|nsr|hop|equal --instance FILE [--delta 0.01] [--backend ts|wasm] [--json]
  mechlab solve mckp --instance FILE [--backend ts|wasm] [--json]
  mechlab solve nash --instance FILE [--method heuristics|certified] [--epsilon 0.01] [--backend ts|wasm] [--json]

solve ccs   design a Provisional Allocation p for a Content Creation with Spillovers instance and play
            the greatest equilibrium; prints p, efforts, active players and the social welfare.
solve mckp  exact multiple-choice knapsack (one item per class, total weight ≤ capacity);
            exit 3 with "error: infeasible" when no choice fits.
solve nash  choose k items maximising (Σ uG)·(Σ uF) (the Nash product of MODELS.md §2). heuristics: top-k
            by each utility, λ-sweep, greedy marginal, swap local search; certified (default): the
            cardinality DP over a discretised uF axis, within (1 − ε) of the optimum, with an upper bound.

--backend   ts (the TypeScript reference) or wasm (the WebAssembly kernels, built by npm run build);
            default: the fastest available for the algorithm (wasm, except exact → ts). Both give the
            same answer; the output (and every --json result, field "backend") names the backend that ran.

Memory and time are estimated before the solve (the δ-grid DPs of nsr/hop from n and 1/δ, mckp
from classes × capacity, nash from n and k) and a run over the limits is refused naming the field:
${BUDGET_USAGE}
`;

function solveCcsCmd(argv: string[], io: Io): number {
  const args = parseFlags(
    argv,
    {
      algo: { type: 'string' },
      instance: { type: 'string' },
      delta: { type: 'string' },
      backend: { type: 'string' },
      ...BUDGET_FLAGS,
    },
    'solve ccs',
  );
  const budget = readBudget(args);
  const algo = oneOf(requireString(args, 'algo'), 'algo', ALGOS);
  const path = requireString(args, 'instance');
  const delta = numberFlag(args, 'delta', 0.01, { min: 0, exclusiveMin: true, max: 1 });
  const backend = backendFlag(args);
  const inst = parseCcsInstance(readJsonFile(io, path, '--instance', maxInputBytes(budget)));
  const est = ccsEstimate(algo, inst, delta);
  const done = est === undefined ? () => undefined : admit(io, budget, est);
  const sol = solveCcs(inst, backend === undefined ? { algo, delta } : { algo, delta, backend });
  done();
  if (args.values['json']) {
    io.stdout(
      toJson({
        algo: sol.algo,
        p: sol.p,
        efforts: sol.efforts,
        active: sol.active,
        welfare: sol.welfare,
        backend: sol.backend,
      }) + '\n',
    );
    return 0;
  }
  let sumP = 0;
  for (const v of sol.p) sumP += v;
  io.stdout(
    [
      `algo      ${sol.algo} (backend ${sol.backend})`,
      `welfare   ${fmt(sol.welfare, 6)}`,
      `active    ${sol.active.length} of ${inst.n}${sol.active.length > 0 && sol.active.length <= 40 ? ': ' + Array.from(sol.active).join(' ') : ''}`,
      `Σp        ${fmt(sumP, 6)}`,
      inst.n <= 40
        ? `p         ${Array.from(sol.p, (v) => fmt(v, 4)).join(' ')}`
        : `p         (${inst.n} portions; use --json)`,
      '',
    ].join('\n'),
  );
  return 0;
}

function solveMckpCmd(argv: string[], io: Io): number {
  const args = parseFlags(
    argv,
    { instance: { type: 'string' }, backend: { type: 'string' }, ...BUDGET_FLAGS },
    'solve mckp',
  );
  const budget = readBudget(args);
  const path = requireString(args, 'instance');
  const backend = backendFlag(args);
  const inst = parseMckpInstance(readJsonFile(io, path, '--instance', maxInputBytes(budget)));
  const done = admit(io, budget, mckpEstimate(inst));
  const r = solveMckp(inst, backend === undefined ? {} : { backend });
  done();
  if (r.status === 'infeasible') throw new MechlabError('ERR_INFEASIBLE', 'infeasible');
  if (args.values['json']) {
    // FORMATS.md's fields, plus the backend that ran (issue 12: every --json result names it).
    io.stdout(toJson({ value: r.value, choice: r.choice, weight: r.weight, backend: r.backend }) + '\n');
    return 0;
  }
  io.stdout(
    [
      `value     ${fmt(r.value, 6)} (backend ${r.backend})`,
      `weight    ${r.weight} of ${inst.capacity}`,
      `choice    ${Array.from(r.choice).join(' ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** `--backend ts|wasm`, or undefined for the fastest available (core's backend registry decides). */
function backendFlag(args: Parsed): BackendName | undefined {
  const raw = optionalString(args, 'backend');
  return raw === undefined ? undefined : oneOf(raw, 'backend', BACKENDS);
}

function solveNashCmd(argv: string[], io: Io): number {
  const args = parseFlags(
    argv,
    {
      instance: { type: 'string' },
      method: { type: 'string' },
      epsilon: { type: 'string' },
      backend: { type: 'string' },
      ...BUDGET_FLAGS,
    },
    'solve nash',
  );
  const budget = readBudget(args);
  const backend = backendFlag(args);
  const inst = parseNashInstance(
    readJsonFile(io, requireString(args, 'instance'), '--instance', maxInputBytes(budget)),
  );
  const method = oneOf(optionalString(args, 'method') ?? 'certified', 'method', [
    'certified',
    'heuristics',
  ] as const);
  const epsilon = numberFlag(args, 'epsilon', 0.01, { min: 0, exclusiveMin: true, max: 0.5 });
  const done = admit(io, budget, nashEstimate(inst.uG.length, inst.k));
  const r = solveNash(inst, backend === undefined ? { method, epsilon } : { method, epsilon, backend });
  done();
  if (args.values['json']) {
    io.stdout(
      toJson({
        selected: r.selected,
        uG: r.uG,
        uF: r.uF,
        product: r.product,
        upperBound: r.upperBound,
        method: r.method,
        gap: r.gap,
        backend: r.backend,
      }) + '\n',
    );
    return 0;
  }
  io.stdout(
    [
      `selected    ${Array.from(r.selected).join(' ')}`,
      `ΣuG · ΣuF   ${fmt(r.uG, 6)} · ${fmt(r.uF, 6)} = ${fmt(r.product, 6)}`,
      `upper bound ${fmt(r.upperBound, 6)} (gap ${fmt(100 * r.gap, 4)}%, method ${r.method}, backend ${r.backend})`,
      '',
    ].join('\n'),
  );
  return 0;
}

export const solveCommand: Command = {
  name: 'solve',
  summary: 'solve ccs | mckp | nash — Provisional Allocation design, multiple-choice knapsack, Nash product',
  usage,
  run(argv, io) {
    const [what, ...rest] = argv;
    if (what === 'ccs') return solveCcsCmd(rest, io);
    if (what === 'mckp') return solveMckpCmd(rest, io);
    if (what === 'nash') return solveNashCmd(rest, io);
    throw new MechlabError(
      'ERR_INVALID_INPUT',
      `solve: expected a problem kind (ccs, mckp or nash), got ${what === undefined ? 'nothing' : JSON.stringify(what)}`,
      'solve',
    );
  },
};

/** `mechlab equilibrium` — pure-NE search on an effort grid (MODELS.md §1.2 stability check). */
import { z } from 'zod';
import { MechlabError, addMechlabIssue, parseWithSchema } from '@mechlab/core';
import { findPureNash, parseCcsInstance, type Mechanism } from '@mechlab/ccs';
import { numberFlag, numberList, oneOf, optionalString, parseFlags, requireString } from '../args';
import { BUDGET_FLAGS, BUDGET_USAGE, admit, maxInputBytes, readBudget } from '../budget';
import type { Command } from '../command';
import { equilibriumEstimate } from '../estimates';
import { fmt, toJson } from '../format';
import { readJsonFile } from '../io';

const usage = `usage: mechlab equilibrium --instance FILE --mechanism wta|tullock|pra [--p P0,P1,…] [--grid 21]
                          [--max-memory SIZE] [--yes] [--json]

Searches the effort grid {0, 1/(G−1), …, 1}^n for a pure Nash equilibrium of the CCS game under the
mechanism. Prints the equilibrium profile, or — when none exists — a best-response cycle as the witness.
--p gives the Provisional Allocation portions (required for pra; p ≥ 0, Σp ≤ 1).
The search's estimated time and memory (grid size × players) are checked before it starts.

${BUDGET_USAGE}
`;

/** `--p`: one portion ≥ 0 per player, summing to at most 1 (PRA, MODELS.md §1). */
const portions = (n: number) =>
  z.array(z.number().min(0)).superRefine((p, ctx) => {
    if (p.length !== n) {
      return addMechlabIssue(
        ctx,
        [],
        'ERR_OUT_OF_RANGE',
        `must have ${n} portions (one per player), got ${p.length}`,
      );
    }
    const s = p.reduce((a, b) => a + b, 0);
    if (s > 1 + 1e-9) addMechlabIssue(ctx, [], 'ERR_OUT_OF_RANGE', `must sum to ≤ 1, got ${s}`);
  });

export const equilibriumCommand: Command = {
  name: 'equilibrium',
  summary: 'pure Nash equilibrium search on an effort grid (WTA, Tullock, Provisional Allocation)',
  usage,
  run(argv, io) {
    const args = parseFlags(
      argv,
      {
        instance: { type: 'string' },
        mechanism: { type: 'string' },
        p: { type: 'string' },
        grid: { type: 'string' },
        ...BUDGET_FLAGS,
      },
      'equilibrium',
    );
    const budget = readBudget(args);
    const inst = parseCcsInstance(
      readJsonFile(io, requireString(args, 'instance'), '--instance', maxInputBytes(budget)),
    );
    const kind = oneOf(requireString(args, 'mechanism'), 'mechanism', ['wta', 'tullock', 'pra'] as const);
    const grid = numberFlag(args, 'grid', 21, { min: 2, max: 100_001, integer: true });
    const pRaw = optionalString(args, 'p');
    let mech: Mechanism;
    if (kind === 'pra') {
      if (pRaw === undefined) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          '--p is required with --mechanism pra (e.g. --p 0.5,0.5)',
          '--p',
        );
      }
      const p = parseWithSchema(portions(inst.n), numberList(pRaw, 'p'), '--p');
      mech = { kind: 'pra', p: Float64Array.from(p) };
    } else {
      if (pRaw !== undefined) {
        throw new MechlabError(
          'ERR_INVALID_INPUT',
          `--p applies only to --mechanism pra, not ${kind}`,
          '--p',
        );
      }
      mech = { kind };
    }
    const done = admit(io, budget, equilibriumEstimate(inst.n, inst.graph.edgeCount, grid));
    // Each batch of grid scans redraws the live progress line (TTY only, see admit).
    const r = findPureNash(inst, mech, { grid, onProgress: done.tick });
    done();
    if (args.values['json']) {
      io.stdout(
        toJson(
          r.exists
            ? { exists: true, profile: r.profile, method: r.method }
            : { exists: false, cycle: r.cycle, method: r.method },
        ) + '\n',
      );
      return 0;
    }
    const prof = (x: ArrayLike<number>) => '(' + Array.from(x, (v) => fmt(v, 3)).join(', ') + ')';
    if (r.exists) {
      io.stdout(`pure Nash equilibrium on the ${grid}-point grid: ${prof(r.profile)}\n`);
    } else {
      io.stdout(
        (r.method === 'exhaustive'
          ? `no pure Nash equilibrium on the ${grid}-point grid (mechanism ${kind}, all ${grid}^${inst.n} profiles checked); best-response cycle:\n`
          : `best-response dynamics cycle on the ${grid}-point grid (mechanism ${kind}; grid too large to check exhaustively, so this is evidence, not proof):\n`) +
          r.cycle.map((x) => `  ${prof(x)}`).join('\n') +
          '\n',
      );
    }
    return 0;
  },
};

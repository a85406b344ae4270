/**
 * θ-sensitivity of the forum game (seed 000 Table 1; issue 16): EURR_F and EURR_G against F's threshold
 * θ for each strategy of Player G, mean with 3σ bands over seeds, from `mechlab forum` runs (the CLI's
 * own command, run in-process with `--json`), plus the paper's Table 1 beside ours with the θ band in
 * which each of the paper's orderings holds.
 *
 *   npx tsx tools/forum-theta.ts [--seeds 5] [--rounds 26] [--utility-g forum-lm] [--out out/forum-theta] [--readme]
 *
 * Writes `<out>/theta.json`, and `packages/forum/docs/theta.{svg,png}`; with --readme it also replaces
 * the block between the `forum-theta` markers in packages/forum/README.md. One shared --out is passed to
 * every run, so each seed's LM scores are computed once and read from the score cache for every other θ.
 * Deterministic; ~4 min on a shared 2-core machine with the defaults.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChart } from '@mechlab/plot';
import { svgToPng } from '@mechlab/plot/png';
import { nodeIo, type Io } from '../apps/cli/src/io';
import { runMain } from '../apps/cli/src/main';
import { writeReadmeBlock } from './readme-block';

const THETAS = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8];
const STRATEGIES = ['G-Greedy', 'G-Utility', 'Random'] as const;
type Strategy = (typeof STRATEGIES)[number];

/** Table 1 of seed 000 (l. 82–91): [EURR_F, EURR_G] per LLM. */
const PAPER_TABLE: Record<Strategy, [number, number][]> = {
  'G-Greedy': [
    [0.55, 0.505],
    [0.4, 0.377],
    [0.475, 0.416],
  ],
  'G-Utility': [
    [0.664, 0.521],
    [0.555, 0.463],
    [0.6, 0.5],
  ],
  Random: [
    [0.489, 0.123],
    [0.45, 0.113],
    [0.482, 0.115],
  ],
};

type Runs = Record<Strategy, { f: number[]; g: number[] }>[]; // [θ index] → strategy → per seed

interface Ordering {
  label: string;
  /** How many of the paper's 3 LLMs show it. */
  paper: string;
  holds: (row: Record<Strategy, { f: number; g: number }>) => boolean;
}

const ORDERINGS: Ordering[] = [
  {
    label: 'EURR_F: G-Utility > G-Greedy',
    paper: '3/3',
    holds: (r) => r['G-Utility'].f > r['G-Greedy'].f,
  },
  { label: 'EURR_F: G-Utility > Random', paper: '3/3', holds: (r) => r['G-Utility'].f > r.Random.f },
  { label: 'EURR_F: G-Greedy > Random', paper: '1/3 (Pythia)', holds: (r) => r['G-Greedy'].f > r.Random.f },
  {
    label: 'EURR_G: G-Utility > G-Greedy',
    paper: '3/3',
    holds: (r) => r['G-Utility'].g > r['G-Greedy'].g,
  },
  { label: 'EURR_G: G-Utility > Random', paper: '3/3', holds: (r) => r['G-Utility'].g > r.Random.g },
  { label: 'EURR_G: G-Greedy > Random', paper: '3/3', holds: (r) => r['G-Greedy'].g > r.Random.g },
  {
    label: 'EURR_G: G-Greedy ≥ 3 × Random',
    paper: '3/3 (3.3–4.1×)',
    holds: (r) => r['G-Greedy'].g >= 3 * r.Random.g,
  },
  {
    label: 'EURR_F: all in [0.40, 0.66]',
    paper: '3/3',
    holds: (r) => STRATEGIES.every((s) => r[s].f >= 0.4 && r[s].f <= 0.664),
  },
];

function meanSd(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) * (b - m), 0) / (xs.length - 1) : 0;
  return [m, Math.sqrt(v)];
}

/** θ values (ascending) where `ok` holds, as "a–b" intervals over the grid. */
function bands(ok: boolean[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ok.length; i++) {
    if (!ok[i]) continue;
    let j = i;
    while (j + 1 < ok.length && ok[j + 1]) j++;
    parts.push(i === j ? `${THETAS[i]}` : `${THETAS[i]}–${THETAS[j]}`);
    i = j;
  }
  return parts.length === 0 ? 'nowhere on the grid' : parts.join(', ');
}

async function forumRun(argv: string[]): Promise<{ strategy: Strategy; eurrF: number; eurrG: number }[]> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    ...nodeIo,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  };
  const code = await runMain(['forum', ...argv, '--json'], io);
  if (code !== 0) throw new Error(`mechlab forum ${argv.join(' ')} exited ${code}: ${stderr}`);
  return (JSON.parse(stdout) as { table: { strategy: Strategy; eurrF: number; eurrG: number }[] }).table;
}

async function main(argv: readonly string[]): Promise<void> {
  const flag = (name: string, def: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
  };
  const seeds = Number(flag('seeds', '5'));
  const rounds = flag('rounds', '26');
  const utilityG = flag('utility-g', 'forum-lm');
  const out = flag('out', join('out', 'forum-theta'));
  const root = join(__dirname, '..');
  const t0 = Date.now();
  const runs: Runs = THETAS.map(() => ({
    'G-Greedy': { f: [], g: [] },
    'G-Utility': { f: [], g: [] },
    Random: { f: [], g: [] },
  }));
  for (let s = 0; s < seeds; s++) {
    for (let k = 0; k < THETAS.length; k++) {
      const table = await forumRun([
        '--seed',
        String(s),
        '--theta',
        String(THETAS[k]),
        '--rounds',
        rounds,
        '--utility-g',
        utilityG,
        '--out',
        out,
      ]);
      for (const row of table) {
        runs[k]![row.strategy].f.push(row.eurrF);
        runs[k]![row.strategy].g.push(row.eurrG);
      }
      process.stderr.write(`seed ${s} θ ${THETAS[k]} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'theta.json'),
    JSON.stringify({ thetas: THETAS, seeds, rounds, utilityG, runs }) + '\n',
  );

  // Figure: two panels, mean ± 3σ over seeds per strategy.
  const panel = (key: 'f' | 'g', label: string): Parameters<typeof lineChart>[0]['panels'][number] => ({
    xLabel: 'θ (F publishes Top_K{q ∈ A_t : C(q) ≥ θ})',
    yLabel: label,
    series: STRATEGIES.map((name) => {
      const ms = THETAS.map((_, k) => meanSd(runs[k]![name][key]));
      return {
        name,
        x: THETAS,
        y: ms.map(([m]) => m),
        lo: ms.map(([m, sd]) => Math.max(0, m - 3 * sd)),
        hi: ms.map(([m, sd]) => Math.min(1, m + 3 * sd)),
      };
    }),
  });
  const svg = lineChart({
    title: `EURR vs θ (${utilityG} U_G, ${seeds} seeds, ${rounds} rounds; bands: mean ± 3σ)`,
    panels: [panel('f', 'EURR_F'), panel('g', 'EURR_G')],
  });
  const docs = join(root, 'packages', 'forum', 'docs');
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, 'theta.svg'), svg);
  writeFileSync(join(docs, 'theta.png'), svgToPng(svg));

  // Table 1 beside ours (θ = 0.6, the default), and the θ band of each ordering.
  const at = THETAS.indexOf(0.6);
  const range = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  const pm = (xs: number[]): string => {
    const [m, sd] = meanSd(xs);
    return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
  };
  const lines = [
    `| strategy | paper EURR_F (3 LLMs) | paper EURR_G (3 LLMs) | ours EURR_F (θ = 0.6) | ours EURR_G (θ = 0.6) |`,
    '|---|---:|---:|---:|---:|',
    ...STRATEGIES.map(
      (s) =>
        `| ${s} | ${range(PAPER_TABLE[s].map((x) => x[0]))} | ${range(PAPER_TABLE[s].map((x) => x[1]))} | ` +
        `${pm(runs[at]![s].f)} | ${pm(runs[at]![s].g)} |`,
    ),
    '',
    `| ordering in the paper | LLMs showing it | θ where it holds on every seed | θ where it holds on the mean |`,
    '|---|---|---|---|',
  ];
  for (const o of ORDERINGS) {
    const every = THETAS.map((_, k) =>
      Array.from({ length: seeds }, (_, s) =>
        o.holds(
          Object.fromEntries(
            STRATEGIES.map((n) => [n, { f: runs[k]![n].f[s]!, g: runs[k]![n].g[s]! }]),
          ) as Record<Strategy, { f: number; g: number }>,
        ),
      ).every(Boolean),
    );
    const onMean = THETAS.map((_, k) =>
      o.holds(
        Object.fromEntries(
          STRATEGIES.map((n) => [n, { f: meanSd(runs[k]![n].f)[0], g: meanSd(runs[k]![n].g)[0] }]),
        ) as Record<Strategy, { f: number; g: number }>,
      ),
    );
    lines.push(`| ${o.label} | ${o.paper} | ${bands(every)} | ${bands(onMean)} |`);
  }
  lines.push(
    '',
    `θ grid ${THETAS.join(', ')}; seeds 0–${seeds - 1}; ${rounds} rounds of the default synthetic corpus; U_G ${utilityG}. ` +
      `Generated by \`npx tsx tools/forum-theta.ts --readme\` in ${((Date.now() - t0) / 60000).toFixed(1)} min.`,
  );
  const table = lines.join('\n');
  process.stdout.write(table + '\n');
  if (argv.includes('--readme')) {
    writeReadmeBlock(join(root, 'packages', 'forum', 'README.md'), 'forum-theta', table);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(2);
});

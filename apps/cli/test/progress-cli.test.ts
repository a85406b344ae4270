/**
 * Live progress end to end (issue 18): `forum --rounds`, `shapley|mpw --method sample` and
 * `equilibrium --grid` on a fake terminal draw `done/total` lines on stderr that climb to the total,
 * and on a pipe print nothing extra. A run is only "long" (≥ 2 s estimated) and a redraw only due
 * (250 ms) by the clock, so the clock is made slow: every `performance.now()` call advances it 1 s.
 * That inflates the per-operation calibration (measured on first use, in this file) ~1000-fold, so
 * small, fast runs are estimated long (`--yes` admits them) and every progress callback redraws.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOnDisk } from './helpers';

jest.setTimeout(60_000);

let dir = '';
let clock = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mechlab-progress-'));
  writeFileSync(
    join(dir, 'market.json'),
    JSON.stringify({
      scores: [
        [0.9, 0.1],
        [0.4, 0.8],
        [0.4, 0.5],
      ],
      weights: [0.5, 0.5],
    }),
  );
  writeFileSync(join(dir, 'cff.json'), JSON.stringify({ n: 3, values: [0, 1, 2, 4, 1, 3, 4, 6] }));
  writeFileSync(join(dir, 'ccs.json'), JSON.stringify({ theta: [0.5, 0.4], cost: [0.2, 0.3] }));
  jest.spyOn(performance, 'now').mockImplementation(() => (clock += 1000));
});
afterAll(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], isTty: boolean): Promise<{ code: number; out: string; err: string }> {
  const r = await cliOnDisk(argv, isTty);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** Erase-line, the redraw's escape after `\r` (spelled out: the control character is not allowed in a regex). */
const EL = String.fromCharCode(27) + '[K';

/** The `done/total` pairs of the redrawn lines, in order. */
function progress(err: string): [number, number][] {
  return [
    ...err
      .replaceAll(EL, '\u241b')
      .matchAll(/\r\u241b[^\r\n]*?: (\d+)\/(\d+) \(\d+%\), [^,]+ elapsed, ETA [^\r\n]+/g),
  ].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('live progress line on a terminal', () => {
  const cases: [string, string[], number][] = [
    [
      'shapley --method sample',
      ['shapley', '--game', 'market.json', '--method', 'sample', '--samples', '10000'],
      10000,
    ],
    ['mpw --method sample', ['mpw', '--game', 'cff.json', '--method', 'sample', '--samples', '10000'], 10000],
    [
      'equilibrium --grid',
      ['equilibrium', '--instance', 'ccs.json', '--mechanism', 'tullock', '--grid', '400'],
      2 * 400 ** 2,
    ],
    ['forum --rounds', ['forum', '--utility-g', 'unigram', '--rounds', '2', '--M', '20', '--K', '10'], 2],
  ];
  for (const [name, argv, total] of cases) {
    it(`${name}: redraws climb to done = total, stdout unchanged; nothing extra on a pipe`, async () => {
      const withDir = argv.map((a) => (a.endsWith('.json') ? join(dir, a) : a));
      const tail = ['--yes', ...(argv[0] === 'forum' ? ['--out', join(dir, `f-${name.length}`)] : [])];
      const tty = await run([...withDir, ...tail, '--json'], true);
      expect(tty.code).toBe(0);
      const lines = progress(tty.err);
      expect(lines.length).toBeGreaterThan(1);
      for (const [d, t] of lines) {
        expect(t).toBe(total);
        expect(d).toBeLessThanOrEqual(total);
      }
      for (let i = 1; i < lines.length; i++) expect(lines[i]![0]).toBeGreaterThanOrEqual(lines[i - 1]![0]);
      expect(lines.at(-1)![0]).toBe(total);
      expect(tty.err.replaceAll(EL, '\u241b')).toMatch(/\r\u241b[^\r\n]*: done in [^\n]+\n$/);
      const piped = await run(
        [
          ...withDir,
          '--yes',
          '--json',
          ...(argv[0] === 'forum' ? ['--out', join(dir, `p-${name.length}`)] : []),
        ],
        false,
      );
      expect(piped.code).toBe(0);
      expect(piped.err).not.toContain('\r');
      expect(piped.out).toBe(
        tty.out.replace(/"(svg|png)":"[^"]*"/g, (m) => m.replace(`f-${name.length}`, `p-${name.length}`)),
      );
    });
  }
});

/**
 * Fuzzing the CLI's error contract over every JSON input format (FORMATS.md: ccs-instance,
 * mckp-instance, nash-instance, the three coalition-game forms, SPEC.json, `score`'s JSONL, forum's
 * Posts.xml) and the numeric flags, in-process:
 * thousands of generated bad inputs, each must exit 2 with nothing on stdout and exactly one `error:`
 * line that names the input (flag or document root), never an internal error or a stack trace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { cli, type CliResult } from './helpers';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

interface Format {
  name: string;
  base: Json;
  /** Commands reading the document (the file is `f.json`). */
  commands: string[][];
  /** Keys whose removal makes the document invalid, as paths. */
  required: Path[];
  /** Documents that break a range or consistency rule. */
  outOfRange: Json[];
  /** What the error line must name. */
  names: RegExp;
}

const ccs: Json = {
  theta: [0.5, 0.4, 0.3],
  cost: [0.2, 0.3, 0.5],
  edges: [
    [0, 1, 0.25],
    [0, 2, 0.1],
  ],
  costFamily: 'linear',
};
const FORMATS: Format[] = [
  {
    name: 'ccs-instance',
    base: ccs,
    commands: [
      ['solve', 'ccs', '--algo', 'gcs', '--instance', 'f.json'],
      ['solve', 'ccs', '--algo', 'nsr', '--delta', '0.1', '--instance', 'f.json'],
      ['equilibrium', '--instance', 'f.json', '--mechanism', 'wta', '--grid', '3'],
    ],
    required: [['theta'], ['cost']],
    outOfRange: [
      { theta: [-0.5, 0.4], cost: [0.2, 0.3] },
      { theta: [0.5, 0.4], cost: [0.2, -1] },
      { theta: [0.5, 0.4], cost: [0.2] },
      { theta: [], cost: [] },
      { theta: [0.5, 0.4], cost: [0.2, 0.3], edges: [[0, 0, 0.1]] },
      { theta: [0.5, 0.4], cost: [0.2, 0.3], edges: [[0, 7, 0.1]] },
      { theta: [0.5, 0.4], cost: [0.2, 0.3], edges: [[0, 1, -0.1]] },
      {
        theta: [0.5, 0.4],
        cost: [0.2, 0.3],
        edges: [
          [0, 1, 0.1],
          [0, 1, 0.2],
        ],
      },
      { theta: [0.5, 0.4], cost: [0.2, 0.3], edges: [[0, 1.5, 0.1]] },
      { theta: [0.5, 0.4], cost: [0.2, 0.3], costFamily: 'cubic' },
      { theta: [0.5, 0.4], cost: [0.2, 0.3], version: 2 },
    ],
    names: /(--instance|instance)/,
  },
  {
    name: 'mckp-instance',
    base: {
      capacity: 10,
      classes: [
        [
          { weight: 0, profit: 0 },
          { weight: 3, profit: 1.5 },
        ],
        [{ weight: 2, profit: 0.7 }],
      ],
    },
    commands: [['solve', 'mckp', '--instance', 'f.json']],
    required: [['capacity'], ['classes'], ['classes', 0, 1, 'weight'], ['classes', 1, 0, 'profit']],
    outOfRange: [
      { capacity: -1, classes: [[{ weight: 0, profit: 0 }]] },
      { capacity: 1.5, classes: [[{ weight: 0, profit: 0 }]] },
      { capacity: 3, classes: [[{ weight: -2, profit: 0 }]] },
      { capacity: 3, classes: [[{ weight: 0.5, profit: 0 }]] },
      { capacity: 3, classes: [[]] },
    ],
    names: /(--instance|instance)/,
  },
  {
    name: 'nash-instance',
    base: { uG: [3.1, 2.0, 5.2, 1.1, 4.4], uF: [0.1, 0.9, 0.05, 0.6, 0.3], k: 2 },
    commands: [
      ['solve', 'nash', '--instance', 'f.json'],
      ['solve', 'nash', '--instance', 'f.json', '--method', 'heuristics'],
    ],
    required: [['uG'], ['uF'], ['k']],
    outOfRange: [
      { uG: [1, 2], uF: [1], k: 1 },
      { uG: [1, 2], uF: [1, 2], k: 3 },
      { uG: [1, 2], uF: [1, 2], k: 0 },
      { uG: [1, 2], uF: [1, 2], k: 1.5 },
      { uG: [-1, 2], uF: [1, 2], k: 1 },
      { uG: [], uF: [], k: 1 },
    ],
    names: /(--instance|instance)/,
  },
  {
    name: 'coalition-game (characteristic)',
    base: { n: 3, values: [0, 1, 1, 3, 2, 4, 4, 7] },
    commands: [
      ['shapley', '--game', 'f.json'],
      ['mpw', '--game', 'f.json'],
      ['shapley', '--game', 'f.json', '--method', 'sample', '--samples', '50'],
    ],
    required: [['values']],
    outOfRange: [
      { n: 3, values: [0, 1, 1, 3] },
      { n: 0, values: [0] },
      { n: 21, values: [0] },
      { n: 2.5, values: [0, 1, 1, 3] },
    ],
    names: /(--game|game)/,
  },
  {
    name: 'coalition-game (max-pooling)',
    base: {
      scores: [
        [0.9, 0.2, 0.5],
        [0.5, 0.8, 0.4],
        [0.4, 0.4, 0.7],
      ],
      weights: [0.5, 0.3, 0.2],
    },
    commands: [
      ['shapley', '--game', 'f.json'],
      ['mpw', '--game', 'f.json'],
    ],
    required: [['weights']],
    outOfRange: [
      { scores: [[0.9, 0.2], [0.5]], weights: [0.5, 0.5] },
      { scores: [[0.9, 0.2]], weights: [0.5, 0.2, 0.3] },
      { scores: [[0.9, 0.2]], weights: [2, -1] },
      { scores: [], weights: [] },
    ],
    names: /(--game|game)/,
  },
  {
    name: 'coalition-game (partition)',
    base: {
      n: 3,
      partitions: [
        { blocks: [[0, 1, 2]], values: [9] },
        { blocks: [[0], [1, 2]], values: [1, 5] },
        { blocks: [[1], [0, 2]], values: [1, 5] },
        { blocks: [[2], [0, 1]], values: [2, 4] },
        { blocks: [[0], [1], [2]], values: [1.5, 1.5, 2] },
      ],
    },
    commands: [
      ['mpw', '--game', 'f.json'],
      ['mpw', '--game', 'f.json', '--method', 'sample', '--samples', '50'],
      ['shapley', '--game', 'f.json'],
    ],
    required: [['n'], ['partitions', 1, 'blocks'], ['partitions', 2, 'values']],
    outOfRange: [
      { n: 2, partitions: [{ blocks: [[0, 1]], values: [1] }] },
      {
        n: 2,
        partitions: [
          { blocks: [[0, 1]], values: [1] },
          { blocks: [[0], [1]], values: [1] },
        ],
      },
      {
        n: 2,
        partitions: [
          { blocks: [[0, 1]], values: [1] },
          { blocks: [[0], [0]], values: [1, 1] },
        ],
      },
      {
        n: 2,
        partitions: [
          { blocks: [[0, 1]], values: [1] },
          { blocks: [[0, 1]], values: [1] },
        ],
      },
      {
        n: 2,
        partitions: [
          { blocks: [[0, 1]], values: [1] },
          { blocks: [[0], [2]], values: [1, 1] },
        ],
      },
    ],
    names: /(--game|game)/,
  },
];

/** Every path in a document (not the root). */
function paths(doc: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

function get(doc: Json, path: Path): Json {
  return path.reduce<Json>((d, k) => (d as Record<string | number, Json>)[k]!, doc);
}

function set(doc: Json, path: Path, value: Json | undefined): Json {
  const copy = structuredClone(doc);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  if (value === undefined) delete parent[key];
  else parent[key] = value;
  return copy;
}

/** A JSON value whose type differs from `v`'s (so it can never satisfy that node's schema). */
function otherType(v: Json): fc.Arbitrary<Json> {
  const str = fc.string({ maxLength: 8 });
  const obj = fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }) as fc.Arbitrary<Json>;
  const arr = fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), {
    maxLength: 3,
  }) as fc.Arbitrary<Json>;
  const nul = fc.constant(null);
  const bool = fc.boolean();
  const num = fc.double({ noNaN: true, noDefaultInfinity: true });
  if (typeof v === 'number') return fc.oneof(str, nul, bool, obj, arr);
  if (typeof v === 'string') return fc.oneof(num, nul, bool, obj, arr);
  if (Array.isArray(v)) return fc.oneof(num, str, nul, bool, obj);
  return fc.oneof(num, str, nul, bool, arr);
}

/** The bad-input contract, plus: the one line names the input. */
function expectContract(r: CliResult, names: RegExp, what: string): void {
  const lines = r.stderr.trimEnd().split('\n');
  const ok =
    r.code === 2 &&
    r.stdout === '' &&
    lines.length === 1 &&
    /^error: /.test(lines[0]!) &&
    !/^error: internal/.test(lines[0]!) &&
    names.test(lines[0]!) &&
    !/\n\s+at /.test(r.stderr);
  if (!ok)
    throw new Error(
      `contract broken for ${what}: code ${r.code}, stdout ${JSON.stringify(r.stdout.slice(0, 200))}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`,
    );
}

const RUNS = 150;
let executed = 0;

describe('fuzz: every input format, thousands of bad documents, one error line each', () => {
  afterAll(() => {
    // A few thousand CLI runs in all (the property counts below × commands per format).
    expect(executed).toBeGreaterThan(2000);
  });

  for (const f of FORMATS) {
    describe(f.name, () => {
      const all = paths(f.base);

      it('a node replaced by a value of another type', async () => {
        const arb = fc
          .integer({ min: 0, max: all.length - 1 })
          .chain((i) => otherType(get(f.base, all[i]!)).map((v) => ({ path: all[i]!, v })));
        await fc.assert(
          fc.asyncProperty(
            arb,
            fc.integer({ min: 0, max: f.commands.length - 1 }),
            async ({ path, v }, c) => {
              const doc = set(f.base, path, v);
              const r = await cli(f.commands[c]!, { 'f.json': JSON.stringify(doc) });
              executed++;
              expectContract(
                r,
                f.names,
                `${f.commands[c]!.join(' ')} with ${path.join('.')} = ${JSON.stringify(v)}`,
              );
            },
          ),
          { numRuns: RUNS, seed: 18 },
        );
      });

      it('a required key removed, a range rule broken, or the whole document of the wrong type', async () => {
        const docs: Json[] = [...f.required.map((p) => set(f.base, p, undefined)), ...f.outOfRange];
        const wrongRoot = fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.string({ maxLength: 10 }),
          fc.constant(null),
          fc.boolean(),
          fc.array(fc.integer(), { maxLength: 4 }),
        ) as fc.Arbitrary<Json>;
        const arb = fc.oneof(fc.constantFrom(...docs), wrongRoot);
        await fc.assert(
          fc.asyncProperty(arb, fc.integer({ min: 0, max: f.commands.length - 1 }), async (doc, c) => {
            const r = await cli(f.commands[c]!, { 'f.json': JSON.stringify(doc) });
            executed++;
            expectContract(r, f.names, `${f.commands[c]!.join(' ')} with ${JSON.stringify(doc)}`);
          }),
          { numRuns: RUNS, seed: 18 },
        );
      });

      it('text that is not JSON (truncated, garbage, control characters)', async () => {
        const text = JSON.stringify(f.base);
        const arb = fc.oneof(
          fc.integer({ min: 0, max: text.length - 1 }).map((n) => text.slice(0, n)),
          fc.string({ minLength: 1, maxLength: 40 }).map((s) => `${s}{`),
          fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `\u0000${s}`),
          fc.constant(text + ','),
          fc.constant(text.replace(':', '=')),
        );
        await fc.assert(
          fc.asyncProperty(arb, fc.integer({ min: 0, max: f.commands.length - 1 }), async (t, c) => {
            const r = await cli(f.commands[c]!, { 'f.json': t });
            executed++;
            expectContract(r, f.names, `${f.commands[c]!.join(' ')} with text ${JSON.stringify(t)}`);
          }),
          { numRuns: RUNS, seed: 18 },
        );
      });
    });
  }

  it('SPEC.json (mechlab sweep reads it from disk): a node of another type, or not JSON at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mechlab-fuzz-spec-'));
    try {
      const base: Json = {
        experiment: 'ccs.random-graph',
        grid: { n: [4, 5] },
        params: { rho: 0.3 },
        replicates: 2,
        seed: 1,
      };
      // `seed` may be a number or a string, so replacing it is not always an error: left out.
      const all = paths(base).filter((p) => p[0] !== 'seed');
      const mutated = fc
        .integer({ min: 0, max: all.length - 1 })
        .chain((i) => otherType(get(base, all[i]!)).map((v) => JSON.stringify(set(base, all[i]!, v))));
      const text = JSON.stringify(base);
      const garbage = fc.oneof(
        fc.integer({ min: 0, max: text.length - 1 }).map((n) => text.slice(0, n)),
        fc.string({ maxLength: 20 }).map((t) => `{${t}`),
      );
      let k = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutated, garbage), async (t) => {
          const f = join(dir, `s${k++}.json`);
          writeFileSync(f, t);
          const r = await cli(['sweep', f, '--workers', '0', '--out', join(dir, `o${k}`)]);
          executed++;
          expectContract(r, /(spec|--out)/, `sweep with ${JSON.stringify(t)}`);
        }),
        { numRuns: RUNS, seed: 18 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('numeric and size flags: any string is a number in range, or one error line naming the flag', async () => {
    const cases: [string[], string][] = [
      [['solve', 'ccs', '--algo', 'nsr', '--instance', 'f.json', '--delta'], '--delta'],
      [['equilibrium', '--instance', 'f.json', '--mechanism', 'tullock', '--grid'], '--grid'],
      [['shapley', '--game', 'g.json', '--method', 'sample', '--samples'], '--samples'],
      [['solve', 'ccs', '--algo', 'gcs', '--instance', 'f.json', '--max-memory'], '--max-memory'],
      [['coalition', '--agents', '2', '--gammas'], '--gammas'],
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.double().map(String),
      fc.integer({ min: -1e12, max: 1e12 }).map(String),
      fc.constantFrom(
        '1e-300',
        '1e308',
        '-0',
        'Infinity',
        'NaN',
        '0x10',
        '1,2',
        ' 3',
        '1e9',
        '0',
        '0.3',
        '0.07',
        '-1',
      ),
    );
    const files = { 'f.json': ccs, 'g.json': { n: 3, values: [0, 1, 1, 3, 2, 4, 4, 7] } };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: cases.length - 1 }), value, async (c, v) => {
        const [argv, flag] = cases[c]!;
        const r = await cli([...argv, v, '--json'], files);
        executed++;
        if (r.code === 0) {
          expect(r.stderr).toBe('');
          expect(r.stdout).not.toContain('null');
        } else {
          expectContract(r, new RegExp(flag.replace(/-/g, '\\-')), `${argv.join(' ')} ${JSON.stringify(v)}`);
        }
      }),
      { numRuns: 4 * RUNS, seed: 18 },
    );
  });
});

/** A JSONL line for `mechlab score` that the input contract rejects (FORMATS.md: `{"id", "text"}` rows). */
function badScoreLine(): fc.Arbitrary<string> {
  const good = JSON.stringify({ id: 'q', text: 'How deep should I plant garlic cloves?' });
  const notText = otherType('s').filter((v) => typeof v !== 'string');
  const badId = fc
    .oneof(fc.boolean(), fc.constant(null), otherType([]), otherType(0))
    .filter((v) => typeof v !== 'string' && typeof v !== 'number');
  return fc.oneof(
    // malformed JSON: truncated, garbage, a trailing comma, control characters
    fc.integer({ min: 1, max: good.length - 1 }).map((n) => good.slice(0, n)),
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `{${s}`),
    fc.constant(good + ','),
    fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `\u0000${s}`),
    // valid JSON that is not an object
    fc
      .oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 8 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
      )
      .map((v) => JSON.stringify(v)),
    // wrong field types, a missing or empty text
    notText.map((text) => JSON.stringify({ id: 'q', text })),
    badId.map((id) => JSON.stringify({ id, text: 'fine text' })),
    fc.constant(JSON.stringify({ id: 'q' })),
    fc.constant(JSON.stringify({ id: 'q', text: '' })),
    // oversized fields: a huge text of the wrong type, a megabyte line cut short
    fc
      .integer({ min: 1e5, max: 3e5 })
      .map((n) => JSON.stringify({ id: 'q', text: new Array<number>(n >> 3).fill(7) })),
    fc
      .integer({ min: 5e5, max: 1e6 })
      .map((n) => JSON.stringify({ id: 'q', text: 'x'.repeat(n) }).slice(0, -2)),
  );
}

describe('fuzz: mechlab score JSONL and forum Posts.xml inputs', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mechlab-fuzz-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('score --input: one bad line among good ones is rejected naming its line, before any model loads', async () => {
    const good = fc
      .record({
        id: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
        text: fc.string({ minLength: 1, maxLength: 30 }),
      })
      .map((r) => JSON.stringify(r));
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(good, { maxLength: 4 }),
        badScoreLine(),
        fc.array(fc.oneof(good, badScoreLine()), { maxLength: 3 }),
        fc.constantFrom('\n', '\r\n'),
        async (before, bad, after, eol) => {
          // Blank lines are skipped, so the bad line's number is its position in the file.
          const lineNo = before.length + 1;
          const f = join(dir, `in${k++}.jsonl`);
          writeFileSync(f, [...before, bad, ...after].join(eol) + eol);
          // A model directory that does not exist: reaching the model would fail naming `model`, not the line.
          const r = await cli(['score', '--input', f, '--model', join(dir, 'no-model'), '--no-cache']);
          executed++;
          expectContract(
            r,
            new RegExp(`input line ${lineNo}\\b`),
            `score with line ${lineNo} ${JSON.stringify(bad.slice(0, 80))}`,
          );
        },
      ),
      { numRuns: RUNS, seed: 18 },
    );
  }, 120_000);

  it('forum --data: Posts.xml with no usable question (bad XML, bad attributes, oversized values) is one error line', async () => {
    const attrs: Record<string, string> = {
      Id: '101',
      PostTypeId: '1',
      CreationDate: '2024-07-01T08:09:25.666',
      ViewCount: '16',
      Title: 'How deep should I plant garlic cloves?',
      Body: '&lt;p&gt;Clay soil &amp;amp; hard-neck garlic.&lt;/p&gt;',
      Tags: '|garlic|',
    };
    const row = (a: Record<string, string>): string =>
      `  <row ${Object.entries(a)
        .map(([k, v]) => `${k}="${v}"`)
        .join(' ')} />`;
    const key = fc.constantFrom('Id', 'PostTypeId', 'CreationDate', 'ViewCount', 'Title', 'Body');
    const badValue: Record<string, fc.Arbitrary<string>> = {
      Id: fc.oneof(fc.constant('-1'), fc.constant('1.5'), fc.constant(''), fc.constant('9'.repeat(5000))),
      PostTypeId: fc.oneof(fc.constant('x'), fc.constant(''), fc.constant('-1')),
      CreationDate: fc.oneof(
        fc.constant('2024-02-30T00:00:00'),
        fc.constant('yesterday'),
        fc.constant(''),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('T', ' ')),
      ),
      ViewCount: fc.oneof(fc.constant('-5'), fc.constant('1e3'), fc.constant('7'.repeat(100000))),
      Title: fc.oneof(fc.constant('&bogus;'), fc.constant('&#xFFFFFFFF;'), fc.constant('&amp')),
      Body: fc.oneof(fc.constant('&nope;'), fc.constant(`&${'x'.repeat(200000)};`)),
    };
    const badRow = fc.oneof(
      // one attribute given a bad value
      key.chain((k) => badValue[k]!.map((v) => row({ ...attrs, [k]: v }))),
      // one required attribute missing
      key.map((k) => {
        const a = { ...attrs };
        delete a[k];
        return row(a);
      }),
      // bad XML: an unclosed quote, no attribute value, a stray '<', cut short, garbage
      fc.integer({ min: 3, max: row(attrs).length - 3 }).map((n) => row(attrs).slice(0, n)),
      fc.constant(row(attrs).replace('Id="101"', 'Id="101')),
      fc.constant(row(attrs).replace('Id="101"', 'Id')),
      fc.constant(row(attrs).replace('ViewCount="16"', 'ViewCount="1<6"')),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `<row ${s}`),
      // not a question at all
      fc.constant(row({ ...attrs, PostTypeId: '2' })),
    );
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(badRow, { minLength: 0, maxLength: 4 }),
        fc.boolean(),
        fc.string({ unit: 'binary', maxLength: 20 }),
        async (rows, header, junk) => {
          const sub = join(dir, `c${k++}`);
          mkdirSync(sub);
          const text = header
            ? `<?xml version="1.0" encoding="utf-8"?>\n<posts>\n${rows.join('\n')}\n</posts>\n`
            : `${junk}\n${rows.join('\n')}`;
          writeFileSync(join(sub, 'Posts.xml'), text);
          const r = await cli([
            'forum',
            '--data',
            sub,
            '--utility-g',
            'unigram',
            '--rounds',
            '1',
            '--out',
            join(sub, 'out'),
          ]);
          executed++;
          expectContract(
            r,
            new RegExp(
              `^error: data: no valid question in ${sub.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/Posts\\.xml: \\d+ rows`,
            ),
            `forum with ${JSON.stringify(text.slice(0, 300))}`,
          );
        },
      ),
      { numRuns: RUNS, seed: 18 },
    );
  }, 120_000);
});

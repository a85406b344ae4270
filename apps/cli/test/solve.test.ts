import { cli, expectBadInput } from './helpers';

const inst = {
  theta: [0.5, 0.4, 0.3],
  cost: [0.2, 0.3, 0.5],
  edges: [
    [0, 1, 0.25],
    [0, 2, 0.1],
  ],
  costFamily: 'linear',
};

describe('mechlab solve ccs', () => {
  it.each(['exact', 'gcs', 'nsr', 'hop', 'equal'])('--algo %s prints the FORMATS.md JSON', async (algo) => {
    const r = await cli(['solve', 'ccs', '--algo', algo, '--instance', 'i.json', '--json'], {
      'i.json': inst,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      algo: string;
      p: number[];
      efforts: number[];
      active: number[];
      welfare: number;
    };
    expect(out.algo).toBe(algo);
    expect(out.p).toHaveLength(3);
    expect(out.efforts).toHaveLength(3);
    expect(out.p.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // welfare is Σ q_i at the reported efforts (graph quality)
    const x = out.efforts;
    const w = [
      [0, 1, 0.25],
      [0, 2, 0.1],
    ];
    let sw = 0;
    for (let i = 0; i < 3; i++) {
      let d = inst.theta[i]!;
      for (const [f, t, wt] of w) if (t === i) d += wt! * x[f!]!;
      sw += x[i]! * d;
    }
    expect(out.welfare).toBeCloseTo(sw, 12);
    expect(out.active).toEqual(x.flatMap((v, i) => (v > 0 ? [i] : [])));
  });

  it('exact beats or ties every heuristic on the example', async () => {
    const welfare = async (algo: string) =>
      (
        JSON.parse(
          (await cli(['solve', 'ccs', '--algo', algo, '--instance', 'i.json', '--json'], { 'i.json': inst }))
            .stdout,
        ) as { welfare: number }
      ).welfare;
    const best = await welfare('exact');
    for (const a of ['gcs', 'nsr', 'hop', 'equal'])
      expect(await welfare(a)).toBeLessThanOrEqual(best + 1e-12);
  });

  it('human output names the algorithm and welfare', async () => {
    const r = await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], { 'i.json': inst });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/algo\s+gcs/);
    expect(r.stdout).toMatch(/welfare\s+\d/);
  });

  it('bad input → exit 2 naming the field', async () => {
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], {
        'i.json': { ...inst, cost: [0.2, -1, 0.5] },
      }),
      'instance.cost[1]',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], {
        'i.json': { ...inst, cost: [0.2] },
      }),
      'instance.cost',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], {
        'i.json': {
          ...inst,
          edges: [
            [0, 1, 0.1],
            [0, 1, 0.2],
          ],
        },
      }),
      'instance.edges[1]',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], {
        'i.json': { ...inst, edges: [[0, 0, 1]] },
      }),
      'instance.edges[0]',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], {
        'i.json': { ...inst, edges: [[0, 7, 1]] },
      }),
      'instance.edges[0][1]',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json'], {
        'i.json': { ...inst, thetas: [1] },
      }),
      /unknown key "thetas"/,
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'magic', '--instance', 'i.json'], { 'i.json': inst }),
      '--algo',
    );
    expectBadInput(await cli(['solve', 'ccs', '--algo', 'gcs'], {}), '--instance');
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', '/nonexistent.json']),
      'no such file',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'b.json'], { 'b.json': '{"theta": [1,' }),
      'not valid JSON',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'nsr', '--delta', '0.3', '--instance', 'i.json'], {
        'i.json': inst,
      }),
      'delta',
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', 'i.json', '--bogus'], { 'i.json': inst }),
      /bogus/,
    );
    expectBadInput(
      await cli(['solve', 'ccs', '--algo', 'gcs', '--backend', 'cuda', '--instance', 'i.json'], {
        'i.json': inst,
      }),
      '--backend',
    );
  });

  it('hop on a non-forest is bad input naming the node', async () => {
    const cyc = {
      theta: [1, 1],
      cost: [0.1, 0.1],
      edges: [
        [0, 1, 0.5],
        [1, 0, 0.5],
      ],
    };
    const r = await cli(['solve', 'ccs', '--algo', 'hop', '--instance', 'c.json'], { 'c.json': cyc });
    expectBadInput(r, /forest/);
  });
});

describe('mechlab solve mckp', () => {
  it('solves the FORMATS.md example', async () => {
    const doc = {
      capacity: 10,
      classes: [
        [
          { weight: 0, profit: 0 },
          { weight: 3, profit: 1.5 },
        ],
        [{ weight: 2, profit: 0.7 }],
      ],
    };
    const r = await cli(['solve', 'mckp', '--instance', 'm.json', '--json'], { 'm.json': doc });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ value: 2.2, choice: [1, 0], weight: 5, backend: 'wasm' });
  });

  it('infeasible → exit 3 with error: infeasible', async () => {
    const doc = { capacity: 1, classes: [[{ weight: 2, profit: 1 }]] };
    const r = await cli(['solve', 'mckp', '--instance', 'm.json', '--json'], { 'm.json': doc });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: infeasible/);
  });

  it('fractional weight → exit 2 naming the field', async () => {
    const doc = { capacity: 4, classes: [[{ weight: 1.5, profit: 1 }]] };
    expectBadInput(
      await cli(['solve', 'mckp', '--instance', 'm.json'], { 'm.json': doc }),
      'instance.classes[0][0].weight',
    );
  });
});

describe('mechlab (top level)', () => {
  it('unknown command → exit 2', async () => {
    expectBadInput(await cli(['frobnicate']), /unknown command/);
  });
  it('help lists the commands', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/solve/);
    expect(r.stdout).toMatch(/equilibrium/);
  });
});

describe('mechlab solve --backend', () => {
  const tree = {
    theta: [0.5, 0.4, 0.3, 0.2],
    cost: [0.2, 0.1, 0.15, 0.05],
    edges: [
      [0, 1, 0.25],
      [0, 2, 0.1],
      [1, 3, 0.3],
    ],
  };
  const run = async (algo: string, backend: string | null, file = tree) => {
    const argv = ['solve', 'ccs', '--algo', algo, '--instance', 'i.json', '--delta', '0.05', '--json'];
    const r = await cli(backend === null ? argv : [...argv, '--backend', backend], { 'i.json': file });
    return { ...r, out: r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : null };
  };

  it.each(['gcs', 'nsr', 'hop', 'equal'])(
    '--algo %s: --backend wasm prints the same JSON as ts',
    async (algo) => {
      const a = await run(algo, 'wasm');
      const b = await run(algo, 'ts');
      expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
      expect(a.out!['backend']).toBe('wasm');
      expect(b.out!['backend']).toBe('ts');
      expect({ ...a.out, backend: null }).toEqual({ ...b.out, backend: null });
      expect(a.stdout.replace('"wasm"', '"ts"')).toBe(b.stdout);
    },
  );

  it('defaults to the fastest backend: wasm where it exists, ts for exact', async () => {
    expect((await run('gcs', null)).out!['backend']).toBe('wasm');
    expect((await run('exact', null)).out!['backend']).toBe('ts');
  });

  it('--backend wasm with exact is bad input naming the backend', async () => {
    expectBadInput(
      await run('exact', 'wasm'),
      'backend "wasm" does not implement the exact solver; backends that do: ts',
    );
  });

  it('solve mckp: same JSON on both backends, human output names the backend', async () => {
    const doc = {
      capacity: 10,
      classes: [
        [
          { weight: 0, profit: 0 },
          { weight: 3, profit: 1.5 },
        ],
        [{ weight: 2, profit: 0.7 }],
      ],
    };
    const a = await cli(['solve', 'mckp', '--instance', 'm.json', '--json', '--backend', 'wasm'], {
      'm.json': doc,
    });
    const b = await cli(['solve', 'mckp', '--instance', 'm.json', '--json', '--backend', 'ts'], {
      'm.json': doc,
    });
    expect(a.code).toBe(0);
    expect(a.stdout.replace('"wasm"', '"ts"')).toBe(b.stdout);
    expect(JSON.parse(a.stdout)).toMatchObject({ backend: 'wasm' });
    expect(JSON.parse(b.stdout)).toMatchObject({ backend: 'ts' });
    const h = await cli(['solve', 'mckp', '--instance', 'm.json'], { 'm.json': doc });
    expect(h.stdout).toMatch(/value\s+2\.2\d* \(backend wasm\)/);
    expectBadInput(
      await cli(['solve', 'mckp', '--instance', 'm.json', '--backend', 'gpu'], { 'm.json': doc }),
      '--backend must be one of "ts", "wasm", got "gpu"',
    );
  });
});

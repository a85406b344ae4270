import {
  createMarket,
  demandShareGame,
  marketGame,
  shapleyExact,
  shapleyMaxPooling,
} from '@mechlab/coalition';
import { apiCost, domainRevenue, gpuCost } from '../src/revenue';
import { coalitionValue, marketMaxPoolingGame, marketOracle } from '../src/market-games';
import { maxPoolingTable } from '../src/games';
import type { MarketSpec, Paradigm } from '../src/market';
import { Rng, expectClose } from './helpers';
import { expectMechlabError } from '@mechlab/core/testing';
import type { MechlabErrorCode } from '@mechlab/core';

function randomSpec(rng: Rng, n: number, m: number, cost: 'none' | 'gpu' | 'api'): MarketSpec {
  const scores = Array.from({ length: n }, () =>
    Array.from({ length: m }, () => Math.round(rng.next() * 10) / 10),
  );
  const w = Array.from({ length: m }, () => 1 / m);
  const spec: MarketSpec = { scores, weights: w, alpha: 0.4 + 0.5 * rng.next(), demand: 2, unitValue: 1.5 };
  if (cost === 'gpu') {
    spec.cost = {
      kind: 'gpu',
      gpuHours: Array.from({ length: n }, () => Array.from({ length: m }, () => rng.next() * 0.5)),
      pricePerGpuHour: 1.2,
    };
  } else if (cost === 'api') {
    spec.cost = {
      kind: 'api',
      inputTokens: Array.from({ length: m }, () => 500 + rng.int(1000)),
      outputTokens: Array.from({ length: n }, () => Array.from({ length: m }, () => 100 + rng.int(400))),
      inputPrice: Array.from({ length: n }, () => 1e-4 * rng.next()),
      outputPrice: 4e-4,
    };
  }
  return spec;
}

describe('revenue functions (Eq. 1, 4, 5)', () => {
  it('compute the paper formulas', () => {
    expect(domainRevenue(2, 0.5, 0.8, 0.2)).toBeCloseTo(0.6, 15);
    expect(domainRevenue(1, 1, 0.8, 100)).toBeCloseTo(0.8, 15);
    expect(gpuCost(0.2, 2.5)).toBeCloseTo(0.5, 15);
    expect(apiCost(1000, 500, 1e-6, 4e-6)).toBeCloseTo(0.003, 15);
  });
});

describe('createMarket', () => {
  it('normalises by the best agent per domain (Eq. 2) and computes net revenue (Eq. 1, 3)', () => {
    const mk = createMarket({
      scores: [
        [0.9, 0.2],
        [0.3, 0.8],
      ],
      weights: [0.5, 0.5],
      alpha: 0.5,
      unitValue: [2, 1],
      cost: { kind: 'gpu', gpuHours: 0.1, pricePerGpuHour: 3 },
    });
    expectClose(mk.perf, [1, 0.25, 1 / 3, 1], 1e-15);
    expectClose(mk.cost, [0.3, 0.3, 0.3, 0.3], 1e-15);
    // net = α m p − (1−α) c
    expectClose(mk.net, [0.5 * 2 * 1 - 0.15, 0.5 * 0.25 - 0.15, 0.5 * 2 * (1 / 3) - 0.15, 0.5 - 0.15], 1e-15);
  });

  it('prices API calls per Eq. 5 (input tokens per domain, output tokens per agent and domain)', () => {
    const mk = createMarket({
      scores: [[1, 1]],
      weights: [0.5, 0.5],
      cost: {
        kind: 'api',
        inputTokens: [100, 200],
        outputTokens: [[10, 20]],
        inputPrice: [0.01],
        outputPrice: 0.1,
      },
    });
    expectClose(mk.cost, [100 * 0.01 + 10 * 0.1, 200 * 0.01 + 20 * 0.1], 1e-12);
  });

  it('names the offending field', () => {
    const ok: MarketSpec = { scores: [[0.5], [0.5]], weights: [1] };
    expectMechlabError(
      () => createMarket({ ...ok, scores: [[0.5], [1.5]] }),
      'ERR_OUT_OF_RANGE',
      'market.scores[1][0] must be ≤ 1, got 1.5',
    );
    expectMechlabError(
      () => createMarket({ ...ok, weights: [0.9] }),
      'ERR_OUT_OF_RANGE',
      'market.weights must sum to 1, got 0.9',
    );
    expectMechlabError(
      () => createMarket({ ...ok, scores: [[0.5], [0.5, 0.2]] }),
      'ERR_OUT_OF_RANGE',
      'market.scores[1].length must be 1 (as scores[0]), got 2',
    );
    expectMechlabError(
      () => createMarket({ ...ok, alpha: 2 }),
      'ERR_OUT_OF_RANGE',
      'market.alpha must be ≤ 1, got 2',
    );
    expectMechlabError(
      () => createMarket({ ...ok, cost: { kind: 'gpu', gpuHours: -1, pricePerGpuHour: 1 } }),
      'ERR_OUT_OF_RANGE',
      'market.cost.gpuHours must be ≥ 0, got -1',
    );
    expectMechlabError(
      () => createMarket({ ...ok, scores: 'x' as unknown as number[][] }),
      'ERR_INVALID_TYPE',
      'market.scores must be an array, got "x"',
    );
  });

  it("names every field of the spec, the cost model and the paradigm (one schema, core's converter)", () => {
    const ok: MarketSpec = {
      scores: [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
      weights: [0.5, 0.5],
    };
    const api = { kind: 'api', inputTokens: 1, outputTokens: 1, inputPrice: 1, outputPrice: 1 } as const;
    const cases: [Partial<MarketSpec> | unknown, MechlabErrorCode, string][] = [
      [{ scores: [] }, 'ERR_OUT_OF_RANGE', 'market.scores must have ≥ 1 items, got an array of length 0'],
      [
        { scores: [[], []] },
        'ERR_OUT_OF_RANGE',
        'market.scores[0] must have ≥ 1 items, got an array of length 0',
      ],
      [{ weights: [0.5, 0.5, 0] }, 'ERR_OUT_OF_RANGE', 'market.weights.length must be 2, got 3'],
      [{ weights: [1.5, -0.5] }, 'ERR_OUT_OF_RANGE', 'market.weights[1] must be ≥ 0, got -0.5'],
      [{ demand: [1] }, 'ERR_OUT_OF_RANGE', 'market.demand.length must be 2, got 1'],
      [{ unitValue: 'x' }, 'ERR_INVALID_TYPE', 'market.unitValue must be a number or an array, got "x"'],
      [{ alpha: Infinity }, 'ERR_OUT_OF_RANGE', 'market.alpha must be a finite number, got Infinity'],
      [
        { cost: { kind: 'tpu' } },
        'ERR_INVALID_INPUT',
        'market.cost.kind must be one of "none", "gpu", "api", got "tpu"',
      ],
      [
        { cost: { kind: 'gpu', gpuHours: [[1, 1], [1]], pricePerGpuHour: 1 } },
        'ERR_OUT_OF_RANGE',
        'market.cost.gpuHours[1].length must be 2, got 1',
      ],
      [
        { cost: { kind: 'gpu', gpuHours: 1 } },
        'ERR_INVALID_TYPE',
        'market.cost.pricePerGpuHour must be a number, got nothing',
      ],
      [
        { cost: { ...api, outputTokens: [[1, 1]] } },
        'ERR_OUT_OF_RANGE',
        'market.cost.outputTokens.length must be 2, got 1',
      ],
      [
        { cost: { ...api, inputTokens: [1, 2, 3] } },
        'ERR_OUT_OF_RANGE',
        'market.cost.inputTokens.length must be 2, got 3',
      ],
      [
        { cost: { ...api, outputPrice: [1] } },
        'ERR_OUT_OF_RANGE',
        'market.cost.outputPrice.length must be 2, got 1',
      ],
      [
        { cost: { ...api, inputPrice: -1 } },
        'ERR_OUT_OF_RANGE',
        'market.cost.inputPrice must be ≥ 0, got -1',
      ],
    ];
    for (const [over, code, message] of cases) {
      expectMechlabError(() => createMarket({ ...ok, ...(over as object) }), { code, message });
    }
    expectMechlabError(() => createMarket(null as unknown as MarketSpec), {
      code: 'ERR_INVALID_TYPE',
      field: 'market',
    });
    const mk = createMarket(ok);
    const paradigms: [unknown, MechlabErrorCode, string][] = [
      [{ kind: 'maxPooling', overhead: -1 }, 'ERR_OUT_OF_RANGE', 'paradigm.overhead must be ≥ 0, got -1'],
      [
        { kind: 'averaging', sharpness: NaN },
        'ERR_INVALID_TYPE',
        'paradigm.sharpness must be a number, got NaN',
      ],
      [
        { kind: 'merging', effect: 'additive' },
        'ERR_INVALID_INPUT',
        'paradigm.effect must be one of "superlinear", "interference", "independent", got "additive"',
      ],
      [
        { kind: 'merging', effect: 'superlinear', epsilon: 2 },
        'ERR_OUT_OF_RANGE',
        'paradigm.epsilon must be ≤ 1, got 2',
      ],
    ];
    for (const [p, code, message] of paradigms) {
      expectMechlabError(() => coalitionValue(mk, p as Paradigm, [0]), { code, message });
    }
    expectMechlabError(() => coalitionValue(mk, { kind: 'maxPooling' }, [0.5]), {
      code: 'ERR_INVALID_TYPE',
      field: 'members[0]',
    });
  });
});

describe('coalition values by paradigm (Eq. 9–10, Table 1)', () => {
  const paradigms: Paradigm[] = [
    { kind: 'maxPooling' },
    { kind: 'maxPooling', overhead: 0.05 },
    { kind: 'averaging' },
    { kind: 'averaging', sharpness: 3, overhead: 0.01 },
    { kind: 'merging', effect: 'superlinear', epsilon: 0.1, mergeGpuHours: 0.02 },
    { kind: 'merging', effect: 'interference' },
    { kind: 'merging', effect: 'independent' },
  ];

  it('max pooling with no cost and α = 1 is Eq. 10 on normalised scores', () => {
    const mk = createMarket({
      scores: [
        [0.8, 0.1, 0.5],
        [0.4, 0.9, 0.5],
        [0.2, 0.3, 1],
      ],
      weights: [0.5, 0.3, 0.2],
      alpha: 1,
    });
    expect(coalitionValue(mk, { kind: 'maxPooling' }, [0, 1])).toBeCloseTo(0.5 * 1 + 0.3 * 1 + 0.2 * 0.5, 14);
    expect(coalitionValue(mk, { kind: 'maxPooling' }, [2])).toBeCloseTo(0.5 * 0.25 + 0.3 * (1 / 3) + 0.2, 14);
  });

  it('averaging routes by the plain average (Table 1, P_routing = Σ w_k p_k)', () => {
    const mk = createMarket({ scores: [[1], [0.5]], weights: [1], alpha: 1 });
    expect(coalitionValue(mk, { kind: 'averaging' }, [0, 1])).toBeCloseTo(0.75, 15);
    // Sharpness 1: weights ∝ p, perf = (1 + 0.25) / 1.5.
    expect(coalitionValue(mk, { kind: 'averaging', sharpness: 1 }, [0, 1])).toBeCloseTo(1.25 / 1.5, 15);
  });

  it('merging realises the three Table 1 cases', () => {
    const mk = createMarket({ scores: [[0.6], [0.5], [0.4]], weights: [1], alpha: 1 });
    const f = 0.6;
    const merged = (effect: 'superlinear' | 'interference' | 'independent'): number =>
      coalitionValue(mk, { kind: 'merging', effect, epsilon: 0.1 }, [0, 1, 2]);
    expect(merged('superlinear')).toBeCloseTo((0.6 + 0.2) / f, 14); // > max + ε
    expect(merged('interference')).toBeCloseTo((0.4 - 0.2) / f, 14); // < min
    expect(merged('independent')).toBeCloseTo(1, 14); // ≈ max
    // A singleton "merge" is the model itself.
    expect(coalitionValue(mk, { kind: 'merging', effect: 'superlinear' }, [1])).toBeCloseTo(0.5 / f, 14);
  });

  it('merging is white-box only', () => {
    const mk = createMarket(randomSpec(Rng.seed(1), 2, 2, 'api'));
    expectMechlabError(
      () => coalitionValue(mk, { kind: 'merging', effect: 'independent' }, [0]),
      'ERR_INVALID_INPUT',
      "paradigm.kind 'merging' needs white-box models (Table 1): the market cost model must be 'gpu' or 'none', got 'api'",
    );
  });

  it('a coalition never serves a domain at a loss: values are ≥ 0', () => {
    const mk = createMarket({
      scores: [[0.1], [0.2]],
      weights: [1],
      cost: { kind: 'gpu', gpuHours: 1, pricePerGpuHour: 5 },
    });
    for (const p of paradigms) expect(coalitionValue(mk, p, [0, 1])).toBe(0);
  });

  it('the table, the incremental oracle and coalitionValue agree', () => {
    const rng = Rng.seed('agree');
    for (const cost of ['none', 'gpu', 'api'] as const) {
      const mk = createMarket(randomSpec(rng, 5, 3, cost));
      for (const p of paradigms) {
        if (cost === 'api' && p.kind === 'merging') continue;
        const table = marketGame(mk, p).values;
        const oracle = marketOracle(mk, p);
        for (let trial = 0; trial < 5; trial++) {
          const perm = rng.permutation(5);
          expect(oracle.reset()).toBe(0);
          let mask = 0;
          const members: number[] = [];
          for (const i of perm) {
            mask |= 1 << i;
            members.push(i);
            const v = oracle.add(i);
            expect(v).toBeCloseTo(table[mask]!, 12);
            expect(coalitionValue(mk, p, members)).toBeCloseTo(v, 12);
          }
        }
      }
    }
  });

  it('max pooling with costs is a maximum game: closed form = enumeration', () => {
    const rng = Rng.seed('maxgame');
    for (const cost of ['none', 'gpu', 'api'] as const) {
      const mk = createMarket(randomSpec(rng, 7, 4, cost));
      const mg = marketMaxPoolingGame(mk);
      expectClose(maxPoolingTable(mg).values, marketGame(mk, { kind: 'maxPooling' }).values, 1e-12);
      expectClose(shapleyMaxPooling(mg), shapleyExact(marketGame(mk, { kind: 'maxPooling' })), 1e-12);
    }
  });

  it('rejects unknown paradigms and bad members', () => {
    const mk = createMarket({ scores: [[0.5]], weights: [1] });
    expectMechlabError(
      () => coalitionValue(mk, { kind: 'pooling' } as unknown as Paradigm, [0]),
      'ERR_INVALID_INPUT',
      'paradigm.kind must be one of "maxPooling", "averaging", "merging", got "pooling"',
    );
    expectMechlabError(
      () => coalitionValue(mk, { kind: 'maxPooling' }, [1]),
      'ERR_OUT_OF_RANGE',
      'members[0] must be ≤ 0, got 1',
    );
  });
});

describe('demandShareGame (default externality)', () => {
  const mk = createMarket({ scores: [[1], [0.5]], weights: [1], alpha: 1 });
  const values = (gamma: number, labels: number[], blocks: number): number[] => {
    const out = new Float64Array(blocks);
    demandShareGame(mk, { kind: 'maxPooling' }, { gamma }).evaluate(Int32Array.from(labels), blocks, out);
    return Array.from(out);
  };

  it('splits demand by perf^γ among serving coalitions', () => {
    expectClose(values(1, [0, 1], 2), [2 / 3, (1 / 3) * 0.5], 1e-15);
    expectClose(values(0, [0, 1], 2), [0.5, 0.25], 1e-15);
    const wta = values(60, [0, 1], 2);
    expect(wta[0]).toBeCloseTo(1, 12);
    expect(wta[1]).toBeCloseTo(0, 12);
    expect(values(5000, [0, 1], 2)).toEqual([1, 0]); // no underflow to NaN
  });

  it('gives the grand coalition the whole market: v(N, {N}) = v(N)', () => {
    const rng = Rng.seed('grand');
    const spec = randomSpec(rng, 5, 3, 'gpu');
    const m2 = createMarket(spec);
    for (const p of [{ kind: 'maxPooling' }, { kind: 'merging', effect: 'superlinear' }] as Paradigm[]) {
      const out = new Float64Array(1);
      demandShareGame(m2, p, { gamma: 2 }).evaluate(new Int32Array(5), 1, out);
      expect(out[0]).toBeCloseTo(marketGame(m2, p).values[31]!, 12);
    }
  });

  it('has externalities: rivals pooling (no performance gain) leaves more demand to an outsider', () => {
    const m3 = createMarket({ scores: [[0.9], [0.6], [0.7]], weights: [1], alpha: 1 });
    const g = demandShareGame(m3, { kind: 'maxPooling' }, { gamma: 1 });
    const out = new Float64Array(3);
    g.evaluate(Int32Array.of(0, 1, 2), 3, out);
    const alone = out[0]!;
    g.evaluate(Int32Array.of(0, 1, 1), 2, out);
    expect(out[0]!).toBeGreaterThan(alone);
  });

  it('validates γ', () => {
    expectMechlabError(
      () => demandShareGame(mk, { kind: 'maxPooling' }, { gamma: -1 }),
      'ERR_OUT_OF_RANGE',
      'options.gamma must be ≥ 0, got -1',
    );
  });
});

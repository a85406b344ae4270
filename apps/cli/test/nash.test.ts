import { Rng } from '@mechlab/core';
import { cli, expectBadInput } from './helpers';

function bruteForce(uG: number[], uF: number[], k: number): number {
  let best = 0;
  const n = uG.length;
  const rec = (start: number, left: number, g: number, f: number) => {
    if (left === 0) {
      best = Math.max(best, g * f);
      return;
    }
    for (let i = start; i <= n - left; i++) rec(i + 1, left - 1, g + uG[i]!, f + uF[i]!);
  };
  rec(0, k, 0, 0);
  return best;
}

describe('mechlab solve nash', () => {
  it('certified is within (1 − ε) of brute force and its upper bound is valid, on 40 random pools', async () => {
    const rng = Rng.seed('cli-nash');
    for (let t = 0; t < 40; t++) {
      const n = 4 + rng.int(8);
      const k = 1 + rng.int(n);
      const uG = Array.from({ length: n }, () => rng.uniform(0, 10));
      const uF = Array.from({ length: n }, () => rng.uniform(0, 1));
      const r = await cli(['solve', 'nash', '--instance', 'n.json', '--json'], { 'n.json': { uG, uF, k } });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { selected: number[]; product: number; upperBound: number };
      const opt = bruteForce(uG, uF, k);
      expect(out.selected).toHaveLength(k);
      expect(out.product).toBeGreaterThanOrEqual((1 - 0.01) * opt - 1e-12);
      expect(out.product).toBeLessThanOrEqual(opt + 1e-9);
      expect(out.upperBound).toBeGreaterThanOrEqual(opt - 1e-9);
    }
  });

  it('--backend ts|wasm: identical answers, the --json result names the backend; unknown → exit 2', async () => {
    const rng = Rng.seed('cli-nash-backend');
    for (let t = 0; t < 8; t++) {
      const n = 4 + rng.int(30);
      const doc = {
        uG: Array.from({ length: n }, () => rng.uniform(0, 10)),
        uF: Array.from({ length: n }, () => rng.uniform(0, 1)),
        k: 1 + rng.int(n),
      };
      const run = (backend: string[]) =>
        cli(['solve', 'nash', '--instance', 'n.json', '--json', ...backend], { 'n.json': doc });
      const [a, b, d] = [await run(['--backend', 'wasm']), await run(['--backend', 'ts']), await run([])];
      expect([a.code, b.code, d.code]).toEqual([0, 0, 0]);
      expect(JSON.parse(a.stdout)).toMatchObject({ backend: 'wasm' });
      expect(JSON.parse(b.stdout)).toMatchObject({ backend: 'ts' });
      expect(JSON.parse(d.stdout)).toMatchObject({ backend: 'wasm' }); // the fastest registered
      expect(a.stdout.replace('"wasm"', '"ts"')).toBe(b.stdout);
    }
    expectBadInput(
      await cli(['solve', 'nash', '--instance', 'n.json', '--backend', 'gpu'], {
        'n.json': { uG: [1, 2], uF: [1, 2], k: 1 },
      }),
      '--backend must be one of "ts", "wasm", got "gpu"',
    );
  });

  it('k larger than the pool is bad input naming k', async () => {
    expectBadInput(
      await cli(['solve', 'nash', '--instance', 'n.json'], { 'n.json': { uG: [1], uF: [1], k: 2 } }),
      'instance.k',
    );
    expectBadInput(
      await cli(['solve', 'nash', '--instance', 'n.json'], { 'n.json': { uG: [1, 2], uF: [1], k: 1 } }),
      'instance.uF',
    );
  });
});

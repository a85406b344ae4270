/**
 * forum's Nash benchmark on each backend of the `nash` kernel family: identical answers and tables,
 * and the backend that ran is reported (issue 12).
 */
import { MechlabError, Rng } from '@mechlab/core';
import { formatEurrTable, runForum, solveNash } from '@mechlab/forum';
import { registerWasmBackend } from '@mechlab/kernels';

registerWasmBackend();

describe('forum on each backend', () => {
  it('solveNash: ts and wasm give identical solutions on 60 seeded pools (both methods)', () => {
    const rng = Rng.seed('forum/backend-nash');
    for (let rep = 0; rep < 60; rep++) {
      const r = rng.split(rep);
      const n = 2 + r.int(80);
      const ties = r.next() < 0.3;
      const uG = Array.from({ length: n }, () => (ties ? r.int(4) : r.exponential(1)));
      const uF = Array.from({ length: n }, () => (ties ? r.int(3) : r.exponential(1) * r.next()));
      const k = 1 + r.int(n);
      for (const method of ['heuristics', 'certified'] as const) {
        const a = solveNash({ uG, uF, k }, { method, backend: 'wasm', candidates: true });
        const b = solveNash({ uG, uF, k }, { method, backend: 'ts', candidates: true });
        expect(a.backend).toBe('wasm');
        expect(b.backend).toBe('ts');
        expect({ ...a, backend: '' }).toEqual({ ...b, backend: '' });
      }
    }
    expect(solveNash({ uG: [1, 2], uF: [2, 1], k: 1 }).backend).toBe('wasm'); // default: the fastest registered
  });

  it('runForum: identical results and EURR tables with ts and wasm; the benchmark names the backend', async () => {
    const opts = { rounds: 3, M: 30, K: 12, seed: 5, utilityG: 'unigram' } as const; // U_G is not under test
    const a = await runForum({ ...opts, backend: 'wasm' });
    const b = await runForum({ ...opts, backend: 'ts' });
    expect(a.benchmark.backend).toBe('wasm');
    expect(b.benchmark.backend).toBe('ts');
    expect(formatEurrTable(a)).toBe(formatEurrTable(b));
    expect(a.table).toEqual(b.table);
    expect({ ...a.benchmark, backend: '' }).toEqual({ ...b.benchmark, backend: '' });
  });

  it('an unknown backend fails before any work, naming backend', async () => {
    await expect(runForum({ rounds: 1, backend: 'gpu' as 'ts' })).rejects.toThrow(MechlabError);
    await expect(runForum({ rounds: 1, backend: 'gpu' as 'ts' })).rejects.toThrow(
      'backend must be "ts" or "wasm" (the registered backends), got "gpu"',
    );
  });
});

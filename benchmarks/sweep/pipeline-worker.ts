/**
 * Child process of pipeline.ts's scaling check: runs `reps` instances of the `ccs.random-graph`
 * pipeline (WASM or TS) at `n`, ρ = 0.1, and prints its busy time and its first call (registration,
 * module compile, layout, one instance) in ms.
 * Usage: `npx tsx benchmarks/sweep/pipeline-worker.ts '{"n":100,"reps":1000,"backend":"wasm","id":0}'`.
 */
import { Rng } from '@mechlab/core';
import { createCcsPipeline } from '@mechlab/ccs';
import { registerWasmBackend } from '@mechlab/kernels';

const { n, reps, backend, id } = JSON.parse(process.argv[2] ?? '{}') as {
  n: number;
  reps: number;
  backend: 'ts' | 'wasm';
  id: number;
};
const tFirst = performance.now();
registerWasmBackend();
const pipe = createCcsPipeline({ n, rho: 0.1 }, backend);
const out = new Float64Array(4);
pipe.run(Rng.seed('warm'), out, 0);
// First call: registration, module compile (WASM), layout and one instance.
const firstMs = performance.now() - tFirst;
const root = Rng.fromPath([2026, 'scaling', n, id]);
const t0 = performance.now();
for (let r = 0; r < reps; r++) pipe.run(root.split(r), out, 0);
process.stdout.write(`${performance.now() - t0} ${firstMs}\n`);

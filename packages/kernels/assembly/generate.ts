// Random CCS instances and the per-instance pipeline of the `ccs.random-graph` experiment (seed 004
// §6, Figure 1; MODELS.md §1.4) inside the module — the twin of core's `randomCcsInstanceInto`
// (packages/ccs/src/generator/random-instance.ts) and `runCcsPipelineTs` (packages/ccs/src/pipeline.ts).
//
// The PRNG is xoshiro128** stepped here, seeded with the states core's `Rng` derives from the stream
// paths (`hashKeys([...path, 'theta' | 'cost' | 'edges'])`, computed by the wrapper), so the three
// streams, the geometric skips (exact integer thresholds, see core's `geometricSkipTable`) and every
// array are byte-identical to the TS generator. `log1p` (the skip table's tail, exponential
// marginals) is the host's `Math.log1p`, imported, because the reference's floats come from it.
//
// One call per instance: draw θ, c and the CSR graph into the buffers the wrapper laid out once per
// sweep point, design GCS portions, play both designs' greatest equilibria (GCS, Equal Allocation)
// and write the four measurements. Layout: a context block `ctx` of u32 slots (offsets, sizes, seed
// states) followed at `ctx + 256` by f64 slots (ρ, log1p(−ρ), marginal parameters, outputs).
//
// Files: generate/context.ts (the context block's slots, shared with the wrapper), generate/host.ts (host imports),
// generate/instance.ts (`ccsGenerate`), generate/pipeline.ts (`ccsPipeline`).
export { ccsGenerate } from './generate/instance';
export { ccsPipeline } from './generate/pipeline';

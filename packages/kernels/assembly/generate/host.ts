// What the module imports from the host, under the import module name `host` (AssemblyScript names it
// after this file). `log1p` is the host's `Math.log1p` because the reference generator's floats come
// from it (the skip table's tail, exponential marginals): a module-side log1p could differ in the last bit.
export declare function log1p(x: f64): f64;

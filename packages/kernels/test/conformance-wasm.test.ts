/**
 * The shared backend conformance suite (core's `backendConformanceCases` for its `nash`
 * family and ccs's `ccsConformanceCases` for `ccs`, `mckp`, `equilibrium`, `hop`; STYLE.md §5) on the
 * WebAssembly backend: identical answers to the TS reference on thousands of seeded instances.
 * If `build/release.wasm` is missing these tests FAIL (they do not skip) with a message saying to run
 * `npm run build`.
 */
import { ccsConformanceCases } from '@mechlab/ccs/testing';
import { backendConformanceCases } from '@mechlab/core/testing';
import { loadKernels, registerWasmBackend } from '@mechlab/kernels';

registerWasmBackend();

describe('backend conformance: wasm', () => {
  it('the WebAssembly kernels are built and load (run `npm run build` if this fails)', () => {
    expect(() => loadKernels()).not.toThrow();
  });
  for (const c of [...backendConformanceCases('wasm'), ...ccsConformanceCases('wasm')]) {
    // exact is not implemented in WebAssembly (a small branch and bound, not a hot loop): its case
    // checks the refusal and the routing to 'ts' instead.
    it(c.name, c.run, 120_000);
  }
});

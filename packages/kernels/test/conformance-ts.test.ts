/**
 * The shared backend conformance suite (core's `backendConformanceCases` for its `nash`
 * family and ccs's `ccsConformanceCases` for `ccs`, `mckp`, `equilibrium`, `hop`; STYLE.md §5) on the TS
 * reference: it must agree with itself and pass the oracles (brute force, dense = general, Σp ≤ 1, …).
 */
import { ccsConformanceCases } from '@mechlab/ccs/testing';
import { backendConformanceCases } from '@mechlab/core/testing';

describe('backend conformance: ts (reference)', () => {
  for (const c of [...backendConformanceCases('ts'), ...ccsConformanceCases('ts')]) {
    it(c.name, c.run, 120_000);
  }
});

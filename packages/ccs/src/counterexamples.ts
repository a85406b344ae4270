/**
 * The instability counterexamples of seed 004, Proposition 4 (§2.3; proof in Appendix A): 2-player
 * CCS instances with spillovers on which Winner-Takes-All and Tullock have no pure Nash equilibrium.
 * Shipped as `examples/ccs-wta-unstable.json` and `examples/ccs-tullock-unstable.json` (MODELS.md §1.2).
 *
 * What survives of the paper and what is ours: the extraction lost every symbol of the instances, but
 * not their structure — both are graph-quality instances (Example 2) with linear costs; in the Tullock
 * one "player 1's effort raises both her own quality and player 2's quality, while player 2's effort
 * benefits only herself" and `q_2 = 0` whenever `x_1 = 0` (so `θ_2 = 0`), and the WTA one has players
 * that "differ in their productivity". The numbers below are therefore OUR OWN, chosen so that the
 * case analysis of Appendix A goes through not only in the continuum `[0,1]²` but on every effort grid
 * (the paper's "arbitrarily small ε" steps become "the smallest positive grid point" `g₁`), with the
 * proofs written out next to each instance. Players are 0-based here (the paper's players 1, 2 are our
 * 0, 1). The tests re-verify both on the 21-, 101- and 201-point grids by exhaustive enumeration.
 */
import type { CcsInstanceInput, Edge } from './instance';

/** A counterexample as a plain `ccs-instance` document (FORMATS.md) with a `description`. */
export interface CcsCounterexample {
  description: string;
  theta: number[];
  cost: number[];
  edges: Edge[];
  costFamily: 'linear';
}

/**
 * Winner-Takes-All instability instance (seed 004 Proposition 4, Part 1 of Appendix A — our numbers).
 *
 * `θ = (1/2, 1/4)`, one spillover edge `0 → 1` with `w = 1/2`, linear costs `c = (1/2, 1/2)`:
 * `q_0 = x_0/2`, `q_1 = x_1 (1/4 + x_0/2)`.
 *
 * Claim: no pure NE on any grid `G ⊂ [0,1]` with `0, 1 ∈ G` and smallest positive point `g₁ < 2/3`
 * (every uniform grid with ≥ 3 points), nor on `[0,1]` itself. Proof, by cases on a candidate `x`:
 * - (a) `x = (0,0)`: a tie at zero, `u_0 = 1/2`; player 0 deviates to `g₁` and wins: `1 − g₁/2 > 1/2`.
 * - (b) a strict loser with positive effort pays `c x > 0` for nothing; at effort 0 she gets ≥ 0.
 *   So at a NE the strict loser plays 0.
 * - (c) a tie `q_0 = q_1 > 0`: then `x_1 < 1` (at `x_1 = 1`, `q_1 = 1/4 + x_0/2 > x_0/2 = q_0`), and
 *   player 1 moves up to the next grid point `x_1'`: her quality rises, player 0's does not (player 1
 *   has no edge into 0), so she wins: `1 − x_1'/2 − (1/2 − x_1/2) = 1/2 − (x_1' − x_1)/2 > 0`.
 * - (d) player 0 wins strictly, so `x_1 = 0` by (b) and `q_0 = x_0/2`; any smaller positive effort
 *   still wins, so `x_0 = g₁`. Player 1 deviates to 1: `q_1 = 1/4 + g₁/2 > g₁/2`, she wins with
 *   `1 − 1/2 > 0`.
 * - (e) player 1 wins strictly, so `x_0 = 0` and `q_1 = x_1/4`; as in (d), `x_1 = g₁`. Player 0
 *   deviates to 1: `q_0 = 1/2 > g₁ (1/4 + 1/2) = 3g₁/4` iff `g₁ < 2/3`; she wins with `1 − 1/2 > 0`.
 * Every case has a profitable deviation. In the continuum the same cases run with `g₁ → 0` (the
 * winner's best response does not exist), which is the paper's argument. On the two-point grid
 * `{0, 1}` the claim fails — `(0, 0)` and `(0, 1)` are equilibria there (the gains of cases (a) and (e)
 * are exactly 0) — which is why the claim needs an interior point `g₁ < 2/3`. Best-response dynamics escalate (each player outbids the other at the smallest
 * winning effort) until player 1's effort exceeds 2/3, where player 0 can no longer win, drops to 0,
 * and player 1 drops to `g₁`: a best-response cycle.
 *
 * Complexity O(1).
 * @example
 * findPureNash(createCcsInstance(wtaCounterexample()), { kind: 'wta' }, { grid: 101 }).exists; // → false
 */
export function wtaCounterexample(): CcsCounterexample & CcsInstanceInput {
  return {
    description:
      'Winner-Takes-All has no pure Nash equilibrium (seed 004, Proposition 4; parameters reconstructed, ' +
      'proof in packages/ccs/src/counterexamples.ts): q0 = x0/2, q1 = x1 (1/4 + x0/2), linear costs x/2.',
    theta: [0.5, 0.25],
    cost: [0.5, 0.5],
    edges: [[0, 1, 0.5]],
    costFamily: 'linear',
  };
}

/**
 * Tullock instability instance (seed 004 Proposition 4, Part 2 of Appendix A — the paper's structure,
 * our numbers).
 *
 * `θ = (1/4, 0)`, one spillover edge `0 → 1` with `w = 1`, linear costs `c = (1/4, 1/8)`:
 * `q_0 = x_0/4`, `q_1 = x_0 x_1` — player 0's effort feeds both qualities, player 1 only her own, and
 * `q_1 = 0` whenever `x_0 = 0`, exactly as in Appendix A.
 *
 * Claim: no pure NE on any grid `G ⊂ [0,1]` with `0, 1 ∈ G` (so on every uniform grid, including
 * `{0, 1}`), nor on `[0,1]`. Proof, by the cases of Appendix A:
 * - Case 1, `x = (0,0)`: all-zero qualities split `1/2, 1/2`; player 0 deviates to the smallest positive
 *   `g₁`, takes everything: `1 − g₁/4 ≥ 3/4 > 1/2`.
 * - Case 2/3, `x_0 > 0`: player 1's utility `x_0 x_1 / (x_0/4 + x_0 x_1) − x_1/8 = f(x_1)` with
 *   `f(t) = t/(1/4 + t) − t/8` does not depend on `x_0`; `f'(t) = (1/4)/(1/4 + t)² − 1/8 > 0` for
 *   `t < √2 − 1/4 ≈ 1.16`, so `f` is strictly increasing on `[0,1]` and her unique best response is
 *   `x_1 = 1` (the paper's interior root lies beyond 1 with these numbers, which makes the best response
 *   grid-independent). At `(x_0, 1)` player 0 gets `(x_0/4)/(x_0/4 + x_0) − x_0/4 = 1/5 − x_0/4 < 1/2`,
 *   while at `x_0 = 0` both qualities vanish and she gets `1/2`: she deviates to 0.
 * - Case 4, `x = (0, x_1)` with `x_1 > 0`: `q = (0, 0)`, player 1 gets `1/2 − x_1/8 < 1/2` = her utility
 *   at 0: she deviates to 0.
 * The best-response cycle is `(0,0) → (g₁,0) → (g₁,1) → (0,1) → (0,0)`.
 *
 * Complexity O(1).
 * @example
 * findPureNash(createCcsInstance(tullockCounterexample()), { kind: 'tullock' }, { grid: 201 }).exists;
 * // → false
 */
export function tullockCounterexample(): CcsCounterexample & CcsInstanceInput {
  return {
    description:
      'Tullock has no pure Nash equilibrium (seed 004, Proposition 4; parameters reconstructed, proof in ' +
      'packages/ccs/src/counterexamples.ts): q0 = x0/4, q1 = x0 x1, linear costs x0/4 and x1/8.',
    theta: [0.25, 0],
    cost: [0.25, 0.125],
    edges: [[0, 1, 1]],
    costFamily: 'linear',
  };
}

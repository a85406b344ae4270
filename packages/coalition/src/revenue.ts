/**
 * Revenue of LLM providers and of their coalitions (seed 002, §2–3, Eq. 1–10, Table 1; MODELS.md §4).
 *
 * - Domain revenue (Eq. 1): `r(x) = q(x) · [α · u(x) − (1−α) · c(x)]`, utility `u = p · m` (Eq. 3) with
 *   normalised performance `p = s / max_{a∈A} s` (Eq. 2, the max over all agents of the market).
 * - Cost per unit of demand: GPU-hours × price (Eq. 4) or API tokens × token prices (Eq. 5).
 * - Totals weight domains by `w(x)` (Eq. 6 for one agent, Eq. 9 for a coalition).
 * - A coalition pools its members by a {@link Paradigm} (Eq. 10 and Table 1): max pooling / routing to
 *   the best member, averaging / API routing, or weight merging with the superlinear, interference or
 *   independent case.
 * - **[choice]** A coalition serves a domain only when its per-unit net revenue is positive (nobody
 *   serves at a loss), so `v(S) = Σ_j w_j q_j · max(0, net_S(j))`.
 * - Externalities (PFF, {@link demandShareGame}): coalition `T ∈ P` captures the demand share
 *   `perf_T(j)^γ / Σ_{U∈P serving j} perf_U(j)^γ` of domain `j`, then earns Eq. 1 on it.
 *
 * This file holds Eq. 1, 4 and 5; the market is in market.ts, the paradigms in block-accumulator.ts,
 * the games in market-games.ts and the externalities in demand-share.ts.
 */

/**
 * Eq. 1: domain revenue `q · [α · u − (1−α) · c]`.
 *
 * Complexity: O(1).
 * @throws never
 * @example domainRevenue(2, 0.5, 0.8, 0.2) // 0.6000000000000001
 */
export function domainRevenue(demand: number, alpha: number, utility: number, cost: number): number {
  return demand * (alpha * utility - (1 - alpha) * cost);
}

/**
 * Eq. 4: training/inference cost `t × p_GPU` (GPU-hours times the price of a GPU-hour).
 *
 * Complexity: O(1).
 * @throws never
 * @example gpuCost(0.2, 2.5) // 0.5
 */
export function gpuCost(gpuHours: number, pricePerGpuHour: number): number {
  return gpuHours * pricePerGpuHour;
}

/**
 * Eq. 5: API calling cost `input_tokens × c_input + output_tokens × c_output`.
 *
 * Complexity: O(1).
 * @throws never
 * @example apiCost(1000, 500, 1e-6, 4e-6) // 0.003
 */
export function apiCost(
  inputTokens: number,
  outputTokens: number,
  inputPrice: number,
  outputPrice: number,
): number {
  return inputTokens * inputPrice + outputTokens * outputPrice;
}

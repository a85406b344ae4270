/**
 * The three mechanisms of MODELS.md §5 on one drawn instance (seed 003, abstract): a posted subsidy,
 * and cost reporting + personalised assignment + withdrawal under the simultaneous and the small-first
 * sequential protocol. All three end in the same settlement step; what differs is the payment rule —
 * the subsidy pays per unit on provision, the withdrawal mechanisms pay only if τ is crossed — so
 * leakage (payments made although τ was missed) is measured, never hard-coded.
 */
import {
  postedSubsidy,
  shockCdf,
  wastedProvision,
  type ContributionInstance,
  type ContributionParams,
} from './model';

/** Outcome of one mechanism on one instance. */
export interface MechanismOutcome {
  /** 1 if the committed supply reached τ (the model improves), else 0. */
  readonly crossed: number;
  /** Provider's total payments. */
  readonly totalCost: number;
  /** Payments made on an instance that missed τ (subsidy spent without improvement). */
  readonly leakage: number;
  /** Number of users whose data were provided (did not withdraw / chose to contribute). */
  readonly participants: number;
  /** Units of data provided (committed), whether or not τ was reached. */
  readonly supply: number;
  /** Units provided on an instance that missed τ (= supply if missed, else 0): wasted provision. */
  readonly wastedSupply: number;
  /** Contributors' realised costs sunk on an instance that missed τ (see `wastedProvision`). */
  readonly sunkCost: number;
}

/** Relative tolerance on "supply ≥ τ" (burdens are built by floating-point subtraction). */
const TOL = 1e-9;

function crossedTau(supply: number, tau: number): boolean {
  return supply >= tau * (1 - TOL);
}

/**
 * Settlement shared by all mechanisms. `accrued` is what the payment rule owes if the contributions
 * are used; `conditional` says whether the rule pays only on crossing. `committedCost` = Σ c̃ᵢdᵢ of the
 * providers, of which the share `sunkShare` is sunk if τ is missed ({@link wastedProvision}).
 */
function settle(
  supply: number,
  participants: number,
  accrued: number,
  conditional: boolean,
  tau: number,
  committedCost: number,
  sunkShare: number,
): MechanismOutcome {
  const crossed = crossedTau(supply, tau);
  const paid = crossed || !conditional ? accrued : 0;
  const waste = wastedProvision(crossed, supply, committedCost, sunkShare);
  return {
    crossed: crossed ? 1 : 0,
    totalCost: paid,
    leakage: crossed ? 0 : paid,
    participants,
    supply,
    wastedSupply: waste.wastedSupply,
    sunkCost: waste.sunkCost,
  };
}

/**
 * (a) Posted subsidy. The provider posts s = {@link postedSubsidy} (chosen from the cost distribution,
 * not the realised costs); each user's privately optimal ("floor") response with linear costs is
 * bang-bang: give the full capacity iff s ≥ c̃_i, else nothing. The user's share of the improvement
 * value b_i is ignored because it is non-excludable and one user's effect on crossing is negligible
 * (no pivot reasoning) — the free-riding that lets decentralised supply fall short of τ. The subsidy
 * is paid per unit whether or not τ is reached.
 *
 * Complexity: O(n).
 * @see MODELS.md §5 (a); seed 003 abstract: "users respond to posted payments with privately optimal
 *   floor contributions … resulting in subsidy expenditure without model improvements".
 */
export function runSubsidy(
  inst: ContributionInstance,
  p: ContributionParams,
  s = postedSubsidy(p),
): MechanismOutcome {
  let supply = 0,
    participants = 0,
    committedCost = 0;
  for (let i = 0; i < p.n; i++) {
    const c = inst.cost[i]! + inst.shock[i]!;
    if (s >= c) {
      supply += inst.capacity[i]!;
      participants++;
      committedCost += c * inst.capacity[i]!;
    }
  }
  // the floor response bears its whole cost on provision, used or not: sunk share 1
  return settle(supply, participants, s * supply, false, p.tau, committedCost, 1);
}

/**
 * Personalised assignment from reported costs: users sorted by reported cost (ties by index); the
 * cheapest are assigned their full capacity until τ is exactly covered (the last one partially) — the
 * cost-minimising (fractional-knapsack) assignment. Each assigned user is paid per unit the uniform
 * critical price P = the reported cost of the first unassigned user (costHi if everyone is assigned),
 * plus the premium ψ (default 0), which makes truthful reporting a dominant strategy at the reporting
 * stage for every fully assigned user (as in a (k+1)-th price procurement auction). Returns null if Σ q_i < τ (infeasible ⇒ null
 * outcome, nothing collected).
 */
export interface Assignment {
  /** Users in ascending reported cost. */
  readonly byCost: Int32Array;
  /** Number of users assigned (a prefix of byCost). */
  readonly k: number;
  /** Burden of byCost[j] for j < k. */
  readonly burden: Float64Array;
  /** Uniform per-unit payment of the initial assignment. */
  readonly price: number;
}

/**
 * Compute the cost-minimising assignment covering τ exactly (see {@link Assignment}); MODELS.md §5 (b),
 * "cost reporting + personalised assignment".
 *
 * Complexity: O(n log n).
 */
export function assignBurdens(inst: ContributionInstance, p: ContributionParams): Assignment | null {
  const n = p.n;
  const byCost = new Int32Array(n);
  for (let i = 0; i < n; i++) byCost[i] = i;
  const c = inst.cost;
  byCost.sort((a, b) => c[a]! - c[b]! || a - b);
  const burden = new Float64Array(n);
  let remaining = p.tau;
  let k = 0;
  while (k < n && remaining > p.tau * TOL) {
    const d = Math.min(inst.capacity[byCost[k]!]!, remaining);
    burden[k] = d;
    remaining -= d;
    k++;
  }
  if (remaining > p.tau * TOL) return null;
  const price = (k < n ? c[byCost[k]!]! : p.costHi) + p.premium;
  return { byCost, k, burden, price };
}

/**
 * Stay cutoff of a user asked to provide `d` units at unit price `price`, with improvement value `b`,
 * who believes the threshold will be crossed with probability Q if she stays. Staying costs c̃·d, of
 * which the share ρ is sunk even if the contribution is never used (no crossing ⇒ no training, data
 * deleted, no payment); if τ is crossed she is paid price·d and enjoys b. Withdrawing yields 0 — with
 * an exact cover every assigned user is pivotal. So she stays iff
 *   Q·(price·d + b − c̃·d) ≥ (1 − Q)·ρ·c̃·d  ⇔  c̃ ≤ x(Q) = Q·(price + b/d) / (Q + ρ(1 − Q)),
 * which is increasing in Q: strategic uncertainty about others lowers the cutoff.
 *
 * Complexity: O(1).
 * @example stayCutoff(1, 0.3, 2, 0.4, 0.5) // 0.5 (= price + b/d: no uncertainty)
 */
export function stayCutoff(Q: number, price: number, d: number, b: number, rho: number): number {
  if (!(Q > 0)) return 0;
  const a = price + b / d;
  const den = Q + rho * (1 - Q);
  return den > 0 ? (Q * a) / den : a;
}

/**
 * (b1) Simultaneous protocol. After the assignment is announced (burdens, prices and reported costs
 * are public; shocks are private), each assigned user decides at once, without seeing the others.
 * This is a Bayesian game of strategic complements (a higher stay probability of others raises every
 * cutoff); the all-withdraw profile is always an equilibrium when ρ > 0. We take the *greatest*
 * equilibrium — the most favourable to coordination — computed by iterating best responses from
 * "everyone stays" (monotone, so it converges to the greatest fixed point; Milgrom & Roberts 1990).
 * Payments are owed only if the realised stays cover τ.
 *
 * Complexity: O(n log n + k·iterations), iterations ≤ 500 (usually < 30).
 * @see MODELS.md §5 (b); seed 003 abstract: "the simultaneous protocol can achieve lower total cost".
 */
export function runSimultaneous(
  inst: ContributionInstance,
  p: ContributionParams,
  asg: Assignment | null = assignBurdens(inst, p),
): MechanismOutcome {
  if (asg === null) return settle(0, 0, 0, true, p.tau, 0, p.irreversibility);
  const { byCost, k, burden, price } = asg;
  const rho = p.irreversibility;
  const s = new Float64Array(k).fill(1);
  const next = new Float64Array(k);
  const prefix = new Float64Array(k + 1);
  const suffix = new Float64Array(k + 1);
  const cutoff = new Float64Array(k);
  for (let iter = 0; iter < 500; iter++) {
    prefix[0] = 1;
    for (let j = 0; j < k; j++) prefix[j + 1] = prefix[j]! * s[j]!;
    suffix[k] = 1;
    for (let j = k - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! * s[j]!;
    let change = 0;
    for (let j = 0; j < k; j++) {
      const i = byCost[j]!;
      const Q = prefix[j]! * suffix[j + 1]!;
      cutoff[j] = stayCutoff(Q, price, burden[j]!, inst.value[i]!, rho);
      next[j] = shockCdf(cutoff[j]! - inst.cost[i]!, p.shockProb, p.shockMean);
      change = Math.max(change, Math.abs(next[j]! - s[j]!));
    }
    s.set(next);
    if (change < 1e-13) break;
  }
  // cutoffs at the fixed point (recomputed so they match the final s exactly)
  prefix[0] = 1;
  for (let j = 0; j < k; j++) prefix[j + 1] = prefix[j]! * s[j]!;
  suffix[k] = 1;
  for (let j = k - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! * s[j]!;
  let supply = 0,
    participants = 0,
    accrued = 0,
    committedCost = 0;
  for (let j = 0; j < k; j++) {
    const i = byCost[j]!;
    const x = stayCutoff(prefix[j]! * suffix[j + 1]!, price, burden[j]!, inst.value[i]!, rho);
    const c = inst.cost[i]! + inst.shock[i]!;
    if (c <= x) {
      supply += burden[j]!;
      participants++;
      accrued += price * burden[j]!;
      committedCost += c * burden[j]!;
    }
  }
  return settle(supply, participants, accrued, true, p.tau, committedCost, rho);
}

/**
 * (b2) Sequential protocol. Assigned users are queued by burden — ascending for 'small-first' (the
 * abstract's protocol), descending for 'large-first' (an ablation) — and decide in turn, observing all
 * earlier decisions; a decision once made is final. Beliefs: a user computes her crossing probability
 * by backward induction over the users still queued behind her (the last user faces no uncertainty),
 * conservatively ignoring that the provider may later replace someone — so the protocol's advantage
 * comes only from what users actually observe. When a user withdraws, the provider re-assigns her
 * burden to the cheapest users not yet asked (full capacities, the last one partially), at the new
 * critical price (the reported cost of the next user not asked; costHi if none) for those recruits,
 * and re-sorts the queue. If nobody is left to recruit, τ cannot be reached and the protocol stops
 * with a null outcome. Payments are owed only if the committed supply covers τ.
 *
 * Mechanics behind the abstract's claims: (i) observing earlier commitments removes strategic
 * uncertainty, so every stay probability is at least its simultaneous counterpart (by backward
 * induction from the last user, who faces none) — hence higher participation and crossing; (ii)
 * replacements are costlier users paid a higher critical price, and more crossings mean more
 * payments — hence a higher total cost. Per instance: if the simultaneous protocol crosses, the
 * sequential one crosses at the same cost. Ordering small burdens first puts the users with the
 * largest b/d (the most tolerant of uncertainty) where uncertainty is greatest; in this
 * reconstruction the order effect is small and its sign depends on τ (README, "ablation").
 *
 * Complexity: O(n log n + m·k) where m is the number of users asked (assigned plus recruits) and k
 * the queue length (one backward induction per withdrawal).
 * @see MODELS.md §5 (b); seed 003 abstract: "the small-first sequential protocol better incentivizes
 *   participation … thereby increasing the probability of crossing the improvement threshold".
 */
export function runSequential(
  inst: ContributionInstance,
  p: ContributionParams,
  asg: Assignment | null = assignBurdens(inst, p),
): MechanismOutcome {
  if (asg === null) return settle(0, 0, 0, true, p.tau, 0, p.irreversibility);
  const { byCost, k, burden, price } = asg;
  const n = p.n;
  const rho = p.irreversibility;
  const sign = p.sequentialOrder === 'large-first' ? -1 : 1;
  // Queue as parallel typed arrays (capacity n: each user is asked at most once); [head, tail) is
  // pending and kept sorted by (sign·burden, reported cost, index).
  const qUser = new Int32Array(n);
  const qBurden = new Float64Array(n);
  const qPrice = new Float64Array(n);
  const before = (d1: number, i1: number, d2: number, i2: number): boolean => {
    const byBurden = sign * (d1 - d2);
    if (byBurden !== 0) return byBurden < 0;
    const byCost = inst.cost[i1]! - inst.cost[i2]!;
    return byCost !== 0 ? byCost < 0 : i1 < i2;
  };
  let head = 0,
    tail = 0;
  /** Insert (user, burden, price) into the sorted pending region (insertion step, O(queue)). */
  const enqueue = (user: number, d: number, pr: number): void => {
    let t = tail;
    while (t > head && before(d, user, qBurden[t - 1]!, qUser[t - 1]!)) {
      qUser[t] = qUser[t - 1]!;
      qBurden[t] = qBurden[t - 1]!;
      qPrice[t] = qPrice[t - 1]!;
      t--;
    }
    qUser[t] = user;
    qBurden[t] = d;
    qPrice[t] = pr;
    tail++;
  };
  for (let j = 0; j < k; j++) enqueue(byCost[j]!, burden[j]!, price);
  // qAfter[t] = Π of the stay probabilities of the users queued behind position t (backward
  // induction); it only changes when the queue does, i.e. after a withdrawal.
  const qAfter = new Float64Array(n + 1);
  const induct = (): void => {
    qAfter[tail - 1] = 1;
    for (let t = tail - 1; t > head; t--) {
      const i = qUser[t]!;
      const x = stayCutoff(qAfter[t]!, qPrice[t]!, qBurden[t]!, inst.value[i]!, rho);
      qAfter[t - 1] = qAfter[t]! * shockCdf(x - inst.cost[i]!, p.shockProb, p.shockMean);
    }
  };
  induct();
  let nextReserve = k;
  let supply = 0,
    participants = 0,
    accrued = 0,
    committedCost = 0;
  while (head < tail) {
    const i = qUser[head]!;
    const d = qBurden[head]!;
    const pr = qPrice[head]!;
    const x = stayCutoff(qAfter[head]!, pr, d, inst.value[i]!, rho);
    head++;
    const c = inst.cost[i]! + inst.shock[i]!;
    if (c <= x) {
      supply += d;
      participants++;
      accrued += pr * d;
      committedCost += c * d;
      continue;
    }
    // withdrawal: recruit the cheapest users not yet asked to cover d, at the new critical price
    let deficit = d;
    const first = nextReserve;
    while (deficit > p.tau * TOL && nextReserve < n) {
      deficit -= Math.min(inst.capacity[byCost[nextReserve]!]!, deficit);
      nextReserve++;
    }
    if (deficit > p.tau * TOL) break; // nobody left: τ is out of reach, null outcome
    const newPrice = (nextReserve < n ? inst.cost[byCost[nextReserve]!]! : p.costHi) + p.premium;
    deficit = d;
    for (let r = first; r < nextReserve; r++) {
      const j = byCost[r]!;
      const dj = Math.min(inst.capacity[j]!, deficit);
      deficit -= dj;
      enqueue(j, dj, newPrice);
    }
    induct();
  }
  return settle(supply, participants, accrued, true, p.tau, committedCost, rho);
}

import { insertAbsentReads } from './absent-read-insertion';
import { INITIAL, mapReadsToWrites, type ReadMapping } from './read-mapping';
import { tightestSources } from './tightest-sources';
import { observedValue, setsValue, type RegisterOp, type RegisterValue } from './register-ops';
import type { SearchOutcome } from './search';
import { planSearch } from './search-plan';

/**
 * Decides a register history in O(n log n) when every read has a forced source (see
 * read-mapping.ts) — Gibbons & Korach (1997) for registers whose written values are unique.
 * Returns undefined when it cannot tell: when some absent read has two possible sources, a
 * guess for it that yields a valid order proves the history linearizable, but a guess that
 * yields none proves nothing; a violation without such reads proves one with them; otherwise
 * the search decides.
 *
 * A write and the reads of its value form a cluster, and in a valid order each cluster is a
 * contiguous run: the write, then its reads (a read in between two writes reads the first).
 * So an order exists exactly when (1) no read finished before its write started, and (2) the
 * clusters can be ordered so that real time holds between them. Cluster A must precede B when
 * some op of A finished before some op of B started: lo(A) < hi(B), with lo the earliest
 * acknowledgement in the cluster and hi its latest invocation. That relation has a cycle only
 * if it has one of length two (a cycle's cluster with the smallest lo closes one with its
 * predecessor), so (2) is a search for two clusters that each must precede the other.
 *
 * A verdict of linearizable comes with an order that is checked (isValidOrder) before it is
 * returned; if that check ever failed, the search would decide instead.
 *
 * Keys with a cas that may have taken effect go to the search: a cas is the last op of the
 * cluster of the value it expected and the first of its own, which chains clusters together
 * in a way the two-cluster argument above does not cover. (The search finds cas chains easy:
 * from each value, only the cas that expected it fits.)
 */
export function decideUniqueWrites(input: readonly RegisterOp[]): SearchOutcome | undefined {
  const included = new Array<boolean>(input.length).fill(false);
  for (const p of planSearch(input)) included[p.index] = true;
  if (input.some((op, i) => included[i] && op.kind === 'cas')) return undefined;
  const mapping = mapReadsToWrites(input, included);
  if (!mapping) return undefined; // a value written twice
  const steps = input.length;
  const decide = (sources: ReadonlyMap<number, number>) => evaluateClusters(sources, mapping.sourceless, input, included);

  // Without the ambiguous reads the mapping is forced. If even that history has no valid order,
  // this one has none (removing reads keeps a valid order valid).
  const withoutThem = decide(mapping.sources);
  if (withoutThem.violated || mapping.ambiguous.length === 0) return verdictOf(withoutThem, mapping.sourceless, input, included, steps);
  // If it has one, the ambiguous reads may fit into it as they are…
  const withThem = insertAbsentReads(withoutThem.order, mapping.ambiguous.map((a) => a.read), input);
  if (withThem && isValidOrder(withThem, input, included)) return { kind: 'linearizable', order: withThem, steps };
  // …or mostly under the latest live source, the rest fitted in afterwards…
  const latestThenInsert = guessThenInsert(mapping, decide, input);
  if (latestThenInsert && isValidOrder(latestThenInsert, input, included)) return { kind: 'linearizable', order: latestThenInsert, steps };
  // …or under another guess of their sources. Failing all that, only the search can tell.
  const evaluation = decide(tightestSources(mapping, input));
  if (!evaluation.violated && isValidOrder(evaluation.order, input, included)) return { kind: 'linearizable', order: evaluation.order, steps };
  return undefined;
}

/** Rounds of taking guessed reads out of conflicting clusters: the forced mapping alone has no conflict, so this ends. */
const MAX_LEAVE_OUT_ROUNDS = 8;

/**
 * Each ambiguous read guessed to read the latest-begun of its live sources, the guesses in a
 * conflicting cluster taken out until none conflicts, and those reads then fitted into the
 * order as they are (insertAbsentReads). Undefined when that does not work out.
 */
function guessThenInsert(mapping: ReadMapping, decide: (sources: ReadonlyMap<number, number>) => Evaluation, input: readonly RegisterOp[]): number[] | undefined {
  const sources = new Map(mapping.sources);
  const guessed = new Map<number, number>();
  for (const { read, live } of mapping.ambiguous) {
    sources.set(read, live[live.length - 1]!);
    guessed.set(read, live[live.length - 1]!);
  }
  const leftOut: number[] = [];
  for (let round = 0; round < MAX_LEAVE_OUT_ROUNDS; round++) {
    const evaluation = decide(sources);
    if (!evaluation.violated) return insertAbsentReads(evaluation.order, leftOut, input);
    for (const [read, source] of guessed) {
      if (!evaluation.conflicting.has(source)) continue;
      sources.delete(read);
      guessed.delete(read);
      leftOut.push(read);
    }
  }
  return undefined;
}

function verdictOf(evaluation: Evaluation, sourceless: readonly number[], input: readonly RegisterOp[], included: readonly boolean[], steps: number): SearchOutcome | undefined {
  if (evaluation.violated) return { kind: 'violation', ...longestValidPrefix(evaluation.order, sourceless, input), steps };
  return isValidOrder(evaluation.order, input, included) ? { kind: 'linearizable', order: evaluation.order, steps } : undefined;
}

interface Evaluation {
  readonly violated: boolean;
  /** The clusters in a candidate order: valid when not violated, else the start of an explanation. */
  readonly order: number[];
  /** Writers (or INITIAL) of the clusters in a conflict: a read before its write, or two that must each precede the other. */
  readonly conflicting: ReadonlySet<number>;
}

function evaluateClusters(
  sources: ReadonlyMap<number, number>,
  sourceless: readonly number[],
  input: readonly RegisterOp[],
  included: readonly boolean[],
): Evaluation {
  // Clusters: writers in input order, then the initial state's.
  const clusterOf = new Map<number, Cluster>();
  const clusters: Cluster[] = [];
  const clusterFor = (writer: number): Cluster => {
    let c = clusterOf.get(writer);
    if (!c) {
      const w = writer === INITIAL ? undefined : input[writer]!;
      c = { writer, reads: [], lo: w ? w.returnMs : -Infinity, hi: w ? w.invokeMs : -Infinity };
      clusterOf.set(writer, c);
      clusters.push(c);
    }
    return c;
  };
  const conflicting = new Set<number>();
  for (const [r, writer] of sources) {
    const read = input[r]!;
    const c = clusterFor(writer);
    c.reads.push(r);
    if (read.returnMs < c.lo) c.lo = read.returnMs;
    if (read.invokeMs > c.hi) c.hi = read.invokeMs;
    if (writer !== INITIAL && read.returnMs < input[writer]!.invokeMs) conflicting.add(writer);
  }
  // Writes that must have taken effect; an unknown write nobody read may as well never have.
  for (let i = 0; i < input.length; i++) {
    if (included[i] && input[i]!.kind === 'write' && input[i]!.returnMs !== Infinity) clusterFor(i);
  }
  for (const c of inTwoCycles(clusters)) conflicting.add(c.writer);
  const violated = conflicting.size > 0 || sourceless.length > 0;
  return { violated, order: candidateOrder(clusters, input), conflicting };
}

interface Cluster {
  readonly writer: number;
  readonly reads: number[];
  /** Earliest acknowledgement among the cluster's ops. */
  lo: number;
  /** Latest invocation among the cluster's ops. */
  hi: number;
}

/** The clusters A for which some B ≠ A has lo(A) < hi(B) and lo(B) < hi(A). Sorted by lo, with the two largest hi of each prefix. */
function inTwoCycles(clusters: readonly Cluster[]): Cluster[] {
  const byLo = [...clusters].sort((a, b) => a.lo - b.lo);
  const best: Cluster[] = [];
  const second: (Cluster | undefined)[] = [];
  let b1: Cluster | undefined;
  let b2: Cluster | undefined;
  for (const c of byLo) {
    if (!b1 || c.hi > b1.hi) {
      b2 = b1;
      b1 = c;
    } else if (!b2 || c.hi > b2.hi) {
      b2 = c;
    }
    best.push(b1);
    second.push(b2);
  }
  const found: Cluster[] = [];
  for (const c of clusters) {
    // Clusters with lo < hi(c) form a prefix of byLo.
    let lo = 0;
    let hi = byLo.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byLo[mid]!.lo < c.hi) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) continue;
    const other = best[lo - 1] === c ? second[lo - 1] : best[lo - 1];
    if (other && c.lo < other.hi) found.push(c);
  }
  return found;
}

/**
 * The clusters in an order that respects real time whenever one exists. Each cluster gets an
 * instant: one whose ops span [lo, hi] (lo < hi) holds that span, and no other cluster may sit
 * inside it; one whose ops all overlap (lo ≥ hi) can sit at any instant of [hi, lo] outside
 * those spans. Sorted by instant (on ties, the overlapping kind first), every cluster that must
 * precede another comes first. Within a cluster: the write, then its reads by invocation.
 *
 * Deletes go as late as they can and other writes as early, which leaves the key absent for
 * long stretches: room for the absent reads insertAbsentReads fits in afterwards.
 */
function candidateOrder(clusters: readonly Cluster[], input: readonly RegisterOp[]): number[] {
  const spans = clusters.filter((c) => c.lo < c.hi).sort((a, b) => a.lo - b.lo);
  const instant = new Map<Cluster, number>();
  for (const c of clusters) {
    if (c.lo < c.hi) instant.set(c, c.lo);
    else if (c.writer === INITIAL || input[c.writer]!.value !== null) instant.set(c, c.hi);
    else instant.set(c, latestOutsideSpans(c.lo, spans));
  }
  const sorted = [...clusters].sort((a, b) => instant.get(a)! - instant.get(b)! || Number(a.lo < a.hi) - Number(b.lo < b.hi));
  const order: number[] = [];
  for (const c of sorted) {
    if (c.writer !== INITIAL) order.push(c.writer);
    const reads = [...c.reads].sort((a, b) => input[a]!.invokeMs - input[b]!.invokeMs);
    for (const r of reads) order.push(r);
  }
  return order;
}

/** `t`, or the start of the span (lo, hi) that holds it. */
function latestOutsideSpans(t: number, spans: readonly Cluster[]): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.lo < t) lo = mid + 1;
    else hi = mid;
  }
  // Spans do not overlap when an order exists, so only the last one begun before t can hold it.
  const span = spans[lo - 1];
  return span && t < span.hi ? span.lo : t;
}

/**
 * The order is a linearization: every op that must have happened is in it once, every read
 * returns the value before it, and no op finished before an earlier one started. Checked, not
 * trusted, for every linearizable verdict: if it ever failed, the search would decide instead.
 */
function isValidOrder(order: readonly number[], input: readonly RegisterOp[], included: readonly boolean[]): boolean {
  const seen = new Set(order);
  if (seen.size !== order.length) return false;
  for (let i = 0; i < input.length; i++) if (included[i] && input[i]!.returnMs !== Infinity && !seen.has(i)) return false;
  let value: RegisterValue = null;
  for (const i of order) {
    const op = input[i]!;
    const seen = observedValue(op);
    if (seen !== undefined && seen !== value) return false;
    if (setsValue(op)) value = op.value;
  }
  let minReturnAfter = Infinity;
  for (let i = order.length - 1; i >= 0; i--) {
    const op = input[order[i]!]!;
    if (op.invokeMs > minReturnAfter) return false;
    if (op.returnMs < minReturnAfter) minReturnAfter = op.returnMs;
  }
  return true;
}

/**
 * For the explanation: the longest prefix of the candidate order that is a valid start of an
 * order (everything left, the reads with no source included, may still come after it), and the
 * op left out whose deadline came first.
 */
function longestValidPrefix(
  order: readonly number[],
  sourceless: readonly number[],
  input: readonly RegisterOp[],
): { longestPrefix: number[]; stuckOp: number } {
  const n = order.length;
  // minReturnFrom[k]: the earliest acknowledgement among order[k..] and the sourceless reads.
  const minReturnFrom = new Array<number>(n + 1);
  const argMinFrom = new Array<number>(n + 1);
  let min = Infinity;
  let arg = -1;
  for (const r of sourceless) {
    if (input[r]!.returnMs < min) {
      min = input[r]!.returnMs;
      arg = r;
    }
  }
  minReturnFrom[n] = min;
  argMinFrom[n] = arg;
  for (let k = n - 1; k >= 0; k--) {
    const op = input[order[k]!]!;
    if (op.returnMs <= min) {
      min = op.returnMs;
      arg = order[k]!;
    }
    minReturnFrom[k] = min;
    argMinFrom[k] = arg;
  }
  let best = 0;
  let maxInvoke = -Infinity;
  for (let k = 1; k <= n; k++) {
    maxInvoke = Math.max(maxInvoke, input[order[k - 1]!]!.invokeMs);
    if (maxInvoke <= minReturnFrom[k]!) best = k;
  }
  const stuckOp = argMinFrom[best]! >= 0 ? argMinFrom[best]! : (order[best] ?? sourceless[0] ?? -1);
  return { longestPrefix: order.slice(0, best), stuckOp };
}

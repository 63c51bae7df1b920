import { INITIAL, mapReadsToWrites, type ReadMapping, type SourceGuess } from './read-mapping';
import type { RegisterOp } from './register-ops';
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
 * A verdict of linearizable comes with an order that is checked against real time before it is
 * returned; if that check ever failed, the search would decide instead.
 */
export function decideUniqueWrites(input: readonly RegisterOp[]): SearchOutcome | undefined {
  const included = new Array<boolean>(input.length).fill(false);
  for (const p of planSearch(input)) included[p.index] = true;
  const forced = mapReadsToWrites(input, included);
  if (forced) return decideUnder(forced, input, included);
  for (const guess of GUESSES) {
    const mapping = mapReadsToWrites(input, included, guess);
    if (!mapping) return undefined; // a value written twice
    const outcome = decideUnder(mapping, input, included);
    if (outcome) return outcome;
  }
  // No guess gave an order. Without the ambiguous reads the mapping is forced; if even that
  // history has no valid order, this one has none. If it has one, only the search can tell.
  const withoutThem = decideUnder(mapReadsToWrites(input, included, 'leave-out')!, input, included);
  return withoutThem?.kind === 'violation' ? withoutThem : undefined;
}

/** Tried in turn for absent reads with several live sources; on generated workloads the first nearly always works. */
const GUESSES: readonly SourceGuess[] = ['latest', 'tightest', 'before'];

function decideUnder(mapping: ReadMapping, input: readonly RegisterOp[], included: readonly boolean[]): SearchOutcome | undefined {
  const steps = input.length;

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
  let readBeforeWrite = false;
  for (const [r, writer] of mapping.sources) {
    const read = input[r]!;
    const c = clusterFor(writer);
    c.reads.push(r);
    if (read.returnMs < c.lo) c.lo = read.returnMs;
    if (read.invokeMs > c.hi) c.hi = read.invokeMs;
    if (writer !== INITIAL && read.returnMs < input[writer]!.invokeMs) readBeforeWrite = true;
  }
  // Writes that must have taken effect; an unknown write nobody read may as well never have.
  for (let i = 0; i < input.length; i++) {
    if (included[i] && input[i]!.kind === 'write' && input[i]!.returnMs !== Infinity) clusterFor(i);
  }

  const order = candidateOrder(clusters, input);
  const violated = readBeforeWrite || mapping.sourceless.length > 0 || hasTwoCycle(clusters);
  if (!violated) {
    if (respectsRealTime(order, input)) return { kind: 'linearizable', order, steps };
    return undefined;
  }
  // Under a guessed source for some absent read, a violation may be the guess's: let the search judge.
  if (mapping.guessed) return undefined;
  return { kind: 'violation', ...longestValidPrefix(order, mapping.sourceless, input), steps };
}

interface Cluster {
  readonly writer: number;
  readonly reads: number[];
  /** Earliest acknowledgement among the cluster's ops. */
  lo: number;
  /** Latest invocation among the cluster's ops. */
  hi: number;
}

/** Is there A ≠ B with lo(A) < hi(B) and lo(B) < hi(A)? Sorted by lo, with the two largest hi of each prefix. */
function hasTwoCycle(clusters: readonly Cluster[]): boolean {
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
    if (other && c.lo < other.hi) return true;
  }
  return false;
}

/**
 * Clusters by min(lo, hi), the ones whose ops share a common instant (lo ≥ hi) first on ties:
 * whenever A must precede B and not the reverse, this puts A first. Within a cluster: the
 * write, then its reads by invocation.
 */
function candidateOrder(clusters: readonly Cluster[], input: readonly RegisterOp[]): number[] {
  const at = (c: Cluster) => Math.min(c.lo, c.hi);
  const sorted = [...clusters].sort((a, b) => at(a) - at(b) || Number(a.lo < a.hi) - Number(b.lo < b.hi));
  const order: number[] = [];
  for (const c of sorted) {
    if (c.writer !== INITIAL) order.push(c.writer);
    const reads = [...c.reads].sort((a, b) => input[a]!.invokeMs - input[b]!.invokeMs);
    for (const r of reads) order.push(r);
  }
  return order;
}

/** No op in the order finished before an earlier one started. */
function respectsRealTime(order: readonly number[], input: readonly RegisterOp[]): boolean {
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

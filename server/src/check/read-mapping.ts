import type { RegisterOp } from './register-ops';

/** The initial state as a source: the "write" that made every key absent before time began. */
export const INITIAL = -1;

/**
 * For each read, the one writer whose value it can have returned (an index into the ops, or
 * INITIAL), or undefined when some read has more than one possible source.
 *
 * With every value written once, a read names its write. The absent value is the exception:
 * the initial state and every delete produce it. A read that found the key absent has a
 * forced source only when exactly one of those is live for it — a source S is dead for a read
 * R when some acknowledged write X (of any value) started after S was acknowledged and was
 * acknowledged before R started, since every valid order then puts X between S and R, and R
 * reads whatever the last write before it left. Any valid order uses a live source, so when
 * only one is live the mapping is what every valid order does, and checking under it is exact.
 * A read of a value (not absent) kills S just as well: the key held something else between S
 * and R, so a write came between them.
 * When none is live the read is mapped to its newest candidate: that source is dead, so the
 * cluster check finds the X that must sit between them, as it should (no order exists).
 *
 * Reads whose value nobody wrote get no entry in `sources`; `sourceless` lists them.
 *
 * With a `guess`, a read with several live sources is mapped to one of them anyway, and
 * `guessed` says so: 'latest' takes the live source begun last before the read ended,
 * 'before' the one begun last before the read began (else the first begun during it). A
 * guessed mapping can only prove a history linearizable, by the order it yields; a violation
 * under it may be the guess's fault. 'tightest' goes through the ambiguous reads by invocation
 * and picks the source whose cluster (see unique-writes.ts) the read stretches least into a
 * span that others must not overlap.
 *
 * 'leave-out' maps no ambiguous read at all (they get no entry in `sources`, and `guessed`
 * stays false): the mapping of the history without them, which is forced — the reads left out
 * found the key absent, and only writes and reads of a value rule sources out. What has no
 * valid order without some reads has none with them either, so a violation under it holds.
 */
export type SourceGuess = 'latest' | 'before' | 'tightest' | 'leave-out';

export interface ReadMapping {
  /** Read index → writer index (or INITIAL). */
  readonly sources: Map<number, number>;
  readonly sourceless: number[];
  readonly guessed: boolean;
}

export function mapReadsToWrites(ops: readonly RegisterOp[], included: readonly boolean[], guess?: SourceGuess): ReadMapping | undefined {
  const writerOf = new Map<string, number>();
  const deletes: number[] = [];
  /** Ops that prove a write took effect by their acknowledgement: acknowledged writes, reads of a value. */
  const acked: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (!included[i]) continue;
    if (op.returnMs !== Infinity && (op.kind === 'write' || op.value !== null)) acked.push(i);
    if (op.kind !== 'write') continue;
    if (op.value === null) deletes.push(i);
    else if (writerOf.has(op.value)) return undefined; // a value written twice: no forced mapping
    else writerOf.set(op.value, i);
  }

  const sources = new Map<number, number>();
  const sourceless: number[] = [];
  let guessed = false;
  const ambiguous: { read: number; live: number[] }[] = [];
  // Those by acknowledgement, with the latest start among those acknowledged so far.
  acked.sort((a, b) => ops[a]!.returnMs - ops[b]!.returnMs);
  const latestStart: number[] = [];
  let latest = -Infinity;
  for (const i of acked) latestStart.push((latest = Math.max(latest, ops[i]!.invokeMs)));
  deletes.sort((a, b) => ops[a]!.invokeMs - ops[b]!.invokeMs);

  for (let r = 0; r < ops.length; r++) {
    const read = ops[r]!;
    if (!included[r] || read.kind !== 'read') continue;
    if (read.value !== null) {
      const w = writerOf.get(read.value);
      if (w === undefined) sourceless.push(r);
      else sources.set(r, w);
      continue;
    }
    // The latest start of such an op acknowledged before the read started.
    const done = countBelow(acked, (i) => ops[i]!.returnMs < read.invokeMs);
    const overwrittenBefore = done === 0 ? -Infinity : latestStart[done - 1]!;
    let live = done === 0 ? 1 : 0;
    let source = done === 0 ? INITIAL : -2;
    let newest = INITIAL;
    let before = source; // latest live begun before the read, else first live begun during it
    for (const d of deletes) {
      const del = ops[d]!;
      if (del.invokeMs > read.returnMs) break;
      newest = d;
      if (del.returnMs >= overwrittenBefore) {
        live++;
        source = d; // ends as the latest live
        if (del.invokeMs <= read.invokeMs || before === -2) before = d;
      }
    }
    if (live > 1) {
      if (!guess) return undefined;
      if (guess === 'leave-out') continue;
      guessed = true;
      if (guess === 'before') source = before;
      if (guess === 'tightest') {
        ambiguous.push({ read: r, live: liveSources(read, done === 0, overwrittenBefore) });
        continue;
      }
    }
    sources.set(r, live >= 1 ? source : newest);
  }
  if (ambiguous.length > 0) pickTightest(ops, ambiguous, sources);
  return { sources, sourceless, guessed };

  function liveSources(read: RegisterOp, initialLive: boolean, overwrittenBefore: number): number[] {
    const live = initialLive ? [INITIAL] : [];
    for (const d of deletes) {
      const del = ops[d]!;
      if (del.invokeMs > read.returnMs) break;
      if (del.returnMs >= overwrittenBefore) live.push(d);
    }
    return live;
  }
}

/**
 * The 'tightest' guess: a cluster's ops must span at least [earliest acknowledgement, latest
 * invocation] when that is not empty, and two such spans must not overlap; so each read goes
 * where it widens that span least, the latest source on ties.
 */
function pickTightest(ops: readonly RegisterOp[], ambiguous: { read: number; live: number[] }[], sources: Map<number, number>): void {
  const bounds = new Map<number, { lo: number; hi: number }>();
  const boundsOf = (writer: number) => {
    let b = bounds.get(writer);
    if (!b) {
      b = writer === INITIAL ? { lo: -Infinity, hi: -Infinity } : { lo: ops[writer]!.returnMs, hi: ops[writer]!.invokeMs };
      bounds.set(writer, b);
    }
    return b;
  };
  for (const [r, writer] of sources) {
    const b = boundsOf(writer);
    b.lo = Math.min(b.lo, ops[r]!.returnMs);
    b.hi = Math.max(b.hi, ops[r]!.invokeMs);
  }
  const span = (lo: number, hi: number) => Math.max(0, hi - lo);
  ambiguous.sort((a, b) => ops[a.read]!.invokeMs - ops[b.read]!.invokeMs);
  for (const { read, live } of ambiguous) {
    const op = ops[read]!;
    let best = live[live.length - 1]!;
    let bestCost = Infinity;
    for (let i = live.length - 1; i >= 0; i--) {
      const b = boundsOf(live[i]!);
      const lo = Math.min(b.lo, op.returnMs);
      const hi = Math.max(b.hi, op.invokeMs);
      // The initial state's span starts at the beginning of time: what grows is how far it reaches.
      const cost = lo === -Infinity ? (b.hi === -Infinity ? Number.MAX_VALUE : hi - b.hi) : span(lo, hi) - span(b.lo, b.hi);
      if (cost < bestCost) {
        bestCost = cost;
        best = live[i]!;
      }
    }
    const b = boundsOf(best);
    b.lo = Math.min(b.lo, op.returnMs);
    b.hi = Math.max(b.hi, op.invokeMs);
    sources.set(read, best);
  }
}

/** How many leading items of `sorted` satisfy `below` (which holds for a prefix). */
function countBelow(sorted: readonly number[], below: (i: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(sorted[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

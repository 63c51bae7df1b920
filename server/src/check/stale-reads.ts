import type { History } from '@clusterlab/shared';
import { countWhile } from './binary-search';
import { Describer } from './describe';
import { overwrittenSentence } from './overwrite-phrases';
import { registerOpsByKey, setsValue, type RegisterOp } from './register-ops';
import { hasNoSource, observed, sourcesOfReads, type ReadSources } from './sources';

/**
 * A stale read: an acknowledged read that returned a value which had already been overwritten
 * by a write acknowledged before the read started.
 *
 * Precisely, read R (outcome ok) of key k returned v, and there is a write or delete W of k
 * (outcome ok, value ≠ v) such that
 *   - W was acknowledged before R was invoked, and
 *   - every write that could have produced v — a write of v (a delete, if v is absent) that did
 *     not fail and was invoked no later than R completed — was acknowledged before W was invoked.
 *     The initial state (absent) counts as acknowledged at the beginning of time.
 * So in any order consistent with real time, W comes after every source of v and before R:
 * R cannot have seen v. A write of v with an unknown outcome may have taken effect at any
 * later moment, so it always rescues the read. A value that nobody wrote at all is not a stale
 * read (there is nothing to be stale about); the linearizability check reports it.
 *
 * A cas that took effect (outcome ok) read the value it expected, at the instant it wrote its
 * own: it is a stale read when that expected value had been overwritten in the same way, and
 * as a write it is a W or a source like any other. (A cas of unknown outcome may never have
 * happened, so it is never the read.)
 */
export interface StaleRead {
  readonly kind: 'stale-read';
  readonly key: string;
  readonly readOpId: number;
  /** What the read returned, or the cas expected (null: found absent). */
  readonly value: string | null;
  readonly readInvokeMs: number;
  /** The last acknowledged write (or delete) that had replaced the value before the read started. */
  readonly overwrittenByOpId: number;
  readonly overwrittenByValue: string | null;
  readonly overwriteAckMs: number;
  /** The writes that had produced the value read (empty when only the initial state did). */
  readonly sourceOpIds: number[];
  readonly sentence: string;
}

export function findStaleReads(history: History, describe = Describer.forHistory(history)): StaleRead[] {
  const found: StaleRead[] = [];
  for (const [key, ops] of registerOpsByKey(history)) {
    const sourcesOf = sourcesOfReads(ops);
    const overwriters = lastOverwriters(ops, sourcesOf);
    for (const read of ops) {
      const overwriter = overwriters.get(read);
      if (!overwriter) continue;
      found.push({
        kind: 'stale-read',
        key,
        readOpId: read.source.id,
        value: read.kind === 'cas' ? read.expected : read.value,
        readInvokeMs: read.invokeMs,
        overwrittenByOpId: overwriter.source.id,
        overwrittenByValue: overwriter.value,
        overwriteAckMs: overwriter.returnMs,
        sourceOpIds: sourcesOf.get(read)!.writes.map((w) => w.source.id),
        sentence: `Stale read #${read.source.id}: ${overwrittenSentence(read, overwriter, ops, describe)}.`,
      });
    }
  }
  return found;
}

/**
 * For each read of one key, the write `overwriterBefore` (sources.ts) names — the last
 * acknowledged before the read began among those invoked after every source of its value was
 * acknowledged — for all the key's reads at once, in O(n log n) rather than a scan of the key
 * per read: a key read a thousand times in a long run would otherwise cost a million steps.
 *
 * Reads go in order of invocation; writes join as their acknowledgement passes it; each read
 * asks for the latest acknowledged among the joined writes invoked after its sources' last
 * acknowledgement (a prefix maximum over invocation times, counted from the latest). Such a
 * write never has the read's own value: invoked before the read ended, it would be a source.
 */
function lastOverwriters(ops: readonly RegisterOp[], sourcesOf: Map<RegisterOp, ReadSources>): Map<RegisterOp, RegisterOp> {
  const writes = ops.map((op, order) => ({ op, order })).filter((w) => setsValue(w.op) && Number.isFinite(w.op.returnMs));
  const out = new Map<RegisterOp, RegisterOp>();
  if (writes.length === 0) return out;
  // Positions by invocation, latest first, so "invoked after T" is a prefix.
  const byInvoke = [...writes].sort((a, b) => b.op.invokeMs - a.op.invokeMs);
  const position = new Map(byInvoke.map((w, i) => [w, i]));
  const best = new PrefixBest<(typeof writes)[number]>(byInvoke.length, (a, b) => a.op.returnMs > b.op.returnMs || (a.op.returnMs === b.op.returnMs && a.order < b.order));
  const byAck = [...writes].sort((a, b) => a.op.returnMs - b.op.returnMs);
  const reads = ops.filter((op) => observed(op) && !hasNoSource(sourcesOf.get(op)!)).sort((a, b) => a.invokeMs - b.invokeMs);
  let joined = 0;
  for (const read of reads) {
    while (joined < byAck.length && byAck[joined]!.op.returnMs < read.invokeMs) {
      best.offer(position.get(byAck[joined]!)!, byAck[joined]!);
      joined++;
    }
    // Every source acknowledged before: +Infinity when one may still take effect (unknown outcome).
    const sourcesDone = sourcesOf.get(read)!.writes.reduce((latest, w) => Math.max(latest, w.returnMs), -Infinity);
    // How many writes (latest invocation first) were invoked after the sources were all done.
    const after = countWhile(byInvoke.length, (i) => byInvoke[i]!.op.invokeMs > sourcesDone);
    const found = after > 0 ? best.query(after - 1) : undefined;
    if (found) out.set(read, found.op);
  }
  return out;
}

/** A Fenwick tree of the best item at each position, asked for the best among positions 0..i. */
class PrefixBest<T> {
  private readonly tree: (T | undefined)[];

  constructor(
    size: number,
    private readonly better: (a: T, b: T) => boolean,
  ) {
    this.tree = new Array<T | undefined>(size + 1).fill(undefined);
  }

  offer(position: number, item: T): void {
    for (let i = position + 1; i < this.tree.length; i += i & -i) {
      const held = this.tree[i];
      if (held === undefined || this.better(item, held)) this.tree[i] = item;
    }
  }

  query(position: number): T | undefined {
    let found: T | undefined;
    for (let i = position + 1; i > 0; i -= i & -i) {
      const held = this.tree[i];
      if (held !== undefined && (found === undefined || this.better(held, found))) found = held;
    }
    return found;
  }
}

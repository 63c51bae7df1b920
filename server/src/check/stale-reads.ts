import type { History } from '@clusterlab/shared';
import { Describer } from './describe';
import { overwrittenSentence } from './overwrite-phrases';
import { registerOpsByKey } from './register-ops';
import { overwriterBefore, readSources } from './sources';

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
 */
export interface StaleRead {
  readonly kind: 'stale-read';
  readonly key: string;
  readonly readOpId: number;
  /** What the read returned (null: found absent). */
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
    for (const read of ops) {
      if (read.kind !== 'read') continue;
      const overwriter = overwriterBefore(read, ops);
      if (!overwriter) continue;
      found.push({
        kind: 'stale-read',
        key,
        readOpId: read.source.id,
        value: read.value,
        readInvokeMs: read.invokeMs,
        overwrittenByOpId: overwriter.source.id,
        overwrittenByValue: overwriter.value,
        overwriteAckMs: overwriter.returnMs,
        sourceOpIds: readSources(read, ops).writes.map((w) => w.source.id),
        sentence: `Stale read #${read.source.id}: ${overwrittenSentence(read, overwriter, ops, describe)}.`,
      });
    }
  }
  return found;
}

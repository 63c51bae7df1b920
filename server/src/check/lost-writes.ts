import type { History } from '@clusterlab/shared';
import { Describer, label, returned, showValue } from './describe';
import { registerOpsByKey, type RegisterOp } from './register-ops';
import { hasNoSource, readSources } from './sources';

/**
 * A lost write: an acknowledged write whose effect vanished — a later read saw an older value,
 * and the written value was never seen again.
 *
 * Precisely, write (or delete) W of key k with outcome ok, which wrote w, is lost when there is
 * an ok read R of k such that
 *   1. R was invoked after W was acknowledged;
 *   2. R returned an older value v ≠ w: v has at least one possible source — a write of v (a
 *      delete, if v is absent) that did not fail and was invoked no later than R completed, or the
 *      initial state if v is absent — and every one of them was acknowledged before W was
 *      invoked. (So a read that found the key absent only counts when no delete could explain
 *      it: every delete was over before W began.)
 *   3. no ok read of k invoked when or after R completed returned w.
 * R is the first read satisfying 1 and 2. Every lost write is thus witnessed by a stale read;
 * the difference is that here the value never came back.
 *
 * Conservative on purpose: if w is written again later and read, W counts as seen again, and a
 * read concurrent with W proves nothing. It never calls a write lost that may not be.
 */
export interface LostWrite {
  readonly kind: 'lost-write';
  readonly key: string;
  readonly writeOpId: number;
  /** What the lost write wrote (null for a delete). */
  readonly value: string | null;
  readonly writeAckMs: number;
  /** The first read, after the acknowledgement, that saw an older value. */
  readonly readOpId: number;
  readonly readValue: string | null;
  readonly readInvokeMs: number;
  readonly sentence: string;
}

export function findLostWrites(history: History, describe = Describer.forHistory(history)): LostWrite[] {
  const found: LostWrite[] = [];
  for (const [key, ops] of registerOpsByKey(history)) {
    const reads = ops.filter((op) => op.kind === 'read').sort((a, b) => a.invokeMs - b.invokeMs);
    // The latest ack among a read's possible sources: the read's value is older than any write
    // invoked after it. -Infinity when only the initial state explains it; none if nothing does.
    const newestSourceAck = new Map<RegisterOp, number>();
    for (const read of reads) {
      const sources = readSources(read, ops);
      if (hasNoSource(sources)) continue;
      newestSourceAck.set(read, sources.writes.reduce((newest, w) => Math.max(newest, w.returnMs), -Infinity));
    }
    // When a value was last read, to decide "never seen again" in O(1).
    const lastReadOf = new Map<string | null, number>();
    for (const read of reads) lastReadOf.set(read.value, Math.max(lastReadOf.get(read.value) ?? -Infinity, read.invokeMs));

    for (const write of ops) {
      if (write.kind !== 'write' || write.source.outcome !== 'ok') continue;
      const witness = reads.find((read) => {
        const sourceAck = newestSourceAck.get(read);
        return (
          sourceAck !== undefined &&
          read.invokeMs > write.returnMs &&
          read.value !== write.value &&
          sourceAck < write.invokeMs
        );
      });
      if (!witness) continue;
      if ((lastReadOf.get(write.value) ?? -Infinity) >= witness.returnMs) continue;
      found.push({
        kind: 'lost-write',
        key,
        writeOpId: write.source.id,
        value: write.value,
        writeAckMs: write.returnMs,
        readOpId: witness.source.id,
        readValue: witness.value,
        readInvokeMs: witness.invokeMs,
        sentence:
          `Lost write #${write.source.id}: ${label(write.source)} was acknowledged at ${describe.at(write.returnMs)}, ` +
          `but a read at ${describe.at(witness.invokeMs)} (which started after it finished) ${returned(witness.value)}, ` +
          `${witness.value === null ? 'as it had been before' : 'an older value'}, and ${write.value === null ? 'the key was never found absent' : `${showValue(write.value)} was never read`} again.`,
      });
    }
  }
  return found;
}

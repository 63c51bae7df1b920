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
 * When none is live the read is mapped to its newest candidate: that source is dead, so the
 * cluster check finds the X that must sit between them, as it should (no order exists).
 *
 * Reads whose value nobody wrote get no entry in `sources`; `sourceless` lists them.
 *
 * With `guess`, a read with several live sources is mapped to one of them anyway (the latest
 * begun before the read began, else the first begun after), and `guessed` says so. A guessed
 * mapping can only prove a history linearizable, by the order it yields; a violation under it
 * may be the guess's fault.
 */
export interface ReadMapping {
  /** Read index → writer index (or INITIAL). */
  readonly sources: Map<number, number>;
  readonly sourceless: number[];
  readonly guessed: boolean;
}

export function mapReadsToWrites(ops: readonly RegisterOp[], included: readonly boolean[], guess = false): ReadMapping | undefined {
  const writerOf = new Map<string, number>();
  const deletes: number[] = [];
  const acked: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (!included[i] || op.kind !== 'write') continue;
    if (op.returnMs !== Infinity) acked.push(i);
    if (op.value === null) deletes.push(i);
    else if (writerOf.has(op.value)) return undefined; // a value written twice: no forced mapping
    else writerOf.set(op.value, i);
  }

  const sources = new Map<number, number>();
  const sourceless: number[] = [];
  let guessed = false;
  // Acknowledged writes by acknowledgement, with the latest start among those acknowledged so far.
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
    // The latest start of an acknowledged write acknowledged before the read started.
    const done = countBelow(acked, (i) => ops[i]!.returnMs < read.invokeMs);
    const overwrittenBefore = done === 0 ? -Infinity : latestStart[done - 1]!;
    let live = done === 0 ? 1 : 0;
    let source = done === 0 ? INITIAL : -2;
    let newest = INITIAL;
    let likeliest = source; // the guess: latest live begun before the read, else first live begun during it
    for (const d of deletes) {
      const del = ops[d]!;
      if (del.invokeMs > read.returnMs) break;
      newest = d;
      if (del.returnMs >= overwrittenBefore) {
        live++;
        source = d;
        if (del.invokeMs <= read.invokeMs || likeliest === -2) likeliest = d;
      }
    }
    if (live > 1) {
      if (!guess) return undefined;
      guessed = true;
      source = likeliest;
    }
    sources.set(r, live >= 1 ? source : newest);
  }
  return { sources, sourceless, guessed };
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

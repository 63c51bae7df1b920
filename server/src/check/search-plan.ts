import type { RegisterOp } from './register-ops';

/** An op the search has to consider, and the moment by which it must have been placed. */
export interface PlannedOp {
  /** Position of the op in the search's input. */
  readonly index: number;
  readonly op: RegisterOp;
  readonly invokeMs: number;
  /** Its acknowledgement; for an unknown-outcome write, possibly an earlier read's end (see below); else +Infinity. */
  readonly deadlineMs: number;
}

/**
 * Writes of unknown outcome are what makes a search blow up: with no deadline, each one could
 * be placed anywhere after its invocation, and a failing search must try every combination.
 * Two facts about registers tame most of them:
 *
 * 1. An unknown write whose value no read returned can be left out. In any valid order, no
 *    read sits between it and the next write (that read would have returned its value), so
 *    removing it leaves a valid order. Leaving it out is always at least as good as placing it.
 * 2. An unknown write that is the only possible source of some read's value — the only write
 *    of that value invoked by the time the read ended — must come before that read, and so
 *    before the read's end: that is its deadline. For an unknown delete and a read that found
 *    the key absent, the initial state is another possible source, unless some write was
 *    acknowledged before the read started.
 *
 * Both are exact, so the verdict does not change; only the work does.
 */
export function planSearch(ops: readonly RegisterOp[]): PlannedOp[] {
  const byValue = new Map<string | null, { reads: RegisterOp[]; writes: RegisterOp[] }>();
  for (const op of ops) {
    let group = byValue.get(op.value);
    if (!group) byValue.set(op.value, (group = { reads: [], writes: [] }));
    (op.kind === 'read' ? group.reads : group.writes).push(op);
  }
  // Before this, a read may still have seen the initial state; after it, some write had landed.
  const firstAckMs = ops.reduce((first, op) => (op.kind === 'write' ? Math.min(first, op.returnMs) : first), Infinity);
  const planned: PlannedOp[] = [];
  ops.forEach((op, index) => {
    if (op.kind === 'write' && op.returnMs === Infinity) {
      const group = byValue.get(op.value);
      if (!group || group.reads.length === 0) return;
      planned.push({ index, op, invokeMs: op.invokeMs, deadlineMs: soleSourceDeadline(op, group.reads, group.writes, firstAckMs) });
    } else {
      planned.push({ index, op, invokeMs: op.invokeMs, deadlineMs: op.returnMs });
    }
  });
  return planned;
}

/** The earliest end of a read (of the write's value) that only `write` can explain; +Infinity if none. */
function soleSourceDeadline(
  write: RegisterOp,
  reads: readonly RegisterOp[],
  writesOfValue: readonly RegisterOp[],
  firstAckMs: number,
): number {
  let deadline = Infinity;
  for (const read of reads) {
    if (!(write.invokeMs <= read.returnMs) || !(read.returnMs < deadline)) continue;
    if (read.value === null && !(firstAckMs < read.invokeMs)) continue;
    const otherSource = writesOfValue.some((other) => other !== write && other.invokeMs <= read.returnMs);
    if (!otherSource) deadline = read.returnMs;
  }
  return deadline;
}

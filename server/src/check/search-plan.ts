import type { RegisterOp } from './register-ops';

/** An op the search has to consider, and the moment by which it must have been placed. */
export interface PlannedOp {
  /** Position of the op in the search's input. */
  readonly index: number;
  readonly op: RegisterOp;
  readonly invokeMs: number;
  /** Its acknowledgement; +Infinity for an unknown-outcome write, which has no deadline. */
  readonly deadlineMs: number;
}

/**
 * Writes of unknown outcome are what makes a search blow up: with no deadline, each one could
 * be placed anywhere after its invocation, and a failing search must try every combination.
 * One fact about registers tames most of them: an unknown write whose value no read returned
 * can be left out. In any valid order, no read sits between it and the next write (that read
 * would have returned its value), so removing it leaves a valid order; leaving it out is always
 * at least as good as placing it. The rule is exact, so the verdict does not change, only the
 * work. (Timed-out writes that nobody saw are the common case: a crashed leader's last writes.)
 */
export function planSearch(ops: readonly RegisterOp[]): PlannedOp[] {
  const readValues = new Set<string | null>();
  for (const op of ops) if (op.kind === 'read') readValues.add(op.value);
  const planned: PlannedOp[] = [];
  ops.forEach((op, index) => {
    const unknownWrite = op.kind === 'write' && op.returnMs === Infinity;
    if (unknownWrite && !readValues.has(op.value)) return;
    planned.push({ index, op, invokeMs: op.invokeMs, deadlineMs: op.returnMs });
  });
  return planned;
}

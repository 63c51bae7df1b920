import { observedValue, setsValue, type RegisterOp, type RegisterValue } from './register-ops';

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
 * Facts about registers tame most of them, each exact — it leaves out only ops that some valid
 * order leaves out whenever any valid order exists — so the verdict does not change, only the
 * work:
 *
 * - An unknown write whose value nobody observed (no read returned it, no cas expected it) can
 *   be left out. In any valid order, nothing that observes the register sits between it and
 *   the next write (it would have seen its value), so removing it leaves a valid order.
 *   (Timed-out writes that nobody saw are the common case: a crashed leader's last writes.)
 * - An unknown cas that changes nothing (it expected what it writes) can be left out: without
 *   it the register holds the same values throughout.
 * - An unknown cas that expected a value no op writes (other than absent, the initial state)
 *   fits nowhere, and goes.
 * - An unknown cas that expected a value with one possible source (one op writes it; for
 *   absent, none does, so the initial state is the one), when an acknowledged cas that changes
 *   the value expected it too, fits nowhere either: both would need that source to be the last
 *   write before them, and whichever came second would have the other in between. This is
 *   what keeps retry loops cheap: their timed-out attempts pile up otherwise, each tried at
 *   every step of the search.
 *
 * Leaving out an unknown cas takes away a write of its value and an expectation of the value
 * before, which may make another op go in turn, so the rules are applied until nothing more goes.
 */
export function planSearch(ops: readonly RegisterOp[]): PlannedOp[] {
  const left = leftOut(ops);
  const planned: PlannedOp[] = [];
  ops.forEach((op, index) => {
    if (!left.has(index)) planned.push({ index, op, invokeMs: op.invokeMs, deadlineMs: op.returnMs });
  });
  return planned;
}

/** Indexes of the unknown-outcome writes and cas the rules above leave out. */
function leftOut(ops: readonly RegisterOp[]): Set<number> {
  const observers = new Counts();
  const setters = new Counts();
  /** Acknowledged cas that change the value, by the value they expected. */
  const ackedChanges = new Counts();
  const unknownSetters = new Map<RegisterValue, number[]>();
  const unknownCas = new Map<RegisterValue, number[]>();
  ops.forEach((op, i) => {
    const seen = observedValue(op);
    if (seen !== undefined) observers.add(seen, 1);
    if (setsValue(op)) setters.add(op.value, 1);
    if (op.kind === 'cas' && op.returnMs !== Infinity && op.value !== op.expected) ackedChanges.add(op.expected, 1);
    if (setsValue(op) && op.returnMs === Infinity) push(unknownSetters, op.value, i);
    if (op.kind === 'cas' && op.returnMs === Infinity) push(unknownCas, op.expected, i);
  });

  const goes = (op: RegisterOp): boolean => {
    if (op.kind === 'cas' && op.expected === op.value) return true;
    if (observers.get(op.value) === 0) return true;
    if (op.kind !== 'cas') return false;
    if (op.expected !== null && setters.get(op.expected) === 0) return true;
    const sources = op.expected === null ? 1 + setters.get(null) : setters.get(op.expected);
    return sources === 1 && ackedChanges.get(op.expected) > 0;
  };

  const left = new Set<number>();
  const pending = [...unknownSetters.values()].flat();
  while (pending.length > 0) {
    const i = pending.pop()!;
    const op = ops[i]!;
    if (left.has(i) || !goes(op)) continue;
    left.add(i);
    // Fewer writes of its value, and one fewer expectation of the value before: look again at
    // what that may let go.
    setters.add(op.value, -1);
    pending.push(...(unknownCas.get(op.value) ?? []));
    if (op.kind === 'cas') {
      observers.add(op.expected, -1);
      pending.push(...(unknownSetters.get(op.expected) ?? []));
    }
  }
  return left;
}

class Counts {
  private readonly counts = new Map<RegisterValue, number>();

  get(value: RegisterValue): number {
    return this.counts.get(value) ?? 0;
  }

  add(value: RegisterValue, n: number): void {
    this.counts.set(value, this.get(value) + n);
  }
}

function push(map: Map<RegisterValue, number[]>, value: RegisterValue, i: number): void {
  const list = map.get(value);
  if (list) list.push(i);
  else map.set(value, [i]);
}

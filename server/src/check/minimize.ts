import type { RegisterOp } from './register-ops';
import { searchLinearization } from './search';
import { hasNoSource, readSources } from './sources';

/** Work allowed for shrinking one key's violation, shared by all the checks it runs. */
export interface StepBudget {
  remaining: number;
}

export interface Witness {
  readonly ops: RegisterOp[];
  /** False when the budget ran out (or a check gave up) before the witness was fully shrunk. */
  readonly minimal: boolean;
}

/**
 * Shrinks a non-linearizable register history to a small set of ops that on its own has no
 * valid order — the few operations a learner needs to see. It is delta debugging: try to drop
 * half of the ops, then quarters, ... then single ops, keeping each removal after which the
 * rest is still a violation. The result is 1-minimal: dropping any one op more would leave
 * a linearizable history.
 *
 * One rule keeps the witness honest: it always holds every possible source of each of its
 * reads' values (every write of that value that started no later than the read ended). Otherwise
 * "read → 5 after write 7" could shrink to a lone "read → 5", blaming a value nobody wrote
 * instead of a stale read; and an argument like "every write of 5 came before the write of 7"
 * could hold in the witness but not in the history. With the rule, any valid order of the
 * history, restricted to the witness, would be a valid order of the witness — so a witness
 * without one proves the history has none, and what is said about it is true of the history.
 */
export function shrinkViolation(ops: readonly RegisterOp[], budget: StepBudget, hint?: RegisterOp): Witness {
  let complete = true;
  const stillViolates = (candidate: readonly RegisterOp[]): boolean => {
    if (budget.remaining <= 0) {
      complete = false;
      return false;
    }
    const outcome = searchLinearization(candidate, budget.remaining);
    budget.remaining -= outcome.steps;
    if (outcome.kind === 'gave-up') complete = false;
    return outcome.kind === 'violation';
  };

  // A read whose value nobody wrote is a violation all by itself.
  const orphan = ops.find((op) => op.kind === 'read' && hasNoSource(readSources(op, ops)));
  if (orphan) return { ops: [orphan], minimal: true };

  const sourcesOf = new Map(ops.filter((op) => op.kind === 'read').map((read) => [read, readSources(read, ops)]));
  /** Dropping `removed` from `kept` takes no source away from a read that stays. */
  const keepsSources = (kept: readonly RegisterOp[], removed: readonly RegisterOp[]): boolean => {
    const gone = new Set(removed);
    for (const read of kept) {
      if (read.kind !== 'read' || gone.has(read)) continue;
      if (sourcesOf.get(read)?.writes.some((w) => gone.has(w))) return false;
    }
    return true;
  };

  let kept = [...ops];
  // Cheap first cut: ops that started after the stuck op had returned rarely matter.
  if (hint) {
    const late = kept.filter((op) => op.invokeMs > hint.returnMs);
    if (late.length > 0 && keepsSources(kept, late)) {
      const lateSet = new Set(late);
      const rest = kept.filter((op) => !lateSet.has(op));
      if (stillViolates(rest)) kept = rest;
    }
  }

  let chunkSize = Math.ceil(kept.length / 2);
  for (;;) {
    let removedAny = false;
    for (let start = 0; start < kept.length; ) {
      if (budget.remaining <= 0) return { ops: kept, minimal: false };
      const chunk = kept.slice(start, start + chunkSize);
      const rest = [...kept.slice(0, start), ...kept.slice(start + chunkSize)];
      if (rest.length > 0 && keepsSources(kept, chunk) && stillViolates(rest)) {
        kept = rest;
        removedAny = true;
      } else {
        start += chunkSize;
      }
    }
    // Single-op passes repeat until nothing more can go: only then is the witness 1-minimal.
    if (chunkSize === 1 && !removedAny) break;
    chunkSize = Math.max(1, Math.ceil(chunkSize / 2));
  }
  return { ops: kept, minimal: complete };
}

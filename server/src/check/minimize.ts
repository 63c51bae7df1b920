import type { RegisterOp } from './register-ops';
import { decideRegister } from './decide';
import { hasNoSource, observed, sourcesOfReads, sourcesToKeep } from './sources';

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
 * One rule keeps the witness honest: it always holds every live source of each of its reads
 * and cas (see sourcesToKeep: the writes the value read, or expected, can have come from in a
 * valid order). Otherwise
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
    const outcome = decideRegister(candidate, budget.remaining);
    budget.remaining -= outcome.steps;
    if (outcome.kind === 'gave-up') complete = false;
    return outcome.kind === 'violation';
  };

  const allSources = sourcesOfReads(ops);
  // A read whose value nobody wrote is a violation all by itself; so is a cas that took effect
  // from a value nobody wrote (one of unknown outcome simply never did).
  for (const [read, sources] of allSources) {
    if (observed(read) && hasNoSource(sources)) return { ops: [read], minimal: true };
  }
  const sourcesOf = sourcesToKeep(ops, allSources);
  /** Dropping `removed` from `kept` takes no source away from a read that stays. */
  const keepsSources = (kept: readonly RegisterOp[], removed: readonly RegisterOp[]): boolean => {
    const gone = new Set(removed);
    for (const read of kept) {
      if (gone.has(read)) continue;
      if (sourcesOf.get(read)?.some((w) => gone.has(w))) return false;
    }
    return true;
  };

  let kept = hint ? smallestViolatingWindow(ops, hint, sourcesOf, stillViolates) : [...ops];
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

/**
 * A first, cheap cut for long histories: the ops around the one the search got stuck on,
 * plus the sources of their reads and cas, in windows that double until one already violates.
 * Checking a small window costs little, and most violations are local.
 */
function smallestViolatingWindow(
  ops: readonly RegisterOp[],
  hint: RegisterOp,
  sourcesOf: ReadonlyMap<RegisterOp, readonly RegisterOp[]>,
  stillViolates: (candidate: readonly RegisterOp[]) => boolean,
): RegisterOp[] {
  const byInvoke = [...ops].sort((a, b) => a.invokeMs - b.invokeMs);
  const at = byInvoke.indexOf(hint);
  for (let radius = 8; radius < ops.length; radius *= 2) {
    const window = new Set(byInvoke.slice(Math.max(0, at - radius), at + radius + 1));
    // A source may be a cas with sources of its own: the window takes them all, transitively.
    const pending = [...window];
    while (pending.length > 0) {
      for (const source of sourcesOf.get(pending.pop()!) ?? []) {
        if (window.has(source)) continue;
        window.add(source);
        pending.push(source);
      }
    }
    const candidate = ops.filter((op) => window.has(op));
    if (candidate.length < ops.length && stillViolates(candidate)) return candidate;
  }
  return [...ops];
}

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
 * (see sourcesToKeep: the writes the value read can have come from in a valid order).
 * Otherwise "read → 5 after write 7" could shrink to a lone "read → 5", blaming a value nobody
 * wrote instead of a stale read; and an argument like "every write of 5 came before the write
 * of 7" could hold in the witness but not in the history. A cas keeps its condition only while
 * the witness holds every live source of what it expected; once one goes, the witness judges
 * it as a plain write of its value (see asWitness) — a weaker op, so nothing is blamed on the
 * missing write, and a cas chain does not drag every link back to the first write along. With
 * the rule, any valid order of the history, restricted to the witness, would be a valid order
 * of the witness — so a witness without one proves the history has none, and what is said
 * about it is true of the history.
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
      if (read.kind !== 'read' || gone.has(read)) continue;
      if (sourcesOf.get(read)?.some((w) => gone.has(w))) return false;
    }
    return true;
  };
  const violates = (candidate: readonly RegisterOp[]) => stillViolates(asWitness(candidate, sourcesOf));

  let kept = hint ? smallestViolatingWindow(ops, hint, sourcesOf, violates) : [...ops];
  let chunkSize = Math.ceil(kept.length / 2);
  for (;;) {
    let removedAny = false;
    for (let start = 0; start < kept.length; ) {
      if (budget.remaining <= 0) return { ops: asWitness(kept, sourcesOf), minimal: false };
      const chunk = kept.slice(start, start + chunkSize);
      const rest = [...kept.slice(0, start), ...kept.slice(start + chunkSize)];
      if (rest.length > 0 && keepsSources(kept, chunk) && violates(rest)) {
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
  return { ops: asWitness(kept, sourcesOf), minimal: complete };
}

/**
 * The ops kept, as the witness judges them: a cas missing one of the live sources of what it
 * expected becomes a plain write of its value. Any valid order of the ops as they are is still
 * one of the ops so weakened, which is all the witness needs.
 */
function asWitness(kept: readonly RegisterOp[], sourcesOf: ReadonlyMap<RegisterOp, readonly RegisterOp[]>): RegisterOp[] {
  const held = new Set(kept);
  return kept.map((op): RegisterOp => {
    if (op.kind !== 'cas' || (sourcesOf.get(op) ?? []).every((s) => held.has(s))) return op;
    return { kind: 'write', value: op.value, invokeMs: op.invokeMs, returnMs: op.returnMs, source: op.source };
  });
}

/**
 * A first, cheap cut for long histories: the ops around the one the search got stuck on,
 * plus the sources of their reads and cas, in windows that double until one already violates
 * (as a witness: a cas whose source is left out counts as a plain write).
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
    for (const op of [...window]) for (const source of sourcesOf.get(op) ?? []) window.add(source);
    const candidate = ops.filter((op) => window.has(op));
    if (candidate.length < ops.length && stillViolates(candidate)) return candidate;
  }
  return [...ops];
}

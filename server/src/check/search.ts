import { Bitset } from './bitset';
import { buildEntryList, lift, unlift, type Entry } from './entry-list';
import type { RegisterOp, RegisterValue } from './register-ops';
import { planSearch } from './search-plan';
import { StateCache } from './state-cache';

/**
 * What the search found for one key's register history. Op numbers are indexes into the
 * search's input.
 *
 * - `linearizable`: `order` is a valid sequential order of ops. Unknown-outcome ops missing
 *   from it simply never took effect (or took effect after everything else).
 * - `violation`: no order exists. `longestPrefix` is the longest sequence of ops the search
 *   managed to order on any path, and `stuckOp` the op whose deadline then came up before it
 *   could be placed: a starting point for an explanation.
 * - `gave-up`: the step budget ran out before a verdict.
 */
export type SearchOutcome =
  | { kind: 'linearizable'; order: number[]; steps: number }
  | { kind: 'violation'; longestPrefix: number[]; stuckOp: number; steps: number }
  | { kind: 'gave-up'; steps: number };

/**
 * Decides whether one register history is linearizable, with the Wing–Gong algorithm as
 * improved by Lowe (and implemented by Porcupine):
 *
 * Walk the time-ordered list of call and return entries. At a call entry, try to place that
 * op next: if the register allows it (a read must return the current value, a cas needs the
 * value it expected; a write always fits) and the resulting configuration (placed ops, value)
 * is new, push the choice, lift the op out of the list and start again from the front. At a
 * return entry, the op returning there was never placed although everything after it must
 * come later: the last choice was wrong, so pop it, put its op back, and try the entry after
 * it instead. The history is linearizable once every op with a deadline is placed; it is not
 * once there is no choice left to undo.
 *
 * `maxSteps` bounds the work: each attempt to place an op counts as one explored state.
 */
export function searchLinearization(input: readonly RegisterOp[], maxSteps: number): SearchOutcome {
  const plan = planSearch(input);
  const ops = plan.map((p) => p.op);
  const mustPlace = plan.map((p) => p.deadlineMs !== Infinity);
  const mustPlaceCount = mustPlace.filter(Boolean).length;
  const toInput = (i: number) => (i < 0 ? i : plan[i]!.index);
  if (mustPlaceCount === 0) return { kind: 'linearizable', order: [], steps: 0 };

  const head = buildEntryList(plan);
  const placed = new Bitset(ops.length);
  const cache = new StateCache();
  const choices: { call: Entry; stateBefore: RegisterValue }[] = [];
  let state: RegisterValue = null;
  let placedMustCount = 0;
  let steps = 0;

  // Witness bookkeeping for explanations: the deepest path seen and what stopped it.
  let longestPrefix: number[] = [];
  let stuckOp = -1;

  let entry = head.next;
  while (entry) {
    let backtrack = false;
    if (entry.match) {
      // A call entry: try to place its op now.
      if (++steps > maxSteps) return { kind: 'gave-up', steps: maxSteps };
      const op = ops[entry.op]!;
      const next = applyOp(state, op);
      if (next !== undefined && cache.add(placed.with(entry.op), next)) {
        choices.push({ call: entry, stateBefore: state });
        state = next;
        placed.set(entry.op);
        if (mustPlace[entry.op]) placedMustCount++;
        lift(entry);
        if (placedMustCount === mustPlaceCount) {
          return { kind: 'linearizable', order: choices.map((c) => toInput(c.call.op)), steps };
        }
        if (choices.length > longestPrefix.length) {
          longestPrefix = choices.map((c) => c.call.op);
          stuckOp = -1;
        }
        entry = head.next;
      } else if (next !== undefined && changesNothing(op)) {
        // It fits, and placing it led to a configuration already explored without success
        // (not one on this path: those have fewer ops placed). So this prefix has none either.
        backtrack = true;
      } else {
        entry = entry.next;
      }
    } else {
      // A return entry: its op had to be placed before now and was not. Undo the last choice.
      if (stuckOp === -1 && choices.length === longestPrefix.length) stuckOp = entry.op;
      backtrack = true;
    }
    if (backtrack) {
      // An op that changes nothing and fitted where it was placed never has to be tried later
      // instead: every valid order that places it later can place it there (anything that must
      // precede it was placed already, or its call could not have been reached). So once the
      // path through it fails, so has the prefix before it: undo on to the last op that did
      // change the register. What keeps reads of one value, placed in every possible subset,
      // from multiplying the work.
      let undo = choices.pop();
      for (;;) {
        if (!undo) return { kind: 'violation', longestPrefix: longestPrefix.map(toInput), stuckOp: toInput(stuckOp), steps };
        unlift(undo.call);
        placed.clear(undo.call.op);
        state = undo.stateBefore;
        if (mustPlace[undo.call.op]) placedMustCount--;
        if (!changesNothing(ops[undo.call.op]!)) break;
        undo = choices.pop();
      }
      entry = undo.call.next;
    }
  }
  // The list ends with a return entry, and a return either backtracks or ends the search.
  throw new Error('invariant: the linearizability search ran off the end of its entry list');
}

/** A read, or a cas that writes back what it expected: where it fits, the register stays as it was. */
function changesNothing(op: RegisterOp): boolean {
  return op.kind === 'read' || (op.kind === 'cas' && op.expected === op.value);
}

/**
 * The register's sequential specification: the value after `op`, or undefined when `op`
 * cannot happen in `state` (a read that returns something else than the register holds, a
 * cas that expected something else). A cas that did not apply was recorded as failed and
 * never gets here.
 */
export function applyOp(state: RegisterValue, op: RegisterOp): RegisterValue | undefined {
  switch (op.kind) {
    case 'write':
      return op.value;
    case 'read':
      return op.value === state ? state : undefined;
    case 'cas':
      return op.expected === state ? op.value : undefined;
  }
}

import { Bitset } from './bitset';
import { buildEntryList, lift, unlift, type Entry } from './entry-list';
import { isDefinite, type RegisterOp, type RegisterValue } from './register-ops';
import { StateCache } from './state-cache';

/**
 * What the search found for one key's register history.
 *
 * - `linearizable`: `order` is a valid sequential order of op indexes. Unknown-outcome ops
 *   missing from it simply never took effect (or took effect after everything else).
 * - `violation`: no order exists. `longestPrefix` is the longest sequence of ops the search
 *   managed to linearize on any path, and `stuckOp` the op whose return then came up before
 *   it could be placed: a starting point for an explanation.
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
 * Walk the time-ordered list of entries. At a call entry, try to linearize that op next: if the
 * register allows it (a read must return the current value; a write always fits) and the
 * resulting configuration is new, push the choice, lift the op out of the list and start again
 * from the front. At a return entry, the op returning there was never placed although every op
 * after it must come later: the last choice was wrong, so pop it, put its op back, and try the
 * entry after it instead. The history is linearizable once every op with a deadline is placed;
 * it is not once there is no choice left to undo.
 *
 * `maxSteps` bounds the work: each attempt to place an op counts as one explored state.
 */
export function searchLinearization(ops: readonly RegisterOp[], maxSteps: number): SearchOutcome {
  const definiteCount = ops.filter(isDefinite).length;
  if (definiteCount === 0) return { kind: 'linearizable', order: [], steps: 0 };

  const head = buildEntryList(ops);
  const linearized = new Bitset(ops.length);
  const cache = new StateCache();
  const choices: { call: Entry; stateBefore: RegisterValue }[] = [];
  let state: RegisterValue = null;
  let placedDefinite = 0;
  let steps = 0;

  // Witness bookkeeping for explanations: the deepest path seen and what stopped it.
  let longestPrefix: number[] = [];
  let stuckOp = -1;

  let entry = head.next;
  while (entry) {
    if (entry.match) {
      // A call entry: try to place its op now.
      if (++steps > maxSteps) return { kind: 'gave-up', steps: maxSteps };
      const op = ops[entry.op]!;
      const next = applyOp(state, op);
      if (next !== undefined && cache.add(linearized.with(entry.op), next)) {
        choices.push({ call: entry, stateBefore: state });
        state = next;
        linearized.set(entry.op);
        if (isDefinite(op)) placedDefinite++;
        lift(entry);
        if (placedDefinite === definiteCount) {
          return { kind: 'linearizable', order: choices.map((c) => c.call.op), steps };
        }
        if (choices.length > longestPrefix.length) {
          longestPrefix = choices.map((c) => c.call.op);
          stuckOp = -1;
        }
        entry = head.next;
      } else {
        entry = entry.next;
      }
    } else {
      // A return entry: its op had to be placed before now and was not. Undo the last choice.
      if (stuckOp === -1 && choices.length === longestPrefix.length) stuckOp = entry.op;
      const undo = choices.pop();
      if (!undo) return { kind: 'violation', longestPrefix, stuckOp, steps };
      unlift(undo.call);
      linearized.clear(undo.call.op);
      state = undo.stateBefore;
      if (isDefinite(ops[undo.call.op]!)) placedDefinite--;
      entry = undo.call.next;
    }
  }
  // The list always ends with a return entry, and returns either backtrack or end the search.
  throw new Error('invariant: the linearizability search ran off the end of its entry list');
}

/**
 * The register's sequential specification: the value after `op`, or undefined when `op`
 * cannot happen in `state` (a read that returns something else than the register holds).
 */
export function applyOp(state: RegisterValue, op: RegisterOp): RegisterValue | undefined {
  switch (op.kind) {
    case 'write':
      return op.value;
    case 'read':
      return op.value === state ? state : undefined;
  }
}

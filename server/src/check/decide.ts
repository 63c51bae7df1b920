import type { RegisterOp } from './register-ops';
import { searchLinearization, type SearchOutcome } from './search';
import { decideUniqueWrites } from './unique-writes';

/** How a key was decided: the polynomial check for forced read sources, or the search. */
export type DecisionMethod = 'unique-writes' | 'search';

/**
 * Decides one register history: by the O(n log n) check where every read's source is forced
 * (values written once, absent reads with one live source, no cas that may have taken
 * effect), else by the exponential search with its step budget. Both answer alike where both apply (see unique-writes.test.ts); the
 * fast one never gives up, which is what decides histories of many overlapping writes.
 */
export function decideRegister(ops: readonly RegisterOp[], maxSteps: number): SearchOutcome & { method: DecisionMethod } {
  const fast = decideUniqueWrites(ops);
  if (fast) return { ...fast, method: 'unique-writes' };
  return { ...searchLinearization(ops, maxSteps), method: 'search' };
}

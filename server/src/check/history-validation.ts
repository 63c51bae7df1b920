import { expectedProblem, type History } from '@clusterlab/shared';

/**
 * Problems the zod schema cannot see: an acknowledged op with no completion time, time running
 * backwards, two ops with one id; and the schema's own rule for `expected`, for histories built
 * in code that never went through it. A history with any of these is a recording bug, and checking
 * it would give a confident but meaningless verdict, so the checker refuses it.
 */
export function historyProblems(history: History, maxProblems = 10): string[] {
  const problems: string[] = [];
  const seenIds = new Set<number>();
  for (const op of history) {
    const at = `op ${op.id}`;
    if (seenIds.has(op.id)) problems.push(`${at}: the id is used by another op too`);
    seenIds.add(op.id);
    if (!Number.isFinite(op.invokeMs)) problems.push(`${at}: invokeMs must be a finite number`);
    if (op.completeMs !== null && !Number.isFinite(op.completeMs)) {
      problems.push(`${at}: completeMs must be a finite number or null`);
    }
    if (op.outcome === 'ok' && op.completeMs === null) {
      problems.push(`${at}: an ok op needs a completeMs (when was it acknowledged?)`);
    }
    if (op.completeMs !== null && op.completeMs < op.invokeMs) {
      problems.push(`${at}: completes (${op.completeMs} ms) before it is invoked (${op.invokeMs} ms)`);
    }
    if (op.kind === 'delete' && op.value !== null) {
      problems.push(`${at}: a delete carries value null, not ${JSON.stringify(op.value)}`);
    }
    if (op.kind === 'write' && op.value === null) {
      problems.push(`${at}: a write needs a value (use a delete to remove a key)`);
    }
    const expected = expectedProblem(op);
    if (expected) problems.push(`${at}: ${expected}`);
    if (problems.length >= maxProblems) break;
  }
  return problems.slice(0, maxProblems);
}

/** Thrown by the checker's entry points when `historyProblems` finds something. */
export class InvalidHistoryError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid history:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidHistoryError';
  }
}

export function assertValidHistory(history: History): void {
  const problems = historyProblems(history);
  if (problems.length > 0) throw new InvalidHistoryError(problems);
}

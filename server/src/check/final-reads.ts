import type { History } from '@clusterlab/shared';
import { agreedFinalValue, hasFinalStates, type FinalStates } from './final-states';

/** The client the final-state reads are credited to, in witnesses and sentences. */
export const FINAL_STATE_CLIENT = 'final-state';

/**
 * The history, with one more read per key after everything else: the value every node agreed
 * on once the run was over. An acknowledged write the cluster then no longer holds is thus a
 * violation of linearizability too, not only a named anomaly — "linearizable, 5 writes lost"
 * would be a contradiction a learner is right to distrust. A key the nodes disagree on gets no
 * such read: there is no one value to have read (divergent replicas name it instead).
 */
export function withFinalReads(history: History, finalStates: FinalStates | undefined): History {
  if (!hasFinalStates(finalStates) || history.length === 0) return history;
  let end = 0;
  let nextId = 0;
  const keys = new Set<string>();
  for (const op of history) {
    end = Math.max(end, op.completeMs ?? op.invokeMs);
    nextId = Math.max(nextId, op.id);
    keys.add(op.key);
  }
  const reads: History = [];
  for (const key of [...keys].sort()) {
    const agreed = agreedFinalValue(finalStates, key);
    if (agreed === 'divergent') continue;
    reads.push({
      id: ++nextId,
      client: FINAL_STATE_CLIENT,
      kind: 'read',
      key,
      value: agreed.value,
      invokeMs: end + 1,
      completeMs: end + 2,
      outcome: 'ok',
      node: 'every node',
      reply: 'what every node that answered held once the run was over',
    });
  }
  return [...history, ...reads];
}


import { parentPort, workerData } from 'node:worker_threads';
import type { History, HistoryOp } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import { generateLinearizableHistory } from '../../check/generate-history';
import { judgeHistory } from '../../check/verdict';

/**
 * The checker, in a worker thread: a long history takes the checker hundreds of milliseconds,
 * and the supervisor's thread carries every client request and the dashboard's stream meanwhile.
 *
 * Given a history in its workerData, it checks that once and ends. Given none, it is a running
 * workload's session: the ops come in batches as they complete, `{ interim }` asks for a check
 * of what has come so far, and `{ done, finalStates }` for the verdict — so the copying is
 * spread over the run, and the verdict waits only for the check itself, in a warmed-up thread.
 * An interim check is also given the ops still in flight, as unknown: a read may already have
 * returned what a write in flight wrote, and without that write it would read a value nobody wrote.
 */
export type CheckMessage = { ops: HistoryOp[] } | { interim: true; inFlight: HistoryOp[] } | { done: true; finalStates?: FinalStates };
export type CheckAnswer = { kind: 'interim' | 'final'; verdict?: ReturnType<typeof timed>; error?: string };

const given = workerData as { history?: History; finalStates?: FinalStates };

function timed(history: History, finalStates: FinalStates | undefined) {
  const started = performance.now();
  const verdict = judgeHistory(history, finalStates);
  return { ...verdict, checkMs: Math.round((performance.now() - started) * 10) / 10 };
}

function answer(kind: CheckAnswer['kind'], history: History, finalStates: FinalStates | undefined): void {
  let message: CheckAnswer;
  try {
    message = { kind, verdict: timed(history, finalStates) };
  } catch (err) {
    message = { kind, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(message);
}

if (given.history) {
  answer('final', given.history, given.finalStates);
} else {
  // The first check in a fresh thread runs cold, at about half speed: warm it on a small
  // history of its own while the run is young, so the verdict at the end is not that first one.
  judgeHistory(generateLinearizableHistory({ seed: 1, ops: 3000, keys: 10, clients: 8 }), undefined);
  const received: HistoryOp[] = [];
  // Batches hold ops in the order they completed; the history is in the order they began.
  const history = () => received.sort((a, b) => a.id - b.id);
  parentPort?.on('message', (message: CheckMessage) => {
    if ('ops' in message) {
      for (const op of message.ops) received.push(op);
    } else if ('interim' in message) {
      answer('interim', [...history(), ...message.inFlight].sort((a, b) => a.id - b.id), undefined);
    } else {
      answer('final', history(), message.finalStates);
      parentPort?.close();
    }
  });
}

import { parentPort, workerData } from 'node:worker_threads';
import type { History } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import { judgeHistory } from './verdict';

/**
 * The checker, in a worker thread: a long history takes the checker hundreds of milliseconds,
 * and the supervisor's thread carries every client request and the dashboard's stream meanwhile.
 * One check per worker; the answer is posted back and the thread ends.
 */
const { history, finalStates } = workerData as { history: History; finalStates?: FinalStates };
const started = performance.now();
try {
  const verdict = judgeHistory(history, finalStates);
  parentPort?.postMessage({ verdict: { ...verdict, checkMs: Math.round((performance.now() - started) * 10) / 10 } });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}

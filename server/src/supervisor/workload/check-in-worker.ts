import { Worker } from 'node:worker_threads';
import type { History, WorkloadVerdict } from '@clusterlab/shared';
import type { FinalStates } from '../../check';

/**
 * Checks a history off the supervisor's thread (see check-worker.ts). `program` is the bundled
 * worker, or its TypeScript source, which then needs the tsx loader the supervisor runs under.
 * A check that throws (an invalid history) rejects with the checker's message.
 */
export function checkInWorker(program: string, history: History, finalStates?: FinalStates): Promise<WorkloadVerdict> {
  const execArgv = program.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return new Promise((resolve, reject) => {
    const worker = new Worker(program, { workerData: { history, finalStates }, execArgv });
    // A check still running when the supervisor exits must not keep it alive.
    worker.unref();
    let settled = false;
    worker.once('message', (answer: { verdict?: WorkloadVerdict; error?: string }) => {
      settled = true;
      if (answer.verdict) resolve(answer.verdict);
      else reject(new Error(answer.error ?? 'the checker answered nothing'));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the checker stopped (exit code ${code}) before it answered`));
    });
  });
}

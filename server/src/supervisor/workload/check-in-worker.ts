import { Worker } from 'node:worker_threads';
import type { History, HistoryOp, WorkloadVerdict } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import type { CheckAnswer, CheckMessage } from './check-worker';

/**
 * Checks a history off the supervisor's thread (see check-worker.ts). `program` is the bundled
 * worker, or its TypeScript source, which then needs the tsx loader the supervisor runs under.
 * A check that throws (an invalid history) rejects with the checker's message.
 */
export function checkInWorker(program: string, history: History, finalStates?: FinalStates): Promise<WorkloadVerdict> {
  const session = new Session(startWorker(program, { history, finalStates }));
  return session.next('final');
}

/**
 * A running workload's check: a worker started with the run, handed each batch of completed
 * ops as the run goes (`add`), asked for checks of what it has so far (`soFar`), and for the
 * verdict with the final states at the end (`finish`).
 */
export class CheckSession {
  private readonly session: Session;

  constructor(program: string) {
    this.session = new Session(startWorker(program, {}));
  }

  add(ops: HistoryOp[]): void {
    if (ops.length > 0) this.session.post({ ops });
  }

  /** One at a time: ask again only once the last one answered. `inFlight`: the ops not answered yet. */
  soFar(inFlight: HistoryOp[]): Promise<WorkloadVerdict> {
    this.session.post({ interim: true, inFlight });
    return this.session.next('interim');
  }

  finish(finalStates: FinalStates | undefined): Promise<WorkloadVerdict> {
    this.session.post({ done: true, finalStates });
    return this.session.next('final');
  }

  /** For a run whose verdict will come another way. */
  close(): void {
    this.session.close();
  }
}

/** One worker, its answers routed by kind to whoever waits for them. */
class Session {
  private readonly waiting = new Map<CheckAnswer['kind'], { resolve(v: WorkloadVerdict): void; reject(e: Error): void }>();
  private failure: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (answer: CheckAnswer) => {
      const waiter = this.waiting.get(answer.kind);
      this.waiting.delete(answer.kind);
      if (answer.verdict) waiter?.resolve(answer.verdict);
      else waiter?.reject(new Error(answer.error ?? 'the checker answered nothing'));
    });
    worker.once('error', (err) => this.fail(err));
    worker.once('exit', (code) => this.fail(new Error(`the checker stopped (exit code ${code}) before it answered`)));
  }

  post(message: CheckMessage): void {
    if (this.failure === null) this.worker.postMessage(message);
  }

  next(kind: CheckAnswer['kind']): Promise<WorkloadVerdict> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(kind, { resolve, reject }));
  }

  close(): void {
    void this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }
}

function startWorker(program: string, workerData: { history?: History; finalStates?: FinalStates }): Worker {
  const execArgv = program.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const worker = new Worker(program, { workerData, execArgv });
  // A check still running when the supervisor exits must not keep it alive.
  worker.unref();
  return worker;
}

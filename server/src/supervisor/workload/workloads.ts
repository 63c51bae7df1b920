import type { WorkloadSpec, WorkloadState } from '@clusterlab/shared';
import { HttpError } from '../../http/json-http';
import { WorkloadRun, type RunDeps } from './workload-run';

/**
 * The supervisor's workloads: one at a time (two would share the cluster and blur each
 * other's verdicts), each under an id `w1`, `w2`, … never reused while the supervisor lives,
 * so every run's keys are fresh. The last few are kept for their views and histories.
 */
const KEPT = 5;

export type WorkloadSummary = { id: string; state: WorkloadState; startedAt: number };

export class Workloads {
  private readonly runs: WorkloadRun[] = [];
  private counter = 0;

  constructor(private readonly deps: (id: string, spec: WorkloadSpec) => RunDeps) {}

  start(spec: WorkloadSpec): WorkloadRun {
    const busy = this.runs.find((r) => r.state === 'running' || r.state === 'checking');
    if (busy) throw new HttpError(409, `workload ${busy.id} is still ${busy.state}; stop it (POST /api/workloads/${busy.id}/stop) or wait for its verdict`);
    const run = new WorkloadRun(this.deps(`w${++this.counter}`, spec));
    this.runs.unshift(run);
    this.runs.splice(KEPT);
    return run;
  }

  get(id: string): WorkloadRun {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new HttpError(404, `no workload ${JSON.stringify(id)}${this.runs.length > 0 ? ` (there are ${this.list().map((r) => r.id).join(', ')})` : ''}`);
    return run;
  }

  /** Newest first. */
  list(): WorkloadSummary[] {
    return this.runs.map((r) => ({ id: r.id, state: r.state, startedAt: r.startedAt }));
  }

  /** The clients of the running workload, `c1`…`cN` (parties faults may name), or none. */
  runningClients(): number {
    const running = this.runs.find((r) => r.state === 'running');
    return running ? running.clientCount : 0;
  }

  /** Stops the running one and waits for its clients' last requests: for a supervisor shutting down. */
  async close(): Promise<void> {
    for (const run of this.runs) run.stop('the supervisor is stopping');
    await Promise.all(this.runs.map((r) => r.clientsDone));
  }
}

import type { WorkloadView } from '@clusterlab/shared';
import { BenchCluster, settled } from './lib/cluster';

/**
 * A workload as a learner runs one from the dashboard, on a cluster whose supervisor is its own
 * process: how many ops/s the supervisor's clients get through, how long the history is, and
 * how long after the clients stop the verdict is there (final states + the checker in its
 * worker thread) — the target is under 1 s for a 60 s run at 2,000 ops/s.
 */
export type WorkloadRunFigures = {
  ops: number;
  opsPerSec: number;
  /** From the clients' stop (the view's endedAt) to the verdict being served. */
  verdictAfterMs: number;
  checkMs: number;
  summary: string;
  p99Ms: number | null;
};

export async function benchWorkload(clients: number, durationS: number, clusterArgs: string[]): Promise<WorkloadRunFigures> {
  const sup = await BenchCluster.start(3, clusterArgs);
  try {
    await settled(sup);
    const spec = { clients, durationMs: durationS * 1000, keys: 100, mix: { read: 1, write: 1 } };
    const { id } = (await (await sup.api('/api/workloads', { method: 'POST', body: JSON.stringify(spec) })).json()) as { id: string };
    const view = async () => (await (await sup.api(`/api/workloads/${id}`)).json()) as WorkloadView;
    const endsAt = Date.now() + durationS * 1000;
    // Poll as a page does while it runs; closely once the clients should have stopped.
    let v = await view();
    while (v.verdict === null && !v.error) {
      await new Promise((resolve) => setTimeout(resolve, Date.now() < endsAt - 1000 ? 1000 : 10));
      v = await view();
    }
    const seenAt = Date.now();
    if (!v.verdict) throw new Error(`the workload's check failed: ${v.error}`);
    const ops = Object.values(v.counts).reduce((n, c) => n + c.ok + c.fail + c.unknown, 0);
    return {
      ops,
      opsPerSec: Math.round(ops / ((v.endedAt! - v.startedAt) / 1000)),
      verdictAfterMs: seenAt - v.endedAt!,
      checkMs: v.verdict.checkMs,
      summary: v.verdict.summary,
      p99Ms: v.latency.all?.p99 ?? null,
    };
  } finally {
    await sup.stop();
  }
}

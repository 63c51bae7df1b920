import { BenchCluster, settled, tryWrite } from './lib/cluster';
import { poll, summarize, type Summary } from './lib/stats';

/**
 * SIGKILL the leader, then write through a surviving node until a write is acknowledged.
 * The killed node is restarted (same id, same data) before the next trial.
 */
export async function benchFailover(trials: number, clusterArgs: string[] = []): Promise<{ failoverMs: Summary; trialsMs: number[] }> {
  const sup = await BenchCluster.start(3, clusterArgs);
  const times: number[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      const leader = await settled(sup);
      const survivor = (await sup.cluster()).nodes.find((n) => n.id !== leader.id && n.url)!;
      const t0 = performance.now();
      process.kill(leader.pid!, 'SIGKILL');
      await poll(async () => ((await tryWrite(survivor.url!, `failover-${i}`, 'x')) ? true : undefined), 10_000, 'a write after failover', 2);
      times.push(performance.now() - t0);
      await poll(async () => ((await sup.cluster()).nodes.find((n) => n.id === leader.id)?.status === 'stopped' ? true : undefined), 5000, 'the kill to be seen');
      await sup.api(`/api/nodes/${leader.id}/restart`, { method: 'POST' });
    }
  } finally {
    await sup.stop();
  }
  return { failoverMs: summarize(times), trialsMs: times.map((t) => Math.round(t)) };
}

import { BenchCluster } from './lib/cluster';
import { poll, summarize, type Summary } from './lib/stats';

/** From starting the supervisor process to the moment it shows a leader. */
export async function benchFirstLeader(trials: number, clusterArgs: string[] = []): Promise<{ fromStartMs: Summary; fromSpawnMs: Summary }> {
  const fromStart: number[] = [];
  const fromSpawn: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    const wall0 = Date.now();
    const sup = await BenchCluster.start(3, clusterArgs);
    try {
      await poll(async () => (await sup.cluster()).leader ?? undefined, 10_000, 'a first leader');
      fromStart.push(performance.now() - t0);
      const events = await sup.events(0);
      const spawned = events.find((e) => e.kind === 'node.spawned')?.time ?? wall0;
      const elected = events.find((e) => e.kind === 'leader.elected')?.time;
      if (elected) fromSpawn.push(elected - spawned);
    } finally {
      await sup.stop();
    }
  }
  return { fromStartMs: summarize(fromStart), fromSpawnMs: summarize(fromSpawn) };
}

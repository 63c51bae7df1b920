import autocannon from 'autocannon';
import { BenchCluster, settled } from './lib/cluster';

export type LoadResult = {
  connections: number;
  durationS: number;
  writesPerSec: number;
  acknowledged: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  leaderChanges: number;
  eventsPerSec: number;
};

/** Writes to distinct keys (PUT /db/k<n>) straight to the leader, as a real client would. */
export function load(url: string, connections: number, durationS: number): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    connections,
    duration: durationS,
    requests: [{ method: 'PUT', body: 'benchmark-value-0123456789', setupRequest: (req) => ({ ...req, path: `/db/k${n++ % 10_000}` }) }],
  });
}

/** Throughput and latency at each client count, and how many leader elections the load caused. */
export async function benchThroughput(connectionsList: number[], durationS: number): Promise<LoadResult[]> {
  const sup = await BenchCluster.start(3);
  const results: LoadResult[] = [];
  try {
    for (const connections of connectionsList) {
      const leader = await settled(sup);
      const seqBefore = await sup.lastSeq();
      const r = await load(leader.url!, connections, durationS);
      const seqAfter = await sup.lastSeq();
      const elections = (await sup.events(seqBefore)).filter((e) => e.kind === 'leader.elected');
      results.push({
        connections,
        durationS,
        writesPerSec: r['2xx'] / durationS,
        acknowledged: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        leaderChanges: elections.length,
        eventsPerSec: (seqAfter - seqBefore) / durationS,
      });
    }
  } finally {
    await sup.stop();
  }
  return results;
}

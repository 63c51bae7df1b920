import autocannon from 'autocannon';
import { BenchCluster, settled } from './lib/cluster';
import { watchLeader, type LeaderChanges } from './lib/leader-watch';
import { sampleRss, type RssReport } from './lib/rss';
import { writeFigures, type WriteFigures } from './lib/stats';

export type LoadResult = WriteFigures & {
  connections: number;
  durationS: number;
  /** Leader elections during the run (see LeaderChanges for how they are counted). */
  leaderChanges: number;
  leaderWatch: LeaderChanges;
  eventsPerSec: number;
  /** Node RSS sampled while this load ran (only for the client counts asked for). */
  rss?: RssReport;
};

/** How often node RSS is sampled during a load. */
export const RSS_INTERVAL_MS = 200;

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

/** What one load against a settled cluster's leader measured. */
export async function measureLoad(sup: BenchCluster, connections: number, durationS: number, withRss: boolean): Promise<LoadResult> {
  const leader = await settled(sup);
  const seqBefore = await sup.lastSeq();
  const sampler = withRss ? sampleRss(await sup.nodePids(), RSS_INTERVAL_MS, Math.ceil((durationS * 1000) / RSS_INTERVAL_MS) + 50) : null;
  const watch = watchLeader(sup, seqBefore, durationS * 1000 + 5000);
  let rss: RssReport | undefined;
  let r: autocannon.Result;
  try {
    r = await load(leader.url!, connections, durationS);
  } finally {
    rss = sampler?.stop();
  }
  const seqAfter = await sup.lastSeq();
  const leaderWatch = await watch.stop();
  return {
    connections,
    durationS,
    ...writeFigures(r, durationS),
    leaderChanges: leaderWatch.count,
    leaderWatch,
    eventsPerSec: (seqAfter - seqBefore) / durationS,
    ...(rss ? { rss } : {}),
  };
}

/**
 * Throughput and latency at each client count, and how many leader elections the load caused.
 * `clusterArgs` are supervisor flags (the settings); node RSS is sampled during the runs whose
 * client count is in `rssAt`.
 */
export async function benchThroughput(
  connectionsList: number[],
  durationS: number,
  clusterArgs: string[] = [],
  rssAt: number[] = [],
): Promise<LoadResult[]> {
  const sup = await BenchCluster.start(3, clusterArgs);
  const results: LoadResult[] = [];
  try {
    for (const connections of connectionsList) {
      results.push(await measureLoad(sup, connections, durationS, rssAt.includes(connections)));
    }
  } finally {
    await sup.stop();
  }
  return results;
}

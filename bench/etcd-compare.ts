import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { BenchCluster, settled } from './lib/cluster';
import { ETCD_BIN, EtcdCluster } from './lib/etcd';
import { watchLeader, type LeaderChanges } from './lib/leader-watch';
import { sampleRss, type RssReport } from './lib/rss';
import { summarize, writeFigures, type WriteFigures } from './lib/stats';
import { RSS_INTERVAL_MS } from './throughput';

/**
 * Clusterlab against etcd, same tool (autocannon, in this process), same shape: `connections`
 * clients, each PUT a small unique value (26 bytes) under one of 10,000 keys, for the same
 * duration, straight to the leader. Each run is a fresh cluster with a short unmeasured
 * warm-up (Node's JIT and etcd's first allocations), and the systems alternate run by run so
 * that noise from other work on the machine falls on both.
 */

export type System = 'clusterlab' | 'etcd';

export type CompareRun = WriteFigures & {
  system: System;
  run: number;
  leaderChanges: number;
  /** Writes the leader committed during the measured run (Clusterlab: commit index; etcd: store revision), a check on `acknowledged`. */
  committed: number;
  /** Clusterlab only: how the leader changes were counted. */
  leaderWatch?: LeaderChanges;
  rss: RssReport;
};

export type Comparison = {
  etcdVersion: string;
  connections: number;
  durationS: number;
  warmUpS: number;
  runs: CompareRun[];
  medians: Record<System, { writesPerSec: number; p99Ms: number; p50Ms: number }>;
  /** Clusterlab's median over etcd's. */
  ratio: { writesPerSec: number; p99Ms: number };
};

const KEYS = 10_000;
/** 26 bytes, like the main benchmark's value, but different every request. */
const valueOf = (n: number) => `benchmark-${String(n).padStart(16, '0')}`;

function clusterlabLoad(url: string, connections: number, durationS: number): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    connections,
    duration: durationS,
    requests: [
      {
        method: 'PUT',
        setupRequest: (req) => {
          const i = n++;
          return { ...req, path: `/db/k${i % KEYS}`, body: valueOf(i) };
        },
      },
    ],
  });
}

/** etcd's JSON gateway: POST /v3/kv/put {"key": base64, "value": base64}. */
function etcdLoad(clientUrl: string, connections: number, durationS: number): Promise<autocannon.Result> {
  let n = 0;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return autocannon({
    url: clientUrl,
    connections,
    duration: durationS,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const i = n++;
          return { ...req, path: '/v3/kv/put', body: JSON.stringify({ key: b64(`k${i % KEYS}`), value: b64(valueOf(i)) }) };
        },
      },
    ],
  });
}

function toRun(system: System, run: number, r: autocannon.Result, durationS: number, leaderChanges: number, committed: number, rss: RssReport): CompareRun {
  return {
    committed,
    system,
    run,
    ...writeFigures(r, durationS),
    leaderChanges,
    rss,
  };
}

async function runClusterlab(run: number, clusterArgs: string[], connections: number, durationS: number, warmUpS: number): Promise<CompareRun> {
  // The database against the database: etcd keeps no trace of its runs for time travel, so
  // Clusterlab is measured without its recording too (`npm run bench -- --recording` says what it costs).
  const sup = await BenchCluster.start(3, [...clusterArgs, '--no-record']);
  try {
    let leader = await settled(sup);
    await clusterlabLoad(leader.url!, connections, warmUpS);
    leader = await settled(sup);
    const seqBefore = await sup.lastSeq();
    const commitOf = async () => (await sup.cluster()).nodes.find((n) => n.id === leader.id)?.commitIndex ?? 0;
    const commitBefore = await commitOf();
    const sampler = sampleRss(await sup.nodePids(), RSS_INTERVAL_MS, Math.ceil((durationS * 1000) / RSS_INTERVAL_MS) + 50);
    const watch = watchLeader(sup, seqBefore, durationS * 1000 + 5000);
    let rss: RssReport;
    let r: autocannon.Result;
    try {
      r = await clusterlabLoad(leader.url!, connections, durationS);
    } finally {
      rss = sampler.stop();
    }
    const changes = await watch.stop();
    const committed = (await commitOf()) - commitBefore;
    return { ...toRun('clusterlab', run, r, durationS, changes.count, committed, rss), leaderWatch: changes };
  } finally {
    await sup.stop();
  }
}

async function runEtcd(run: number, connections: number, durationS: number, warmUpS: number): Promise<CompareRun> {
  const etcd = await EtcdCluster.start(3);
  try {
    let { member } = await etcd.leader();
    await etcdLoad(member.clientUrl, connections, warmUpS);
    const before = await etcd.leader();
    member = before.member;
    const sampler = sampleRss(etcd.pids(), RSS_INTERVAL_MS, Math.ceil((durationS * 1000) / RSS_INTERVAL_MS) + 50);
    let rss: RssReport;
    let r: autocannon.Result;
    try {
      r = await etcdLoad(member.clientUrl, connections, durationS);
    } finally {
      rss = sampler.stop();
    }
    const after = await etcd.leader();
    // Each election raises the term by one (pre-vote is off in 3.4 by default, so a failed one would too).
    const changes = after.term - before.term + (after.member.name !== member.name && after.term === before.term ? 1 : 0);
    return toRun('etcd', run, r, durationS, changes, after.revision - before.revision, rss);
  } finally {
    await etcd.stop();
  }
}

export function etcdVersion(): string {
  try {
    const out = execFileSync(ETCD_BIN, ['--version'], { encoding: 'utf8', timeout: 5000 });
    return /etcd Version:\s*(\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `runs` runs of each, alternating Clusterlab, etcd, Clusterlab, … */
export async function compareWithEtcd(
  clusterArgs: string[],
  opts: { runs: number; connections: number; durationS: number; warmUpS: number; onRun?: (r: CompareRun) => void },
): Promise<Comparison> {
  const runs: CompareRun[] = [];
  for (let i = 1; i <= opts.runs; i++) {
    for (const system of ['clusterlab', 'etcd'] as const) {
      const r =
        system === 'clusterlab'
          ? await runClusterlab(i, clusterArgs, opts.connections, opts.durationS, opts.warmUpS)
          : await runEtcd(i, opts.connections, opts.durationS, opts.warmUpS);
      runs.push(r);
      opts.onRun?.(r);
    }
  }
  const median = (system: System, pick: (r: CompareRun) => number) => summarize(runs.filter((r) => r.system === system).map(pick)).median;
  const medians = {
    clusterlab: { writesPerSec: median('clusterlab', (r) => r.writesPerSec), p99Ms: median('clusterlab', (r) => r.p99Ms), p50Ms: median('clusterlab', (r) => r.p50Ms) },
    etcd: { writesPerSec: median('etcd', (r) => r.writesPerSec), p99Ms: median('etcd', (r) => r.p99Ms), p50Ms: median('etcd', (r) => r.p50Ms) },
  };
  return {
    etcdVersion: etcdVersion(),
    connections: opts.connections,
    durationS: opts.durationS,
    warmUpS: opts.warmUpS,
    runs,
    medians,
    ratio: {
      writesPerSec: medians.clusterlab.writesPerSec / medians.etcd.writesPerSec,
      p99Ms: medians.clusterlab.p99Ms / medians.etcd.p99Ms,
    },
  };
}

import { epochRound, type AlgorithmId, type ClusterView } from '@clusterlab/shared';
import { BenchCluster, leaderOf, settled, tryWrite } from './lib/cluster';
import { EventWatch } from './lib/event-watch';
import { lagFigures, watchLag, type LagFigures, type LagWindow } from './lib/lag-watch';
import { PacedWriters } from './lib/paced-writers';
import { poll, summarize, type Summary } from './lib/stats';

/**
 * The hardening issue's big-state scenario: a 3-node cluster holding ~21 MiB (8,000 keys,
 * every 7th value 20 KB, the rest small) whose nodes are killed and restarted, a follower and
 * then the leader in turn, while a modest write load runs. A leader killed with writes in
 * hand comes back holding entries the new leader never had, so it is caught up by snapshot —
 * the whole key space. Before snapshots went in chunks, that one message stalled both ends
 * for longer than an election timeout and elections stormed.
 */
export type BigStateOptions = {
  cycles: number;
  keys: number;
  /** Every `bigEvery`-th key holds a value of `bigValueBytes`; the others ~30 bytes. */
  bigEvery: number;
  bigValueBytes: number;
  /** The load: `writers` loops, one write every `writeEveryMs` each, to small keys only (the state stays the same size). */
  writers: number;
  writeEveryMs: number;
  /** How long a killed node stays down. A scenario step, not a wait for something. */
  downMs: number;
  clusterArgs: string[];
};

export const BIG_STATE_DEFAULTS: Omit<BigStateOptions, 'clusterArgs'> = {
  cycles: 20,
  keys: 8000,
  bigEvery: 7,
  bigValueBytes: 20_000,
  writers: 4,
  writeEveryMs: 20,
  downMs: 1000,
};

export type BigStateRun = {
  loadedBytes: number;
  loadMs: number;
  cyclesMs: number;
  /** Leaders elected while the cycles ran (each kill of the leader needs one). */
  leaderChanges: number;
  leaderKills: number;
  /** Elections started (bully: claims; Raft: candidacies) and how far the round/term rose. */
  electionsStarted: number;
  roundsRisen: number;
  writesPerSec: number;
  writesFailed: number;
  snapshotSyncs: number;
  snapshotMessages: number;
  /** Cycles whose restarted node had not caught up within the bound. */
  stuckCycles: number;
  /** After the load stopped: elections until every node had caught up, and how long that took. */
  afterLoad: { leaderChanges: number; roundsRisen: number; catchUpMs: number };
  leaderLag: LagFigures | null;
  /** Every node's windows, whatever its role. */
  allLag: LagFigures | null;
  eventsMissed: number;
};

const SNAPSHOT_TYPES = new Set(['snapshot', 'install_snapshot']);

export async function benchBigState(runs: number, options: BigStateOptions, onRun?: (r: BigStateRun, i: number) => void): Promise<{ runs: BigStateRun[]; medians: Record<string, Summary> }> {
  const results: BigStateRun[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await oneRun(options);
    results.push(r);
    onRun?.(r, i);
  }
  const m = (f: (r: BigStateRun) => number | undefined) => {
    const xs = results.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? summarize(xs) : summarize([Number.NaN]);
  };
  return {
    runs: results,
    medians: {
      leaderChanges: m((r) => r.leaderChanges),
      electionsStarted: m((r) => r.electionsStarted),
      roundsRisen: m((r) => r.roundsRisen),
      writesPerSec: m((r) => r.writesPerSec),
      afterLoadLeaderChanges: m((r) => r.afterLoad.leaderChanges),
      leaderLagP99WorstMs: m((r) => r.leaderLag?.p99WorstMs),
      leaderLagMaxMs: m((r) => r.leaderLag?.maxMs),
      allLagMaxMs: m((r) => r.allLag?.maxMs),
    },
  };
}

async function oneRun(o: BigStateOptions): Promise<BigStateRun> {
  const sup = await BenchCluster.start(3, o.clusterArgs);
  try {
    const algorithm = (await sup.cluster()).settings.algorithm;
    const round = (view: ClusterView) => roundOf(algorithm, Math.max(...view.nodes.map((n) => n.term)));
    const leader = await settled(sup, 20_000);
    const t0 = performance.now();
    const loadedBytes = await fill(sup, leader.url!, o);
    const loadMs = performance.now() - t0;
    await settledAndCaughtUp(sup, 60_000);

    const urls = new Map<string, string>();
    const remember = (view: ClusterView) => {
      for (const n of view.nodes) if (n.url) urls.set(n.id, n.url);
      return view;
    };
    remember(await sup.cluster());
    const events = await EventWatch.start(
      sup,
      (e) =>
        e.kind === 'leader.elected' ||
        e.kind === 'election.started' ||
        (e.kind === 'replication.sync_sent' && e.data.mode === 'snapshot') ||
        (e.kind === 'message.sent' && SNAPSHOT_TYPES.has(e.data.type)),
    );
    const lag = watchLag(() => urls);
    const roundAtStart = round(await sup.cluster());
    const small = (n: number) => {
      const k = n % o.keys;
      return `k${k % o.bigEvery === 0 ? k + 1 : k}`;
    };
    const writers = new PacedWriters(sup, o.writers, o.writeEveryMs, small);
    const c0 = performance.now();
    let stuckCycles = 0;
    let leaderKills = 0;
    for (let i = 0; i < o.cycles; i++) {
      const view = remember(await sup.cluster());
      const current = leaderOf(view);
      const followers = view.nodes.filter((n) => n.status === 'running' && n.id !== current?.id);
      const victim = i % 2 === 1 && current ? current : followers[followers.length - 1] ?? current;
      if (!victim) throw new Error(`cycle ${i}: no running node to kill`);
      if (victim === current) leaderKills++;
      await sup.api(`/api/nodes/${victim.id}/kill`, { method: 'POST' });
      await new Promise((r) => setTimeout(r, o.downMs));
      await sup.api(`/api/nodes/${victim.id}/restart`, { method: 'POST' });
      const caughtUp = await caughtUpNode(sup, victim.id, 30_000).catch(() => false);
      if (!caughtUp) stuckCycles++;
    }
    const cyclesMs = performance.now() - c0;
    const load = await writers.stop();
    const afterSeq = events.seq;
    const roundAfterCycles = round(await sup.cluster());
    const a0 = performance.now();
    await settledAndCaughtUp(sup, 60_000).catch(() => undefined);
    const catchUpMs = performance.now() - a0;
    await events.stop();
    const windows: LagWindow[] = lag.stop();
    const roundAtEnd = round(await sup.cluster());
    const during = events.kept.filter((e) => e.seq <= afterSeq);
    const count = (list: typeof events.kept, kind: string) => list.filter((e) => e.kind === kind).length;
    return {
      loadedBytes,
      loadMs,
      cyclesMs,
      leaderChanges: count(during, 'leader.elected'),
      leaderKills,
      electionsStarted: count(during, 'election.started'),
      roundsRisen: roundAfterCycles - roundAtStart,
      writesPerSec: load.acked / (cyclesMs / 1000),
      writesFailed: load.failed,
      snapshotSyncs: count(events.kept, 'replication.sync_sent'),
      snapshotMessages: count(events.kept, 'message.sent'),
      stuckCycles,
      afterLoad: { leaderChanges: events.of('leader.elected', afterSeq).length, roundsRisen: roundAtEnd - roundAfterCycles, catchUpMs },
      leaderLag: lagFigures(windows.filter((w) => w.role === 'leader')),
      allLag: lagFigures(windows),
      eventsMissed: events.missed,
    };
  } finally {
    await sup.stop();
  }
}

/** Bully epochs are round·100 + rank: count rounds. A Raft term is its own count. */
function roundOf(algorithm: AlgorithmId, term: number): number {
  return algorithm === 'bully' ? epochRound(term) : term;
}

/** Writes every key once through the leader, 32 at a time, retrying a write that is not acknowledged. */
async function fill(sup: BenchCluster, leaderUrl: string, o: BigStateOptions): Promise<number> {
  let next = 0;
  let bytes = 0;
  let url = leaderUrl;
  const writeOne = async (k: number) => {
    const value = k % o.bigEvery === 0 ? `big-${k}-`.padEnd(o.bigValueBytes, 'x') : `small-value-${k}`;
    for (let attempt = 0; attempt < 50; attempt++) {
      if (await tryWrite(url, `k${k}`, value, 5000)) {
        bytes += value.length;
        return;
      }
      url = (await settled(sup, 20_000)).url!;
    }
    throw new Error(`could not write k${k} while filling the cluster`);
  };
  const worker = async () => {
    while (next < o.keys) await writeOne(next++);
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return bytes;
}

async function caughtUpNode(sup: BenchCluster, id: string, timeoutMs: number): Promise<true> {
  return poll(
    async () => {
      const view = await sup.cluster();
      const leader = leaderOf(view);
      const node = view.nodes.find((n) => n.id === id);
      if (!leader || !node || node.status !== 'running') return undefined;
      return node.id === leader.id || node.appliedIndex >= leader.commitIndex - 50 ? true : undefined;
    },
    timeoutMs,
    `${id} to catch up`,
    50,
  );
}

/** One leader every node follows, and every node has applied what it committed. */
async function settledAndCaughtUp(sup: BenchCluster, timeoutMs: number): Promise<void> {
  await poll(
    async () => {
      const view = await sup.cluster();
      const leader = leaderOf(view);
      if (!leader) return undefined;
      const ok = view.nodes.every((n) => n.status === 'running' && n.leader === leader.id && n.appliedIndex >= leader.commitIndex);
      return ok ? true : undefined;
    },
    timeoutMs,
    'every node to catch up',
    50,
  );
}

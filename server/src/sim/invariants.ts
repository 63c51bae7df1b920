import { epochOwner, formatEpoch, type KvWrite, type NodeId, type NodeStatus } from '@clusterlab/shared';
import type { CoreOutput, PersistRecord } from '../node/core/types';

/**
 * What must hold at every step of every run, whatever the faults — the safety properties the
 * core actually promises (not the ones the bully design cannot keep: losing an acknowledged
 * write on failover is a *finding* for the checker, not a broken invariant).
 *
 * 1. One leader per epoch, ever. Epochs are owned (round·100 + rank) and persisted before
 *    they are used, so only the owner can lead one, and only one life of it.
 * 2. One entry per (index, epoch). A leader gives each index out once per epoch, so two logs
 *    holding the same (index, epoch) hold the same write — the log-matching property that
 *    lets a follower trust a single check.
 * 3. Apply in order. A node applies committed entries in index order, so its appliedIndex
 *    only moves forward, one `replication.applied` after another, except when a leader's
 *    snapshot replaces its state (it may then move back: the leader may lack what it had).
 *    appliedIndex ≤ commitIndex ≤ lastIndex.
 * 4. Durability of one's own disk: a restarted node comes back with at least what it had
 *    applied before it crashed (persist records reach the disk before anything that follows).
 * 5. The core never throws (checked where it is stepped).
 * 6. Once every fault is mended and the cluster has had time, there is one leader everyone
 *    follows, and every replica holds the same log position and the same keys and values.
 */
export class InvariantViolation extends Error {
  constructor(
    readonly rule: string,
    readonly detail: string,
    readonly atMs: number,
  ) {
    super(`${rule}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

export class Invariants {
  /** epoch → "n3#2": the node, and which life of it, that led the epoch. */
  private readonly leaders = new Map<number, string>();
  /** index → epoch → the write logged there. */
  private readonly entries = new Map<number, Map<number, KvWrite>>();
  private readonly applied = new Map<NodeId, number>();
  /** What each node had applied when it crashed. */
  private readonly appliedAtCrash = new Map<NodeId, number>();
  steps = 0;

  /** After a core step: its outputs, and its status right after. */
  afterStep(id: NodeId, incarnation: number, outputs: readonly CoreOutput[], status: NodeStatus, now: number): void {
    this.steps++;
    let applied = this.applied.get(id) ?? 0;
    let snapshotInstalled = false;
    for (const out of outputs) {
      if (out.type === 'persist') this.onPersist(id, out.record, now);
      if (out.type !== 'event') continue;
      const e = out.event;
      if (e.kind === 'leader.elected') this.leads(id, incarnation, e.data.epoch, now);
      else if (e.kind === 'replication.synced' && e.data.mode === 'snapshot') snapshotInstalled = true;
      else if (e.kind === 'replication.applied') {
        if (!snapshotInstalled && e.data.index <= applied) {
          fail('apply in order', `${id} applied index ${e.data.index} after ${applied}, without a snapshot replacing its state`, now);
        }
        snapshotInstalled = false;
        applied = e.data.index;
      }
    }
    if (status.appliedIndex !== applied) {
      fail('apply in order', `${id}'s appliedIndex is ${status.appliedIndex}, but its last replication.applied said ${applied}`, now);
    }
    if (!(status.appliedIndex <= status.commitIndex && status.commitIndex <= status.lastIndex)) {
      fail(
        'applied ≤ committed ≤ logged',
        `${id} has appliedIndex ${status.appliedIndex}, commitIndex ${status.commitIndex}, lastIndex ${status.lastIndex}`,
        now,
      );
    }
    this.applied.set(id, applied);
    if (status.role === 'leader') this.leads(id, incarnation, status.epoch, now);
  }

  crashed(id: NodeId): void {
    this.appliedAtCrash.set(id, this.applied.get(id) ?? 0);
  }

  /** A new life of `id` has loaded its disk. */
  restarted(id: NodeId, status: NodeStatus, now: number): void {
    const before = this.appliedAtCrash.get(id) ?? 0;
    if (status.appliedIndex < before) {
      fail('a restart keeps what was applied', `${id} had applied up to ${before} before it crashed but restored only ${status.appliedIndex}`, now);
    }
    this.applied.set(id, status.appliedIndex);
  }

  /** Which node led each epoch, in epoch order (for the report). */
  leaderHistory(): { epoch: number; node: NodeId }[] {
    return [...this.leaders]
      .sort((a, b) => a[0] - b[0])
      .map(([epoch, who]) => ({ epoch, node: who.slice(0, who.indexOf('#')) }));
  }

  private leads(id: NodeId, incarnation: number, epoch: number, now: number): void {
    if (epochOwner(epoch) !== id) fail('one leader per epoch', `${id} leads epoch ${epoch} (${formatEpoch(epoch)}), which it does not own`, now);
    const who = `${id}#${incarnation}`;
    const known = this.leaders.get(epoch);
    if (known === undefined) this.leaders.set(epoch, who);
    else if (known !== who) {
      fail('one leader per epoch', `epoch ${formatEpoch(epoch)} was led by ${known} and now by ${who} (node#life)`, now);
    }
  }

  private onPersist(id: NodeId, record: PersistRecord, now: number): void {
    if (record.type !== 'entries') return;
    for (const entry of record.entries) {
      let byEpoch = this.entries.get(entry.index);
      if (!byEpoch) this.entries.set(entry.index, (byEpoch = new Map()));
      const known = byEpoch.get(entry.epoch);
      if (known === undefined) byEpoch.set(entry.epoch, entry.op);
      else if (!sameWrite(known, entry.op)) {
        fail(
          'one entry per (index, epoch)',
          `${id} logged ${JSON.stringify(entry.op)} at index ${entry.index}, epoch ${formatEpoch(entry.epoch)}, where another node logged ${JSON.stringify(known)}`,
          now,
        );
      }
    }
  }
}

/** A node as the convergence check sees it. */
export type ReplicaView = { status: NodeStatus; data: string };

/**
 * Has the cluster converged? null if so, else why not (for the failure message): one leader,
 * followed by all in its epoch, and every replica at the same index with the same data.
 */
export function divergence(replicas: ReadonlyMap<NodeId, ReplicaView>): string | null {
  const all = [...replicas.values()];
  const leaders = all.filter((r) => r.status.role === 'leader');
  if (leaders.length !== 1) {
    return leaders.length === 0 ? 'there is no leader' : `${leaders.length} nodes think they lead: ${leaders.map((l) => `${l.status.id} (${formatEpoch(l.status.epoch)})`).join(', ')}`;
  }
  const leader = leaders[0]!.status;
  for (const { status: s, data } of all) {
    if (s.id === leader.id) continue;
    if (s.leader !== leader.id || s.epoch !== leader.epoch) {
      return `${s.id} follows ${s.leader ?? 'nobody'} in ${formatEpoch(s.epoch)}, not ${leader.id} in ${formatEpoch(leader.epoch)}`;
    }
    if (s.lastIndex !== leader.lastIndex || s.appliedIndex !== leader.appliedIndex) {
      return `${s.id} is at lastIndex ${s.lastIndex}/applied ${s.appliedIndex}, the leader ${leader.id} at ${leader.lastIndex}/${leader.appliedIndex}`;
    }
    if (data !== leaders[0]!.data) return `${s.id} holds different keys or values than the leader ${leader.id}`;
  }
  if (leader.appliedIndex !== leader.lastIndex) return `the leader ${leader.id} has applied ${leader.appliedIndex} of ${leader.lastIndex}`;
  return null;
}

function sameWrite(a: KvWrite, b: KvWrite): boolean {
  return a.type === b.type && a.key === b.key && (a.type === 'delete' || (b.type === 'put' && a.value === b.value));
}

function fail(rule: string, detail: string, now: number): never {
  throw new InvariantViolation(rule, detail, now);
}

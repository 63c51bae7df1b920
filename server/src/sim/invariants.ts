import { type NodeId, type NodeStatus, type PeerMessage, type Protocol } from '@clusterlab/shared';
import { BrokenRule } from '../node/core/broken-rule';
import type { CoreInput, CoreOutput, StepChecker } from '../node/core/types';

/**
 * What must hold at every step of every run, whatever the faults — the safety properties
 * every algorithm promises, plus its own (its StepChecker: bully's owned epochs, Raft's log
 * matching and leader completeness). Not the ones an algorithm does not promise: bully
 * losing an acknowledged write on failover is a *finding* for the checker, not a broken
 * invariant.
 *
 * 1. One leader per term, ever: at most one node, and one life of it, leads a given term.
 * 2. The algorithm's own invariants, checked by its StepChecker after every step.
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
  /** term → "n3#2": the node, and which life of it, that led the term. */
  private readonly leaders = new Map<number, string>();
  private readonly applied = new Map<NodeId, number>();
  /** What each node had applied when it crashed. */
  private readonly appliedAtCrash = new Map<NodeId, number>();
  steps = 0;

  constructor(
    private readonly own: StepChecker,
    private readonly protocol: Protocol,
  ) {}

  /** After a core step: its input and outputs, and its status right after. */
  afterStep(id: NodeId, incarnation: number, input: CoreInput<PeerMessage>, outputs: readonly CoreOutput[], status: NodeStatus, now: number): void {
    this.steps++;
    try {
      this.own.afterStep(id, incarnation, input, outputs, status, now);
    } catch (err) {
      if (err instanceof BrokenRule) fail(err.rule, err.detail, now);
      throw err;
    }
    let applied = this.applied.get(id) ?? 0;
    let snapshotInstalled = false;
    for (const out of outputs) {
      if (out.type !== 'event') continue;
      const e = out.event;
      if (e.kind === 'leader.elected') this.leads(id, incarnation, e.data.term, now);
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
    if (status.role === 'leader') this.leads(id, incarnation, status.term, now);
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

  /** Which node led each term, in term order (for the report). */
  leaderHistory(): { term: number; node: NodeId }[] {
    return [...this.leaders]
      .sort((a, b) => a[0] - b[0])
      .map(([term, who]) => ({ term, node: who.slice(0, who.indexOf('#')) }));
  }

  private leads(id: NodeId, incarnation: number, term: number, now: number): void {
    const who = `${id}#${incarnation}`;
    const known = this.leaders.get(term);
    if (known === undefined) this.leaders.set(term, who);
    else if (known !== who) {
      fail('one leader per term', `term ${this.protocol.formatTerm(term)} was led by ${known} and now by ${who} (node#life)`, now);
    }
  }
}

/** A node as the convergence check sees it. */
export type ReplicaView = { status: NodeStatus; data: string };

/**
 * Has the cluster converged? null if so, else why not (for the failure message): one leader,
 * followed by all in its term, and every replica at the same index with the same data.
 */
export function divergence(replicas: ReadonlyMap<NodeId, ReplicaView>, formatTerm: (term: number) => string): string | null {
  const all = [...replicas.values()];
  const leaders = all.filter((r) => r.status.role === 'leader');
  if (leaders.length !== 1) {
    return leaders.length === 0 ? 'there is no leader' : `${leaders.length} nodes think they lead: ${leaders.map((l) => `${l.status.id} (${formatTerm(l.status.term)})`).join(', ')}`;
  }
  const leader = leaders[0]!.status;
  for (const { status: s, data } of all) {
    if (s.id === leader.id) continue;
    if (s.leader !== leader.id || s.term !== leader.term) {
      return `${s.id} follows ${s.leader ?? 'nobody'} in ${formatTerm(s.term)}, not ${leader.id} in ${formatTerm(leader.term)}`;
    }
    if (s.lastIndex !== leader.lastIndex || s.appliedIndex !== leader.appliedIndex) {
      return `${s.id} is at lastIndex ${s.lastIndex}/applied ${s.appliedIndex}, the leader ${leader.id} at ${leader.lastIndex}/${leader.appliedIndex}`;
    }
    if (data !== leaders[0]!.data) return `${s.id} holds different keys or values than the leader ${leader.id}`;
  }
  if (leader.appliedIndex !== leader.lastIndex) return `the leader ${leader.id} has applied ${leader.appliedIndex} of ${leader.lastIndex}`;
  return null;
}

function fail(rule: string, detail: string, now: number): never {
  throw new InvariantViolation(rule, detail, now);
}

import { describe, expect, it } from 'vitest';
import { PROTOCOLS, type EventBody, type NodeStatus } from '@clusterlab/shared';
import { bully } from '../node/algorithms/bully';
import type { CoreOutput } from '../node/core/types';
import { divergence, InvariantViolation, Invariants, type ReplicaView } from './invariants';
import { nodeStatus } from '../test-utils/node-status';

const status = (over: Partial<NodeStatus> = {}): NodeStatus => nodeStatus({ id: 'n1', term: 3, leader: 'n3', ...over });
const TICK = { type: 'tick', now: 0 } as const;
const event = (e: EventBody): CoreOutput => ({ type: 'event', event: e });
const applied = (index: number) => event({ kind: 'replication.applied', data: { index, keyCount: 1 } });

function violated(fn: () => void): InvariantViolation {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvariantViolation) return err;
    throw err;
  }
  throw new Error('expected an invariant violation');
}

describe('the invariants', () => {
  it('two nodes leading one term is a violation', () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    inv.afterStep('n3', 1, TICK, [event({ kind: 'leader.elected', data: { term: 103, peers: [] } })], status({ id: 'n3', role: 'leader', term: 103 }), 10);
    const v = violated(() => inv.afterStep('n2', 1, TICK, [], status({ id: 'n2', role: 'leader', term: 103 }), 20));
    expect(v.rule).toBe('one leader per term');
  });

  it("bully's own: a node leading an epoch it does not own is a violation", () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    // Only n3 may claim an epoch ending in 3.
    const v = violated(() => inv.afterStep('n2', 1, TICK, [event({ kind: 'leader.elected', data: { term: 103, peers: [] } })], status({ id: 'n2', role: 'leader', term: 103 }), 20));
    expect(v.rule).toBe('one leader per epoch');
    expect(v.detail).toContain('2·n3');
  });

  it('a second life of the same node leading an epoch it already led is a violation (the epoch was not persisted)', () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    inv.afterStep('n3', 1, TICK, [], status({ id: 'n3', role: 'leader', term: 103 }), 10);
    expect(violated(() => inv.afterStep('n3', 2, TICK, [], status({ id: 'n3', role: 'leader', term: 103 }), 20)).detail).toMatch(/n3#1.*n3#2/);
  });

  it('applying an index at or below the last one, without a snapshot, is a violation', () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    inv.afterStep('n1', 1, TICK, [applied(5)], status({ lastIndex: 5, commitIndex: 5, appliedIndex: 5 }), 10);
    expect(violated(() => inv.afterStep('n1', 1, TICK, [applied(4)], status({ lastIndex: 5, commitIndex: 5, appliedIndex: 4 }), 20)).rule).toBe('apply in order');
  });

  it("a leader's snapshot may move the applied index back", () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    inv.afterStep('n1', 1, TICK, [applied(5)], status({ lastIndex: 5, commitIndex: 5, appliedIndex: 5 }), 10);
    const snapshot = event({ kind: 'replication.synced', data: { mode: 'snapshot', fromIndex: 5, toIndex: 3, leader: 'n3' } });
    inv.afterStep('n1', 1, TICK, [snapshot, applied(3), applied(4)], status({ lastIndex: 4, commitIndex: 4, appliedIndex: 4 }), 20);
  });

  it('committing beyond the log is a violation', () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    expect(violated(() => inv.afterStep('n1', 1, TICK, [], status({ lastIndex: 2, commitIndex: 3 }), 10)).rule).toBe('applied ≤ committed ≤ logged');
  });

  it('two different writes at one (index, epoch) are a violation', () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    const put = (value: string): CoreOutput => ({
      type: 'persist',
      record: { type: 'entries', entries: [{ index: 1, term: 103, op: { type: 'put', key: 'k', value } }] },
    });
    inv.afterStep('n1', 1, TICK, [put('a')], status({ lastIndex: 1 }), 10);
    inv.afterStep('n2', 1, TICK, [put('a')], status({ id: 'n2', lastIndex: 1 }), 10);
    expect(violated(() => inv.afterStep('n3', 1, TICK, [put('b')], status({ id: 'n3', lastIndex: 1 }), 10)).rule).toBe('one entry per (index, epoch)');
  });

  it('a restarted node that restores less than it had applied is a violation', () => {
    const inv = new Invariants(bully.checker(), PROTOCOLS.bully);
    inv.afterStep('n1', 1, TICK, [applied(7)], status({ lastIndex: 7, commitIndex: 7, appliedIndex: 7 }), 10);
    inv.crashed('n1');
    expect(violated(() => inv.restarted('n1', status({ lastIndex: 7, commitIndex: 6, appliedIndex: 6 }), 20)).rule).toBe('a restart keeps what was applied');
  });
});

describe('convergence', () => {
  const replica = (over: Partial<NodeStatus>, data = '[]'): ReplicaView => ({ status: status({ lastIndex: 4, commitIndex: 4, appliedIndex: 4, term: 103, ...over }), data });
  const cluster = (...rs: ReplicaView[]) => new Map(rs.map((r) => [r.status.id, r]));
  const diverged = (replicas: Map<string, ReplicaView>) => divergence(replicas, PROTOCOLS.bully.formatTerm);

  it('holds with one leader that everyone follows, at the same index, with the same data', () => {
    expect(diverged(cluster(replica({ id: 'n3', role: 'leader', leader: 'n3' }), replica({ id: 'n1' }), replica({ id: 'n2' })))).toBeNull();
  });

  it('fails with two leaders, no leader, a follower behind, or different data', () => {
    expect(diverged(cluster(replica({ id: 'n3', role: 'leader', leader: 'n3' }), replica({ id: 'n1', role: 'leader', leader: 'n1', term: 201 })))).toMatch(/2 nodes think they lead/);
    expect(diverged(cluster(replica({ id: 'n1' }), replica({ id: 'n2' })))).toMatch(/no leader/);
    expect(diverged(cluster(replica({ id: 'n3', role: 'leader', leader: 'n3' }), replica({ id: 'n1', lastIndex: 3, appliedIndex: 3, commitIndex: 3 })))).toMatch(/n1 is at lastIndex 3/);
    expect(diverged(cluster(replica({ id: 'n3', role: 'leader', leader: 'n3' }), replica({ id: 'n1' }, '[["k",1]]')))).toMatch(/different keys/);
  });
});

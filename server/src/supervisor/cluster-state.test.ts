import { describe, expect, it } from 'vitest';
import type { EmittedEvent, NodeStatus } from '@clusterlab/shared';
import { ClusterState } from './cluster-state';
import { nodeStatus } from '../test-utils/node-status';

const status = (patch: Partial<NodeStatus>): NodeStatus =>
  nodeStatus({ id: 'n1', term: 103, leader: 'n3', peers: ['n2', 'n3'], lastIndex: 5, commitIndex: 5, appliedIndex: 5, keyCount: 3, ...patch });
const followed = (term: number, leader: string): EmittedEvent => ({ node: 'n1', time: 1, lamport: 1, kind: 'leader.followed', data: { term, leader } });
const heartbeat: EmittedEvent = { node: 'n1', time: 2, lamport: 2, kind: 'message.received', data: { id: 'm1', from: 'n3', type: 'heartbeat', term: 103 } };

describe('healing the view from a node’s own status', () => {
  it('fills in what a missed event would have said', () => {
    const state = new ClusterState({ registryTtlMs: 1000 });
    expect(state.applyStatus('n1', status({}), state.beliefVersion('n1'))).toBe(true);
    expect(state.facts.n1).toMatchObject({ role: 'follower', leader: 'n3', appliedIndex: 5, keyCount: 3 });
  });

  it('ignores an answer overtaken by an event that arrived while we were asking', () => {
    const state = new ClusterState({ registryTtlMs: 1000 });
    const asked = state.beliefVersion('n1');
    state.ingest(followed(202, 'n2'));
    expect(state.applyStatus('n1', status({ term: 103, leader: 'n3' }), asked)).toBe(false);
    expect(state.facts.n1).toMatchObject({ term: 202, leader: 'n2' });
  });

  it('is not put off by mere message traffic in between', () => {
    const state = new ClusterState({ registryTtlMs: 1000 });
    const asked = state.beliefVersion('n1');
    state.ingest(heartbeat);
    expect(state.applyStatus('n1', status({}), asked)).toBe(true);
  });

  it('ignores an answer from a node claiming to be someone else', () => {
    const state = new ClusterState({ registryTtlMs: 1000 });
    expect(state.applyStatus('n1', status({ id: 'n2' }), 0)).toBe(false);
    expect(state.facts.n1).toBeUndefined();
  });

  it('stamps every event with the next sequence number', () => {
    const state = new ClusterState({ registryTtlMs: 1000 });
    state.ingest(followed(103, 'n3'));
    state.ingest(heartbeat);
    expect(state.log.after(0).map((e) => [e.seq, e.kind])).toEqual([
      [1, 'leader.followed'],
      [2, 'message.received'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { beliefsFromStatus, DEFAULT_SETTINGS, type EmittedEvent, type EventBody, type NodeView, type RegistryView } from '@clusterlab/shared';
import {
  clusterLeader,
  composeClusterView,
  reduceFacts,
  UNKNOWN_FACTS,
  type FactsById,
  type ProcessFacts,
} from './cluster-view';

const at = (node: string, body: EventBody, time = 1000): EmittedEvent => ({ node, time, ...body }) as EmittedEvent;
const fold = (events: EmittedEvent[], start: FactsById = {}): FactsById => events.reduce(reduceFacts, start);

const running: ProcessFacts = { status: 'running', pid: 10, port: 5000, startedAt: 1, exit: null };
const registry: RegistryView = { status: 'running', pid: 9, port: 4001, url: 'http://127.0.0.1:4001', ttlMs: 1000, nodes: [] };

function node(id: string, patch: Partial<NodeView>): NodeView {
  return { id, ...UNKNOWN_FACTS, ...running, url: null, ...patch };
}

describe('what events say about a node', () => {
  it('a node that wins an election leads its epoch', () => {
    const facts = fold([at('n3', { kind: 'leader.elected', data: { term: 103, peers: ['n1', 'n2'] } })]);
    expect(facts.n3).toMatchObject({ role: 'leader', term: 103, leader: 'n3' });
  });

  it('a node that follows knows its leader and epoch', () => {
    const facts = fold([at('n1', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } })]);
    expect(facts.n1).toMatchObject({ role: 'follower', term: 103, leader: 'n3' });
  });

  it('a node that starts an election is a candidate without a leader', () => {
    const facts = fold([
      at('n1', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } }),
      at('n1', { kind: 'election.started', data: { term: 201, asked: ['n2', 'n3'] } }),
    ]);
    expect(facts.n1).toMatchObject({ role: 'candidate', leader: null, term: 103 });
  });

  it('a leader that hears of a newer epoch steps down and follows it', () => {
    const facts = fold([
      at('n3', { kind: 'leader.elected', data: { term: 103, peers: [] } }),
      at('n3', { kind: 'leader.stepped_down', data: { term: 103, newerTerm: 202, leader: 'n2' } }),
    ]);
    expect(facts.n3).toMatchObject({ role: 'follower', term: 202, leader: 'n2' });
  });

  it('an exited node believes nothing but keeps its last known indexes', () => {
    const facts = fold([
      at('n3', { kind: 'leader.elected', data: { term: 103, peers: [] } }),
      at('n3', { kind: 'replication.applied', data: { index: 7, keyCount: 4 } }),
      at('supervisor', { kind: 'node.exited', data: { id: 'n3', code: null, signal: 'SIGKILL', expected: true } }),
    ]);
    expect(facts.n3).toMatchObject({ role: 'unknown', leader: null, appliedIndex: 7, keyCount: 4, term: 103 });
  });

  it('a respawned node starts from nothing, then from what it restored', () => {
    const before = fold([at('n2', { kind: 'replication.applied', data: { index: 9, keyCount: 5 } })]);
    const spawned = fold([at('n2', { kind: 'node.spawned', data: { id: 'n2', pid: 77 } })], before);
    expect(spawned.n2).toEqual(UNKNOWN_FACTS);
    const ready = fold([at('n2', { kind: 'node.ready', data: { id: 'n2', pid: 77, port: 5002, algorithm: 'bully', restoredIndex: 9, restoredKeys: 5 } })], spawned);
    expect(ready.n2).toMatchObject({ appliedIndex: 9, keyCount: 5, commitIndex: 9 });
  });

  it('applying an entry means it was committed; a commit alone moves only the commit index', () => {
    const facts = fold([
      at('n1', { kind: 'replication.committed', data: { index: 3, term: 103 } }),
      at('n1', { kind: 'replication.applied', data: { index: 2, keyCount: 2 } }),
    ]);
    expect(facts.n1).toMatchObject({ commitIndex: 3, appliedIndex: 2, keyCount: 2 });
    const follower = fold([at('n2', { kind: 'replication.applied', data: { index: 5, keyCount: 3 } })]);
    expect(follower.n2).toMatchObject({ commitIndex: 5, appliedIndex: 5 });
  });

  it('a heartbeat, append or snapshot received marks the time a leader was last heard', () => {
    const msg = (type: 'heartbeat' | 'append.ack' | 'append', time: number) =>
      at('n1', { kind: 'message.received', data: { id: `m${time}`, from: 'n3', type, term: 103 } }, time);
    const facts = fold([msg('heartbeat', 100), msg('append.ack', 200)]);
    expect(facts.n1?.lastHeartbeatAt).toBe(100);
    expect(fold([msg('append', 300)], facts).n1?.lastHeartbeatAt).toBe(300);
  });

  it('events that change nothing leave the very same object, so "changed" is an identity check', () => {
    const facts = fold([at('n1', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } })]);
    expect(reduceFacts(facts, at('n1', { kind: 'node.peers', data: { peers: ['n2'] } }))).toBe(facts);
    expect(reduceFacts(facts, at('registry', { kind: 'registry.expired', data: { id: 'n1', silentMs: 1000 } }))).toBe(facts);
  });

  it('removing a node forgets it, and a new cluster forgets everyone', () => {
    const facts = fold([
      at('n1', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } }),
      at('n2', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } }),
    ]);
    expect(Object.keys(fold([at('n1', { kind: 'node.removed', data: { id: 'n1' } })], facts))).toEqual(['n2']);
    const started = at('supervisor', { kind: 'cluster.started', data: { settings: DEFAULT_SETTINGS, nodes: 3 } });
    expect(fold([started], facts)).toEqual({});
  });

  it('a node’s own status overwrites what the events said', () => {
    const healed = beliefsFromStatus(UNKNOWN_FACTS, {
      id: 'n1',
      algorithm: 'bully',
      role: 'follower',
      term: 202,
      leader: 'n2',
      peers: ['n2'],
      lastIndex: 4,
      commitIndex: 4,
      appliedIndex: 4,
      keyCount: 2,
      writeAck: 'majority',
    });
    expect(healed).toMatchObject({ role: 'follower', term: 202, leader: 'n2', appliedIndex: 4, keyCount: 2 });
  });
});

describe('who the cluster leader is', () => {
  it('is nobody before any election', () => {
    expect(clusterLeader([node('n1', {}), node('n2', {})])).toEqual({ leader: null, term: 0 });
  });

  it('is the leader of the highest epoch', () => {
    const nodes = [
      node('n1', { role: 'follower', term: 202, leader: 'n2' }),
      node('n2', { role: 'leader', term: 202, leader: 'n2' }),
      node('n3', { role: 'leader', term: 103, leader: 'n3', status: 'paused' }),
    ];
    expect(clusterLeader(nodes)).toEqual({ leader: 'n2', term: 202 });
  });

  it('is still a paused leader while nobody has moved past its epoch', () => {
    const nodes = [
      node('n1', { role: 'follower', term: 103, leader: 'n3' }),
      node('n3', { role: 'leader', term: 103, leader: 'n3', status: 'paused' }),
    ];
    expect(clusterLeader(nodes).leader).toBe('n3');
  });

  it('is nobody when the leader the followers name has been killed', () => {
    const nodes = [
      node('n1', { role: 'follower', term: 103, leader: 'n3' }),
      node('n3', { role: 'leader', term: 103, leader: 'n3', status: 'stopped' }),
    ];
    expect(clusterLeader(nodes)).toEqual({ leader: null, term: 103 });
  });

  it('is nobody while followers name a newer leader that has not confirmed yet', () => {
    const nodes = [
      node('n1', { role: 'follower', term: 202, leader: 'n2' }),
      node('n2', { role: 'candidate', term: 103 }),
      node('n3', { role: 'leader', term: 103, leader: 'n3', status: 'paused' }),
    ];
    expect(clusterLeader(nodes)).toEqual({ leader: null, term: 202 });
  });
});

describe('the composed cluster view', () => {
  it('joins process facts with beliefs, in rank order, with urls', () => {
    const facts = fold([
      at('n3', { kind: 'leader.elected', data: { term: 103, peers: [] } }),
      at('n10', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } }),
    ]);
    const processes = new Map<string, ProcessFacts>([
      ['n10', { ...running, port: 5010 }],
      ['n3', { ...running, port: 5003 }],
      ['n2', { status: 'starting', pid: 12, port: null, startedAt: 2, exit: null }],
    ]);
    const view = composeClusterView({ processes, facts, registry, settings: DEFAULT_SETTINGS, now: 42 });
    expect(view.nodes.map((n) => n.id)).toEqual(['n2', 'n3', 'n10']);
    expect(view.nodes[1]).toMatchObject({ id: 'n3', role: 'leader', url: 'http://127.0.0.1:5003', status: 'running' });
    expect(view.nodes[0]).toMatchObject({ role: 'unknown', url: null, status: 'starting' });
    expect(view).toMatchObject({ leader: 'n3', term: 103, now: 42, registry });
  });

  it('never shows a stopped process as leading, whatever it last said', () => {
    const facts = fold([at('n3', { kind: 'leader.elected', data: { term: 103, peers: [] } })]);
    const processes = new Map<string, ProcessFacts>([['n3', { ...running, status: 'stopped', exit: { code: null, signal: 'SIGKILL' } }]]);
    const view = composeClusterView({ processes, facts, registry, settings: DEFAULT_SETTINGS, now: 0 });
    expect(view.nodes[0]).toMatchObject({ role: 'unknown', leader: null, term: 103 });
    expect(view.leader).toBeNull();
  });
});

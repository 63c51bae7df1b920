import { describe, expect, it } from 'vitest';
import { beliefsAfter, beliefsFromStatus, believerOf, UNKNOWN_BELIEFS, type NodeBeliefs } from './beliefs';
import type { EmittedEvent, EventBody } from './events';

const at = (node: string, body: EventBody, time = 1): EmittedEvent => ({ node, time, ...body }) as EmittedEvent;
const fold = (events: EmittedEvent[], start: NodeBeliefs = UNKNOWN_BELIEFS) => events.reduce(beliefsAfter, start);

describe('what a node believes, from its events', () => {
  it('a lifecycle event made by the supervisor is about the node it names, not about its sender', () => {
    expect(believerOf(at('supervisor', { kind: 'node.exited', data: { id: 'n2', code: null, signal: 'SIGKILL', expected: true } }))).toBe('n2');
    expect(believerOf(at('supervisor', { kind: 'fault.injected', data: { action: 'kill', target: 'n2' } }))).toBeNull();
    expect(believerOf(at('n1', { kind: 'leader.followed', data: { term: 3, leader: 'n3' } }))).toBe('n1');
  });

  it('an election makes a candidate with no leader, whose term stays until it wins (a bully claim is not an epoch)', () => {
    const b = fold([at('n1', { kind: 'leader.followed', data: { term: 103, leader: 'n3' } }), at('n1', { kind: 'election.started', data: { term: 202, asked: ['n3'] } })]);
    expect(b).toMatchObject({ role: 'candidate', leader: null, term: 103 });
    expect(fold([at('n2', { kind: 'leader.elected', data: { term: 202, peers: [] } })], b)).toMatchObject({ role: 'leader', term: 202, leader: 'n2' });
  });

  it("Raft's pre-vote, vote and membership show on the node", () => {
    const b = fold([
      at('n1', { kind: 'election.prevote_started', data: { term: 5, asked: ['n2', 'n3'] } }),
      at('n1', { kind: 'election.vote_granted', data: { term: 5, candidate: 'n2', pre: false } }),
      at('n1', { kind: 'membership.changed', data: { index: 9, voters: ['n2', 'n3'], learners: ['n1'], committed: false } }),
    ]);
    expect(b).toMatchObject({ role: 'pre-candidate', term: 5, votedFor: 'n2', membership: 'learner' });
  });

  it('indexes follow the log: written, appended, truncated, committed, applied', () => {
    const b = fold([
      at('n1', { kind: 'replication.appended', data: { fromIndex: 1, toIndex: 8, term: 3, leader: 'n3' } }),
      at('n1', { kind: 'replication.truncated', data: { fromIndex: 6, toIndex: 8, reason: 'conflict' } }),
      at('n1', { kind: 'replication.applied', data: { index: 4, keyCount: 2 } }),
    ]);
    expect(b).toMatchObject({ lastIndex: 5, commitIndex: 4, appliedIndex: 4, keyCount: 2 });
  });

  it('only leader traffic counts as a heartbeat, whichever algorithm sent it', () => {
    const received = (type: string, time: number) => at('n1', { kind: 'message.received', data: { id: 'm', from: 'n3', type, term: 1 } }, time);
    expect(fold([received('heartbeat', 10)]).lastHeartbeatAt).toBe(10);
    expect(fold([received('append_entries', 20)]).lastHeartbeatAt).toBe(20);
    expect(fold([received('request_vote', 30)]).lastHeartbeatAt).toBeNull();
    const unchanged = fold([received('heartbeat', 10)]);
    expect(beliefsAfter(unchanged, received('election.ping', 40))).toBe(unchanged);
  });

  it("a node's own status is the truth, Raft's vote and membership included", () => {
    const b = beliefsFromStatus(UNKNOWN_BELIEFS, {
      id: 'n1',
      algorithm: 'raft',
      role: 'follower',
      term: 7,
      leader: 'n2',
      peers: ['n2'],
      lastIndex: 9,
      commitIndex: 8,
      appliedIndex: 8,
      keyCount: 3,
      writeAck: 'majority',
      votedFor: 'n2',
      membership: 'voter',
    });
    expect(b).toMatchObject({ term: 7, lastIndex: 9, votedFor: 'n2', membership: 'voter' });
  });
});

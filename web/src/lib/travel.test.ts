import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ClusterEvent } from '@clusterlab/shared';
import { eventFactory } from '../testing/events';
import { momentAt, momentsFrom, parseTravelHash, travelHash, type RunEvents } from './travel';

/** A recorded failover: three nodes start, n3 leads, n3 is killed, n2 takes over. */
function failoverRun(): RunEvents & { at: (kind: string, node?: string) => number } {
  const ev = eventFactory();
  const events: ClusterEvent[] = [
    ev(0, 'supervisor', 'cluster.started', { settings: DEFAULT_SETTINGS, nodes: 3 }),
    ...['n1', 'n2', 'n3'].flatMap((id, i) => [
      ev(10 + i, id, 'node.spawned', { id, pid: 100 + i }),
      ev(20 + i, id, 'node.ready', { id, pid: 100 + i, port: 4001 + i, algorithm: 'bully', restoredIndex: 0, restoredKeys: 0 }),
    ]),
    ev(300, 'n3', 'election.started', { term: 3, asked: [] }),
    ev(301, 'n3', 'leader.elected', { term: 3, peers: ['n1', 'n2'] }),
    ev(305, 'n1', 'leader.followed', { term: 3, leader: 'n3' }),
    ev(305, 'n2', 'leader.followed', { term: 3, leader: 'n3' }),
    ev(1000, 'supervisor', 'fault.injected', { action: 'kill', target: 'n3' }),
    ev(1002, 'n3', 'node.exited', { id: 'n3', code: null, signal: 'SIGKILL', expected: true }),
    ev(1250, 'n2', 'election.timeout', { term: 3, leader: 'n3', silentMs: 250 }),
    ev(1250, 'n2', 'election.started', { term: 102, asked: ['n3'] }),
    ev(1400, 'n2', 'leader.elected', { term: 102, peers: ['n1'] }),
    ev(1405, 'n1', 'leader.followed', { term: 102, leader: 'n2' }),
  ];
  const at = (kind: string, node?: string) => events.findIndex((e) => e.kind === kind && (node === undefined || e.node === node || ('id' in e.data && e.data.id === node)));
  return { settings: DEFAULT_SETTINGS, events, at };
}

describe('the dashboard at a moment of a recorded run', () => {
  it('before the kill: n3 leads, everyone runs, and the log holds nothing later', () => {
    const run = failoverRun();
    const m = momentAt(run, run.at('fault.injected') - 1);
    expect(m.cluster.leader).toBe('n3');
    expect(m.cluster.nodeIds).toEqual(['n1', 'n2', 'n3']);
    expect(['n1', 'n2', 'n3'].map((id) => [m.cluster.nodes[id]!.status, m.cluster.nodes[id]!.role])).toEqual([
      ['running', 'follower'],
      ['running', 'follower'],
      ['running', 'leader'],
    ]);
    expect(m.events.all.at(-1)!.kind).toBe('leader.followed');
    expect(m.events.leadership.failovers).toEqual([]);
  });

  it('just after the exit: n3 is stopped and nobody leads', () => {
    const run = failoverRun();
    const m = momentAt(run, run.at('node.exited'));
    expect(m.cluster.nodes.n3!.status).toBe('stopped');
    expect(m.cluster.leader).toBeNull();
    expect(m.events.leadership.leaderlessSince).toBe(1000);
  });

  it('at the end: n2 leads, and the failover is timed as the live page times it', () => {
    const run = failoverRun();
    const m = momentAt(run, run.events.length - 1);
    expect(m.cluster.leader).toBe('n2');
    expect(m.events.leadership.failovers).toEqual([expect.objectContaining({ oldLeader: 'n3', newLeader: 'n2', cause: 'kill', detectionMs: 250, electionMs: 150, totalMs: 400 })]);
  });

  it('before anything: no node is listed yet', () => {
    const run = failoverRun();
    expect(momentAt(run, -1).cluster.nodeIds).toEqual([]);
    expect(momentAt(run, run.at('node.spawned', 'n1')).cluster.nodeIds).toEqual(['n1']);
  });
});

describe('jumping through a run', () => {
  it('finds the moment the leader was lost and the next election, from before the kill', () => {
    const run = failoverRun();
    const from = run.at('fault.injected') - 1;
    expect(momentsFrom(run, from, momentAt(run, from).cluster.leader)).toEqual({ leaderLost: run.at('fault.injected'), nextElection: run.at('election.started', 'n2'), previousElection: run.at('leader.elected', 'n3') });
  });

  it('with no leader yet, finds the loss of the next one elected', () => {
    const run = failoverRun();
    expect(momentsFrom(run, 0, momentAt(run, 0).cluster.leader).leaderLost).toBe(run.at('fault.injected'));
  });

  it('has nowhere to go past the end', () => {
    const run = failoverRun();
    expect(momentsFrom(run, run.events.length - 1, momentAt(run, run.events.length - 1).cluster.leader)).toMatchObject({ leaderLost: null, nextElection: null });
  });
});

describe('links to a moment', () => {
  it.each([
    ['#run=r2&at=1234', { run: 'r2', at: 1234 }],
    ['#run=r2', { run: 'r2', at: null }],
    ['#sim=26&at=80', { sim: 26, algorithm: 'bully', at: 80 }],
    ['#sim=26&algorithm=raft', { sim: 26, algorithm: 'raft', at: null }],
  ])('reads %s', (hash, link) => {
    expect(parseTravelHash(hash)).toEqual(link);
    expect(travelHash(parseTravelHash(hash)!)).toBe(hash);
  });

  it.each(['', '#lesson=1', '#run=../etc', '#run=r1&at=-3', '#sim=x', '#sim=3&algorithm=paxos'])('ignores %s', (hash) => {
    expect(parseTravelHash(hash)).toBeNull();
  });
});

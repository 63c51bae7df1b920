import { describe, expect, it } from 'vitest';
import type { NodeId } from '@clusterlab/shared';
import { cluster, Driven, put, replies, reply, settle, type RaftCluster } from './testing';

const three = ['n1', 'n2', 'n3'];
/** Campaign events of `id` after the first `since` events of the run. */
const campaigned = (c: RaftCluster, id: NodeId, since = 0) =>
  c.events.slice(since).filter((e) => e.node === id && (e.event.kind === 'election.timeout' || e.event.kind === 'election.prevote_started' || e.event.kind === 'election.started'));

/** Entries from the leader stop reaching these nodes (heartbeats still do), so nothing new commits. */
function starve(c: RaftCluster, leader: NodeId, nodes: NodeId[]): void {
  c.drop = (from, to, msg) => from === leader && nodes.includes(to) && msg.type === 'append_entries' && msg.entries.length > 0;
}

describe('Raft membership changes (one server at a time)', () => {
  it('member.add: the new node joins as a learner, catches up, and is promoted to voter automatically', () => {
    const c = cluster(three);
    const leader = settle(c);
    for (let i = 0; i < 10; i++) c.put(leader, `k${i}`, 'v');
    c.add('n4');
    expect(c.core('n4').status().membership).toBe('none');
    const r = c.request(leader, { type: 'member.add', id: 'n4' });
    c.until(() => reply(c, r) !== undefined, 500);
    expect(reply(c, r)).toMatchObject({ type: 'ok' });
    c.until(() => c.up().every((id) => c.core(id).status().voters?.includes('n4') && c.core(id).status().commitIndex === c.core(leader).status().lastIndex), 1000, 'n4 a voter everywhere');
    expect(c.core('n4').status()).toMatchObject({ membership: 'voter', learners: [], keyCount: 10 });
    const changes = c.eventsOf('membership.changed').filter((e) => e.node === leader).map((e) => e.event.data);
    expect(changes.map(({ voters, learners, committed }) => ({ voters, learners, committed }))).toEqual([
      { voters: three, learners: ['n4'], committed: false },
      { voters: three, learners: ['n4'], committed: true },
      { voters: [...three, 'n4'], learners: [], committed: false },
      { voters: [...three, 'n4'], learners: [], committed: true },
    ]);
    // n4 now counts: with two of the original voters gone, the leader and n4 are not a majority of four.
    const others = three.filter((id) => id !== leader);
    c.crash(others[0]!);
    c.crash(others[1]!);
    const w = c.put(leader, 'x', '1');
    c.advance(300);
    expect(reply(c, w)?.type).not.toBe('ok');
    expect(c.core(leader).status().commitIndex).toBeLessThan(c.core(leader).status().lastIndex);
  });

  it('member.remove is answered only once the removal has committed', () => {
    const c = cluster(three, { checkQuorum: false });
    const leader = settle(c);
    const [f1, f2] = three.filter((id) => id !== leader) as [NodeId, NodeId];
    starve(c, leader, [f1, f2]);
    const r = c.request(leader, { type: 'member.remove', id: f2 });
    expect(c.core(leader).status().voters).toEqual(three.filter((id) => id !== f2)); // in force once logged
    c.advance(300);
    expect(reply(c, r)).toBeUndefined();
    starve(c, leader, [f2]);
    c.until(() => reply(c, r) !== undefined, 500);
    const ok = reply(c, r);
    expect(ok).toMatchObject({ type: 'ok' });
    if (ok?.type !== 'ok') throw new Error('unreachable');
    expect(c.core(leader).status().commitIndex).toBeGreaterThanOrEqual(ok.index);
    // The removed node's votes are refused; it cannot depose the leader.
    const term = c.core(leader).status().term;
    c.advance(2000);
    expect(c.leaders()).toEqual([leader]);
    expect(c.core(leader).status().term).toBe(term);
  });

  it('one change at a time: a second change while the first is uncommitted is refused', () => {
    const c = cluster(three, { checkQuorum: false });
    const leader = settle(c);
    starve(c, leader, three.filter((id) => id !== leader));
    const first = c.request(leader, { type: 'member.add', id: 'n4' });
    expect(reply(c, first)).toBeUndefined();
    for (const request of [{ type: 'member.add', id: 'n5' }, { type: 'member.remove', id: three.find((id) => id !== leader)! }] as const) {
      const second = reply(c, c.request(leader, request));
      expect(second).toMatchObject({ type: 'unavailable', maybeApplied: false });
      expect(second?.type === 'unavailable' && second.reason).toMatch(/one server at a time/);
    }
  });

  it('a leader that has not yet committed an entry of its own term refuses membership changes', () => {
    const d = new Driven('n1', three);
    d.elect(['n2']);
    const out = d.client(1, { type: 'member.add', id: 'n4' });
    expect(replies(out)).toEqual([{ requestId: 1, reply: expect.objectContaining({ type: 'unavailable', reason: expect.stringMatching(/own term/) }) }]);
  });

  it('asking again for a change the committed configuration already has is answered as done, so a client that timed out can retry', () => {
    const c = cluster(['n1']);
    settle(c);
    expect(reply(c, c.request('n1', { type: 'member.add', id: 'n1' }))).toMatchObject({ type: 'ok' });
    expect(reply(c, c.request('n1', { type: 'member.remove', id: 'n7' }))).toMatchObject({ type: 'ok' });
  });

  it('removing the last voter is invalid: a cluster needs one', () => {
    const c = cluster(['n1']);
    settle(c);
    expect(reply(c, c.request('n1', { type: 'member.remove', id: 'n1' }))).toMatchObject({ type: 'invalid', reason: expect.stringContaining('last voter') });
  });

  it('a learner never campaigns, however long it hears nothing', () => {
    const c = cluster(three);
    const leader = settle(c);
    c.add('n4');
    // Once n4 holds the configuration that makes it a learner, the leader stops hearing its
    // answers, so it never learns n4 has caught up: n4 stays a learner.
    c.drop = (from, _to, msg) => from === 'n4' && msg.type === 'append_entries.reply' && c.core('n4').status().membership === 'learner';
    const r = c.request(leader, { type: 'member.add', id: 'n4' });
    c.until(() => reply(c, r) !== undefined, 500);
    expect(c.core('n4').status().membership).toBe('learner');
    const since = c.events.length;
    c.partition(['n4'], three);
    c.advance(3000);
    expect(campaigned(c, 'n4', since)).toEqual([]);
    expect(c.core('n4').status()).toMatchObject({ role: 'follower', membership: 'learner' });
  });

  it('a node outside the configuration (a joiner not yet added) waits and never campaigns', () => {
    const c = cluster(three);
    settle(c);
    c.add('n4');
    c.advance(3000);
    expect(campaigned(c, 'n4')).toEqual([]);
    expect(c.core('n4').status()).toMatchObject({ membership: 'none', term: 0, voters: [] });
  });

  it('a leader that removes itself steps down once the removal commits, and the others carry on', () => {
    const c = cluster(three);
    const leader = settle(c);
    c.put(leader, 'before', '1');
    const r = c.request(leader, { type: 'member.remove', id: leader });
    c.until(() => reply(c, r) !== undefined, 500);
    expect(reply(c, r)).toMatchObject({ type: 'ok' });
    expect(c.core(leader).status()).toMatchObject({ role: 'follower', membership: 'none' });
    expect(c.eventsOf('leader.stepped_down').find((e) => e.node === leader)?.event.data.reason).toMatch(/removed/);
    const since = c.events.length;
    c.until(() => c.leaders().length === 1, 2000, 'a new leader');
    const next = c.leaders()[0]!;
    expect(next).not.toBe(leader);
    expect(reply(c, c.put(next, 'after', '2'))).toMatchObject({ type: 'ok' });
    c.advance(2000);
    expect(campaigned(c, leader, since)).toEqual([]);
  });

  it('a configuration is in force as soon as it is logged, and reverts if that entry is truncated', () => {
    const d = new Driven('n1', three);
    const config = { voters: [...three, 'n4'], learners: [] };
    d.deliver('n2', { type: 'append_entries', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [put(1, 1, 'a'), { index: 2, term: 1, command: { type: 'config', config } }], leaderCommit: 1, round: 1 });
    expect(d.core.status().voters).toEqual(config.voters);
    d.deliver('n3', { type: 'append_entries', term: 2, prevLogIndex: 1, prevLogTerm: 1, entries: [put(2, 2, 'b')], leaderCommit: 1, round: 1 });
    expect(d.core.status().voters).toEqual(three);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type RaftMessage } from '@clusterlab/shared';
import { emptyDisk, fold, type RaftDisk, type RaftRecord } from './records';
import { cluster, Driven, put, records, sends, settle } from './testing';

const disk = (...recs: RaftRecord[]): RaftDisk => recs.reduce(fold, emptyDisk());
const vote = (term: number, lastLogIndex: number, lastLogTerm: number, pre = false) =>
  ({ type: 'request_vote', term, pre, lastLogIndex, lastLogTerm }) as const;
const heartbeat = (term: number, prevLogIndex = 0, prevLogTerm = 0): RaftMessage => ({ type: 'append_entries', term, prevLogIndex, prevLogTerm, entries: [], leaderCommit: 0, round: 1 });

describe('Raft elections', () => {
  it('a lone voter elects itself once its election timeout passes', () => {
    const c = cluster(['n1']);
    c.until(() => c.leaders().length === 1, 1000, 'a leader');
    expect(c.now).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.electionTimeoutMinMs);
    expect(c.core('n1').status()).toMatchObject({ role: 'leader', term: 1, votedFor: 'n1', commitIndex: 1 });
  });

  it('election timeouts are drawn from [electionTimeoutMinMs, electionTimeoutMaxMs] by the seeded generator', () => {
    const waits = new Set<number>();
    for (let seed = 1; seed <= 200; seed++) {
      const d = new Driven('n1', ['n1', 'n2', 'n3'], {}, undefined, seed);
      const wait = d.core.nextWakeAt() - d.now;
      expect(wait).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.electionTimeoutMinMs);
      expect(wait).toBeLessThanOrEqual(DEFAULT_SETTINGS.electionTimeoutMaxMs);
      waits.add(wait);
    }
    expect(waits.size).toBeGreaterThan(20);
    // Same seed, same timeout: nothing else feeds the draw.
    expect(new Driven('n1', ['n1'], {}, undefined, 7).core.nextWakeAt()).toBe(new Driven('n1', ['n1'], {}, undefined, 7).core.nextWakeAt());
  });

  it('election safety: when leaders crash, each new leader has a higher term and no term has two', () => {
    const c = cluster(['n1', 'n2', 'n3', 'n4', 'n5']);
    for (let i = 0; i < 4; i++) {
      const leader = settle(c);
      const term = c.core(leader).status().term;
      c.crash(leader);
      c.until(() => c.leaders().length === 1, 3000, 'a new leader');
      expect(c.core(c.leaders()[0]!).status().term).toBeGreaterThan(term);
      c.restart(leader);
    }
    const terms = c.eventsOf('leader.elected').map((e) => e.event.data.term);
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('a candidate whose log is behind gets no vote, but its newer term is adopted durably', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3'], {}, disk({ type: 'hard_state', term: 2, votedFor: null }, { type: 'entries', entries: [put(1, 1, 'a'), put(2, 2, 'b')] }));
    const out = d.deliver('n2', vote(3, 5, 1)); // longer, but its last term is older
    expect(sends(out, 'request_vote.reply')[0]!.msg).toMatchObject({ term: 3, granted: false, reason: 'log behind' });
    expect(records(out)).toContainEqual({ type: 'hard_state', term: 3, votedFor: null });
    const same = d.deliver('n3', vote(3, 1, 3)); // a newer last term wins even if shorter
    expect(sends(same, 'request_vote.reply')[0]!.msg).toMatchObject({ granted: true });
    const d2 = new Driven('n1', ['n1', 'n2', 'n3'], {}, disk({ type: 'entries', entries: [put(1, 1, 'a'), put(2, 2, 'b')] }));
    expect(sends(d2.deliver('n2', vote(3, 1, 2)), 'request_vote.reply')[0]!.msg).toMatchObject({ granted: false, reason: 'log behind' });
  });

  it('at most one vote per term, and the vote is persisted before the reply that grants it', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    const out = d.deliver('n2', vote(2, 0, 0));
    const persistAt = out.findIndex((o) => o.type === 'persist' && o.record.type === 'hard_state' && o.record.votedFor === 'n2');
    const replyAt = out.findIndex((o) => o.type === 'send' && o.msg.type === 'request_vote.reply');
    expect(persistAt).toBeGreaterThanOrEqual(0);
    expect(persistAt).toBeLessThan(replyAt);
    expect(sends(d.deliver('n3', vote(2, 0, 0)), 'request_vote.reply')[0]!.msg).toMatchObject({ granted: false, reason: 'already voted' });
    expect(sends(d.deliver('n2', vote(2, 0, 0)), 'request_vote.reply')[0]!.msg).toMatchObject({ granted: true }); // a retry
  });

  it('a node never votes twice in a term across a restart', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    d.deliver('n2', vote(4, 0, 0));
    const again = new Driven('n1', ['n1', 'n2', 'n3'], {}, d.disk);
    expect(again.core.status()).toMatchObject({ term: 4, votedFor: 'n2' });
    expect(sends(again.deliver('n3', vote(4, 0, 0)), 'request_vote.reply')[0]!.msg).toMatchObject({ granted: false, reason: 'already voted' });
  });

  it('a candidate outside this node\'s configuration still gets its vote (§4.1: a voter it has not heard of yet must be able to win)', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    expect(sends(d.deliver('n9', vote(2, 0, 0)), 'request_vote.reply')[0]!.msg).toMatchObject({ granted: true });
  });

  it('a vote request of an older term is refused with the current term', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3'], {}, disk({ type: 'hard_state', term: 5, votedFor: null }));
    expect(sends(d.deliver('n2', vote(3, 9, 3)), 'request_vote.reply')[0]!.msg).toMatchObject({ term: 5, granted: false, reason: 'stale term' });
  });
});

describe('PreVote', () => {
  it('a pre-candidate asks for term + 1 without changing its own term or vote', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    const out = d.tickUntil((o) => sends(o, 'request_vote').length > 0);
    expect(sends(out, 'request_vote').map((s) => s.msg)).toEqual([vote(1, 0, 0, true), vote(1, 0, 0, true)]);
    expect(records(out)).toEqual([]);
    expect(d.core.status()).toMatchObject({ role: 'pre-candidate', term: 0, votedFor: null });
  });

  it('pre-votes are refused while a leader is alive, and granted once it has been silent', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    d.deliver('n2', heartbeat(1));
    const refused = d.deliver('n3', vote(2, 0, 0, true));
    expect(sends(refused, 'request_vote.reply')[0]!.msg).toMatchObject({ term: 1, granted: false, reason: 'leader alive' });
    d.now += DEFAULT_SETTINGS.electionTimeoutMinMs;
    const granted = d.deliver('n3', vote(2, 0, 0, true));
    expect(sends(granted, 'request_vote.reply')[0]!.msg).toMatchObject({ term: 2, pre: true, granted: true });
    expect(d.core.status().term).toBe(1);
  });

  it('a node partitioned away and healed does not raise the term or depose the leader', () => {
    const c = cluster(['n1', 'n2', 'n3'], { preVote: true, checkQuorum: false });
    const leader = settle(c);
    const term = c.core(leader).status().term;
    const loner = ['n1', 'n2', 'n3'].find((id) => id !== leader)!;
    c.partition([loner], ['n1', 'n2', 'n3'].filter((id) => id !== loner));
    c.advance(3000);
    expect(c.eventsOf('election.prevote_started').filter((e) => e.node === loner).length).toBeGreaterThan(3);
    expect(c.core(loner).status().term).toBe(term);
    c.heal();
    const healedAt = c.now;
    c.advance(1000);
    expect(c.leaders()).toEqual([leader]);
    for (const id of ['n1', 'n2', 'n3']) expect(c.core(id).status()).toMatchObject({ term, leader });
    expect(c.eventsOf('leader.stepped_down').filter((e) => e.at >= healedAt)).toEqual([]);
  });

  it('without PreVote, the same node comes back with a higher term and deposes the leader', () => {
    const c = cluster(['n1', 'n2', 'n3'], { preVote: false, checkQuorum: false });
    const leader = settle(c);
    const term = c.core(leader).status().term;
    const loner = ['n1', 'n2', 'n3'].find((id) => id !== leader)!;
    c.partition([loner], ['n1', 'n2', 'n3'].filter((id) => id !== loner));
    c.advance(3000);
    expect(c.core(loner).status().term).toBeGreaterThan(term + 3);
    c.heal();
    c.until(() => c.eventsOf('leader.stepped_down').some((e) => e.node === leader), 1000, 'the leader to be deposed');
    settle(c);
    expect(c.core(c.leaders()[0]!).status().term).toBeGreaterThan(term + 3);
  });
});

describe('CheckQuorum', () => {
  it('a leader cut off from the majority steps down within an election timeout', () => {
    const c = cluster(['n1', 'n2', 'n3', 'n4', 'n5'], { checkQuorum: true });
    const leader = settle(c);
    const others = c.up().filter((id) => id !== leader);
    c.partition([leader, others[0]!], others.slice(1));
    const cutAt = c.now;
    c.until(() => c.core(leader).status().role !== 'leader', 2000, 'the leader to step down');
    expect(c.now - cutAt).toBeLessThanOrEqual(DEFAULT_SETTINGS.electionTimeoutMaxMs);
    const down = c.eventsOf('leader.stepped_down').find((e) => e.node === leader)!;
    expect(down.event.data.reason).toMatch(/check quorum/);
  });

  it("a leader that stepped down counts its silence from the step-down, not from when it last followed someone", () => {
    const c = cluster(['n1', 'n2', 'n3'], { checkQuorum: true });
    const leader = settle(c);
    c.advance(3000); // it has led for a while: its last leader other than itself is long ago
    c.partition([leader], c.up().filter((id) => id !== leader));
    c.until(() => c.core(leader).status().role !== 'leader', 2000, 'the leader to step down');
    const downAt = c.now;
    c.until(() => c.eventsOf('election.timeout').some((e) => e.node === leader && e.at >= downAt), 2000, 'its election timeout');
    const timeout = c.eventsOf('election.timeout').find((e) => e.node === leader && e.at >= downAt)!;
    expect(timeout.event.data.silentMs).toBeLessThanOrEqual(DEFAULT_SETTINGS.electionTimeoutMaxMs);
  });

  it('without CheckQuorum the cut-off leader keeps believing it leads', () => {
    const c = cluster(['n1', 'n2', 'n3'], { checkQuorum: false });
    const leader = settle(c);
    c.partition([leader], c.up().filter((id) => id !== leader));
    c.advance(2000);
    expect(c.core(leader).status().role).toBe('leader');
  });

  it('with CheckQuorum, a follower that hears its leader refuses a vote for a higher term without adopting it (the leader lease)', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3'], { checkQuorum: true });
    d.deliver('n2', heartbeat(1));
    const out = d.deliver('n3', vote(7, 0, 0));
    expect(sends(out, 'request_vote.reply')[0]!.msg).toMatchObject({ term: 1, granted: false, reason: 'leader alive' });
    expect(d.core.status()).toMatchObject({ term: 1, leader: 'n2' });
    const off = new Driven('n1', ['n1', 'n2', 'n3'], { checkQuorum: false });
    off.deliver('n2', heartbeat(1));
    expect(sends(off.deliver('n3', vote(7, 0, 0)), 'request_vote.reply')[0]!.msg).toMatchObject({ term: 7, granted: true });
  });
});

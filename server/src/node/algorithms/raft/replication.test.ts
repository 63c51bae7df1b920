import { describe, expect, it } from 'vitest';
import { MAX_APPEND_ENTRIES, type NodeId, type RaftMessage } from '@clusterlab/shared';
import { TestCluster } from '../../core/test-cluster';
import type { Algorithm } from '../../core/types';
import { raft } from './index';
import { diskLastIndex, diskLog, emptyDisk, fold, type RaftDisk, type RaftRecord } from './records';
import { cluster, Driven, put, raftSettings, records, reply, sends, settle } from './testing';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
const disk = (...recs: RaftRecord[]): RaftDisk => recs.reduce(fold, emptyDisk());
const acked = (term: number, matchIndex: number, round = 1) =>
  ({ type: 'append_entries.reply', term, success: true, matchIndex, conflictTerm: null, conflictIndex: 0, round }) as const;
const append = (term: number, prevLogIndex: number, prevLogTerm: number, entries: ReturnType<typeof put>[], leaderCommit = 0, round = 1) =>
  ({ type: 'append_entries', term, prevLogIndex, prevLogTerm, entries, leaderCommit, round }) as const;

describe('Raft commit rule', () => {
  it('Figure 3.7: a leader never commits an entry of an earlier term by counting replicas', () => {
    // (c) S1 led term 2 and got index 2 to S2; S5 led term 3 and logged its own index 2;
    // now S1 leads term 4 and brings its index 2 (term 2) to a majority: S1, S2, S3.
    const d = new Driven('n1', five, {}, disk({ type: 'hard_state', term: 3, votedFor: null }, { type: 'entries', entries: [put(1, 1, 'x'), put(2, 2, 'y')] }, { type: 'commit', index: 1 }));
    d.elect(['n2', 'n3']);
    expect(d.core.status()).toMatchObject({ role: 'leader', term: 4, lastIndex: 3, commitIndex: 1 });
    d.deliver('n2', acked(4, 2));
    d.deliver('n3', acked(4, 2));
    expect(d.core.status().commitIndex).toBe(1);
    // (d) Why: S5, whose log ends (2, term 3), can still win S2, S3 and S4 and overwrite index 2.
    const s2 = new Driven('n2', five, {}, disk({ type: 'hard_state', term: 4, votedFor: 'n1' }, { type: 'entries', entries: [put(1, 1, 'x'), put(2, 2, 'y')] }));
    expect(sends(s2.deliver('n5', { type: 'request_vote', term: 5, pre: false, lastLogIndex: 2, lastLogTerm: 3 }), 'request_vote.reply')[0]!.msg.granted).toBe(true);
    // (e) Once an entry of term 4 is on a majority, it commits, and index 2 with it.
    d.deliver('n2', acked(4, 3));
    expect(d.core.status().commitIndex).toBe(1);
    const out = d.deliver('n3', acked(4, 3));
    expect(d.core.status().commitIndex).toBe(3);
    const committed = d.log.flat().flatMap((o) => (o.type === 'event' && o.event.kind === 'replication.committed' ? [o.event.data] : []));
    expect(committed).toEqual([{ index: 3, term: 4 }]);
    expect(records(out)).toContainEqual({ type: 'commit', index: 3 });
  });

  it('a write is acknowledged only after a majority holds it', () => {
    const c = cluster(['n1', 'n2', 'n3'], { checkQuorum: false });
    const leader = settle(c);
    const [f1, f2] = c.up().filter((id) => id !== leader) as [NodeId, NodeId];
    // Heartbeats still flow (nobody starts an election); only the entries are lost.
    let starved = [f1, f2];
    c.drop = (from, to, msg) => from === leader && starved.includes(to) && msg.type === 'append_entries' && msg.entries.length > 0;
    const w = c.put(leader, 'k', 'v');
    c.advance(500);
    expect(reply(c, w)).toBeUndefined();
    starved = [f2];
    c.until(() => reply(c, w) !== undefined, 200, 'the ack');
    const ok = reply(c, w);
    expect(ok).toMatchObject({ type: 'ok', term: c.core(leader).status().term });
    if (ok?.type !== 'ok') throw new Error('unreachable');
    const holders = [leader, f1, f2].filter((id) => diskLog(c.disks.get(id)!).some((e) => e.index === ok.index && e.term === ok.term));
    expect(holders.sort()).toEqual([leader, f1].sort());
  });

  it('a write not acknowledged within writeTimeoutMs gets timeout, with its index', () => {
    const c = cluster(['n1', 'n2', 'n3'], { checkQuorum: false, writeTimeoutMs: 300 });
    const leader = settle(c);
    c.partition([leader], c.up().filter((id) => id !== leader));
    const w = c.put(leader, 'k', 'v');
    c.advance(299);
    expect(reply(c, w)).toBeUndefined();
    c.advance(1);
    expect(reply(c, w)).toEqual({ type: 'timeout', index: c.core(leader).status().lastIndex });
  });

  it('a leader that steps down answers its pending writes unavailable, maybe applied', () => {
    const c = cluster(['n1', 'n2', 'n3'], { checkQuorum: true });
    const leader = settle(c);
    c.partition([leader], c.up().filter((id) => id !== leader));
    const w = c.put(leader, 'k', 'v');
    c.until(() => reply(c, w) !== undefined, 1000);
    expect(reply(c, w)).toMatchObject({ type: 'unavailable', maybeApplied: true });
  });

  it('a follower redirects writes to the leader; a node that knows no leader says unavailable', () => {
    const c = cluster(['n1', 'n2', 'n3']);
    const fresh = c.put('n1', 'k', 'v');
    expect(reply(c, fresh)).toMatchObject({ type: 'unavailable', maybeApplied: false });
    const leader = settle(c);
    const follower = c.up().find((id) => id !== leader)!;
    expect(reply(c, c.put(follower, 'k', 'v'))).toEqual({ type: 'redirect', leader });
    expect(reply(c, c.request(follower, { type: 'delete', key: 'k' }))).toEqual({ type: 'redirect', leader });
  });

  it('heartbeats are empty appends, every heartbeatIntervalMs', () => {
    const c = cluster(['n1', 'n2', 'n3']);
    const leader = settle(c);
    const follower = c.up().find((id) => id !== leader)!;
    const from = c.now;
    c.advance(500);
    const beats = c.delivered.filter((d) => d.at > from && d.from === leader && d.to === follower && d.msg.type === 'append_entries');
    expect(beats.length).toBeGreaterThanOrEqual(9);
    for (const b of beats) expect(b.msg.type === 'append_entries' && b.msg.entries).toEqual([]);
    const gaps = beats.slice(1).map((b, i) => b.at - beats[i]!.at);
    expect(new Set(gaps)).toEqual(new Set([c.settings.heartbeatIntervalMs]));
  });

  it('a follower far behind is caught up in batches of at most MAX_APPEND_ENTRIES', () => {
    const c = cluster(['n1', 'n2', 'n3'], { snapshotThresholdEntries: 1_000_000 });
    const leader = settle(c);
    const follower = c.up().find((id) => id !== leader)!;
    c.crash(follower);
    for (let i = 0; i < 4500; i++) c.put(leader, `k${i % 50}`, `v${i}`);
    const from = c.delivered.length;
    c.restart(follower);
    c.until(() => c.core(follower).status().appliedIndex === c.core(leader).status().commitIndex, 2000);
    const sizes = c.delivered.slice(from).flatMap((d) => (d.to === follower && d.msg.type === 'append_entries' ? [d.msg.entries.length] : []));
    expect(Math.max(...sizes)).toBe(MAX_APPEND_ENTRIES);
    expect(sizes.filter((n) => n > 0).length).toBeLessThanOrEqual(4);
  });
});

describe("the leader's own disk (§10.2.1)", () => {
  it("sends a new entry to the followers before its own disk has it, but counts itself only once it does", () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    d.elect(['n2']);
    const term = d.core.status().term;
    // The no-op of the new term, acknowledged by n2 and on our disk: committed.
    d.deliver('n2', { type: 'append_entries.reply', term, success: true, matchIndex: 1, conflictTerm: null, conflictIndex: 0, round: 0 });
    expect(d.core.status().commitIndex).toBe(1);
    d.instantDisk = false;
    const write = d.client(1, { type: 'put', key: 'k', value: 'v' });
    // The entry goes to the followers at once, written but not yet known durable here.
    expect(sends(write, 'append_entries').map((s) => s.msg.entries.map((e) => e.index))).toContainEqual([2]);
    const persisted = write.find((o) => o.type === 'persist' && o.whenDurable);
    expect(persisted).toMatchObject({ lazy: true, whenDurable: { index: 2, term } });
    // n2 has it on its disk; we do not yet: one copy of three is no majority.
    const acked = d.deliver('n2', { type: 'append_entries.reply', term, success: true, matchIndex: 2, conflictTerm: null, conflictIndex: 0, round: 0 });
    expect(d.core.status().commitIndex).toBe(1);
    expect(acked.filter((o) => o.type === 'reply')).toEqual([]);
    // Our disk catches up: now two copies, committed, and the client hears.
    const done = d.durable({ index: 2, term });
    expect(d.core.status().commitIndex).toBe(2);
    expect(done).toContainEqual(expect.objectContaining({ type: 'reply', reply: expect.objectContaining({ type: 'ok', index: 2 }) }));
  });

  it('a report about an entry since cut from the log says nothing about the entry now there', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    d.instantDisk = false;
    d.deliver('n2', append(1, 0, 0, [put(1, 1, 'a')]));
    d.deliver('n3', append(2, 0, 0, [put(1, 2, 'b')])); // a newer leader overrules index 1
    const before = d.core.status();
    d.durable({ index: 1, term: 1 });
    expect(d.core.status()).toEqual(before);
  });
});

describe('Raft log matching and conflicts', () => {
  it('a stale, duplicated or reordered append never truncates what a newer one added', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    const first = append(1, 0, 0, [put(1, 1, 'a'), put(2, 1, 'b')]);
    const second = append(1, 2, 1, [put(3, 1, 'c'), put(4, 1, 'd')]);
    d.deliver('n2', first);
    d.deliver('n2', second);
    const dup = d.deliver('n2', first);
    const old = d.deliver('n2', append(1, 1, 1, [put(2, 1, 'b')]));
    expect(d.core.status().lastIndex).toBe(4);
    expect([...records(dup), ...records(old)]).toEqual([]);
    expect(sends(dup, 'append_entries.reply')[0]!.msg).toMatchObject({ success: true, matchIndex: 2 });
    // Reordered: the later append first is refused (a gap), then both land.
    const r = new Driven('n1', ['n1', 'n2', 'n3']);
    expect(sends(r.deliver('n2', second), 'append_entries.reply')[0]!.msg).toMatchObject({ success: false, conflictTerm: null, conflictIndex: 1 });
    r.deliver('n2', first);
    r.deliver('n2', second);
    expect(r.core.status().lastIndex).toBe(4);
    expect(records(r.log.flat())).not.toContainEqual(expect.objectContaining({ type: 'truncate' }));
  });

  it('a real conflict truncates, durably, before the reply', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    d.deliver('n2', append(1, 0, 0, [put(1, 1, 'a'), put(2, 1, 'b'), put(3, 1, 'c')]));
    const out = d.deliver('n3', append(2, 1, 1, [put(2, 2, 'x')]));
    expect(records(out)).toEqual([
      { type: 'hard_state', term: 2, votedFor: null },
      { type: 'truncate', afterIndex: 1 },
      { type: 'entries', entries: [put(2, 2, 'x')] },
    ]);
    const lastPersist = out.map((o) => o.type).lastIndexOf('persist');
    expect(out.findIndex((o) => o.type === 'send')).toBeGreaterThan(lastPersist);
    expect(diskLog(d.disk).map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 2]]);
    const restarted = new Driven('n1', ['n1', 'n2', 'n3'], {}, d.disk);
    expect(restarted.core.status()).toMatchObject({ term: 2, lastIndex: 2 });
  });

  it('fast back-off: a follower with a long divergent log is repaired in a few round trips', () => {
    const c = cluster(five, { checkQuorum: false, snapshotThresholdEntries: 1_000_000 });
    const old = settle(c);
    const oldTerm = c.core(old).status().term;
    for (let i = 0; i < 5; i++) c.put(old, `a${i}`, 'x');
    const rest = c.up().filter((id) => id !== old);
    c.partition([old], rest);
    // The old leader keeps taking writes it can never commit: 200 entries only it holds.
    for (let i = 0; i < 200; i++) c.put(old, `lost${i}`, 'x');
    c.until(() => c.leaders().some((id) => id !== old), 2000, 'a new leader');
    const second = c.leaders().find((id) => id !== old)!;
    for (let i = 0; i < 30; i++) c.put(second, `b${i}`, 'y');
    // A third leader, so its view of the old leader starts at its own last index, deep in the divergence.
    c.crash(second);
    c.until(() => c.leaders().some((id) => id !== old), 2000, 'a third leader');
    const leader = c.leaders().find((id) => id !== old)!;
    c.restart(second);
    for (let i = 0; i < 30; i++) c.put(leader, `c${i}`, 'z');
    expect(c.core(old).status().lastIndex).toBeGreaterThan(c.core(leader).status().lastIndex + 100);
    const healedAt = c.now;
    const from = c.delivered.length;
    c.heal();
    c.until(() => c.core(old).status().appliedIndex === c.core(leader).status().commitIndex, 1000, 'the old leader repaired');
    const rejections = c.eventsOf('replication.rejected').filter((e) => e.node === old && e.at >= healedAt);
    const appends = c.delivered.slice(from).filter((d) => d.from === leader && d.to === old && d.msg.type === 'append_entries');
    // One refusal names the old term and where it starts; the leader jumps past its own last
    // entry of that term, and the next append lands. Without the hint: 200 round trips.
    expect(rejections.length).toBeGreaterThanOrEqual(1);
    expect(rejections.length).toBeLessThanOrEqual(2);
    expect(rejections[0]!.event.data.conflictTerm).toBe(oldTerm);
    expect(appends.length).toBeLessThanOrEqual(4);
    expect(c.core(old).list(1000)).toEqual(c.core(leader).list(1000));
    expect(c.eventsOf('replication.truncated').filter((e) => e.node === old && e.at >= healedAt)).toHaveLength(1);
    // The truncation is durable: after a crash the divergent entries do not come back.
    c.crash(old);
    const onDisk = diskLog(c.disks.get(old)!);
    expect(onDisk.some((e) => e.command.type === 'put' && e.command.key.startsWith('lost'))).toBe(false);
    c.restart(old);
    expect(c.core(old).status().lastIndex).toBe(c.core(leader).status().lastIndex);
  });

  it('a restart replays the disk: term, vote, log and commit, and applies what it had applied', () => {
    const c = cluster(['n1', 'n2', 'n3']);
    const leader = settle(c);
    for (let i = 0; i < 20; i++) c.put(leader, `k${i}`, `v${i}`);
    c.request(leader, { type: 'delete', key: 'k3' });
    c.advance(100);
    for (const id of ['n1', 'n2', 'n3']) {
      const before = c.core(id).status();
      const data = c.core(id).list(100);
      c.crash(id);
      c.restart(id);
      const after = c.core(id).status();
      expect({ ...after, role: before.role, leader: before.leader }).toEqual({ ...before });
      expect(after.appliedIndex).toBe(before.appliedIndex);
      expect(c.core(id).list(100)).toEqual(data);
      settle(c);
    }
  });
});

describe('persist before send', () => {
  it('every message and reply leaves after the records it depends on, in the same step or before', () => {
    const disks = new Map<NodeId, RaftDisk>();
    let checks = 0;
    const holds = (d: RaftDisk, index: number, term: number) =>
      index <= (d.snapshot?.index ?? 0) || diskLog(d).some((e) => e.index === index && e.term === term);
    const algorithm: Algorithm<RaftMessage, RaftRecord, RaftDisk> = {
      ...raft,
      create(config, restored) {
        const core = raft.create(config, restored);
        disks.set(config.id, restored ?? emptyDisk());
        const id = config.id;
        return {
          ...core,
          id,
          step(input) {
            const outputs = core.step(input);
            for (const o of outputs) {
              let d = disks.get(id)!;
              if (o.type === 'persist') disks.set(id, (d = fold(d, structuredClone(o.record))));
              if (o.type === 'persist' && o.record.type === 'commit') expect(diskLastIndex(d)).toBeGreaterThanOrEqual(o.record.index);
              if (o.type === 'reply' && o.reply.type === 'ok') expect(holds(d, o.reply.index, o.reply.term), `${id} acked before persisting`).toBe(true);
              if (o.type !== 'send') continue;
              checks++;
              const m = o.msg;
              const pre = (m.type === 'request_vote' || m.type === 'request_vote.reply') && m.pre;
              if (!pre) expect(m.term, `${id} sent ${m.type} in an unpersisted term`).toBeLessThanOrEqual(d.term);
              if (m.type === 'request_vote' && !m.pre) expect([d.term, d.votedFor]).toEqual([m.term, id]);
              if (m.type === 'request_vote.reply' && !m.pre && m.granted) expect([d.term, d.votedFor]).toEqual([m.term, o.to]);
              if (m.type === 'append_entries') for (const e of m.entries) expect(holds(d, e.index, e.term), `${id} sent unpersisted ${e.index}`).toBe(true);
              if (m.type === 'append_entries.reply' && m.success) expect(diskLastIndex(d)).toBeGreaterThanOrEqual(m.matchIndex);
            }
            return outputs;
          },
          nextWakeAt: () => core.nextWakeAt(),
          status: () => core.status(),
          list: (limit, after) => core.list(limit, after),
          image: () => core.image(),
        };
      },
    };
    const c = new TestCluster(algorithm, ['n1', 'n2', 'n3'], raftSettings({ snapshotThresholdEntries: 10 }));
    for (let round = 0; round < 6; round++) {
      const leader = settle(c);
      for (let i = 0; i < 30; i++) c.put(leader, `k${i}`, `v${round}`);
      const victim = round % 2 === 0 ? leader : c.up().find((id) => id !== leader)!;
      c.crash(victim);
      c.advance(400);
      c.restart(victim);
    }
    expect(checks).toBeGreaterThan(500);
  });
});

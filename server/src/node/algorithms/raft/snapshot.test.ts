import { describe, expect, it } from 'vitest';
import type { NodeId, RaftMessage, StoredValue } from '@clusterlab/shared';
import { TestCluster } from '../../core/test-cluster';
import { raft } from './index';
import { RaftCore } from './raft-core';
import { MAX_SNAPSHOT_CHUNK_BYTES } from './snapshot';
import { cluster, Driven, put, raftSettings, records, sends, settle } from './testing';

type Chunk = Extract<RaftMessage, { type: 'install_snapshot' }>;
const chunk = (lastIncludedIndex: number, offset: number, data: [string, StoredValue][], done: boolean, term = 1): Chunk => ({
  type: 'install_snapshot',
  term,
  lastIncludedIndex,
  lastIncludedTerm: term,
  config: { voters: ['n1', 'n2', 'n3'], learners: [] },
  offset,
  data,
  done,
});
const pair = (k: string, index = 1): [string, StoredValue] => [k, { value: `${k}!`, index }];

describe('Raft log compaction and InstallSnapshot', () => {
  it('past snapshotThresholdEntries applied entries, the in-memory log keeps only a bounded tail', () => {
    const c = new TestCluster(raft, ['n1', 'n2', 'n3'], raftSettings({ snapshotThresholdEntries: 100 }));
    const leader = settle(c);
    for (let i = 0; i < 1000; i++) c.put(leader, `k${i % 10}`, `v${i}`);
    c.advance(100);
    for (const id of ['n1', 'n2', 'n3']) {
      const { baseIndex, lastIndex } = (c.core(id) as RaftCore).logBounds();
      expect(lastIndex).toBe(c.core(leader).status().lastIndex);
      expect(lastIndex - baseIndex).toBeLessThanOrEqual(100);
      expect(baseIndex).toBeGreaterThan(800);
      expect(c.core(id).status().keyCount).toBe(10);
    }
  });

  it('a far-behind follower gets the leader state in several chunks, one in flight, and every key arrives', () => {
    const c = cluster(['n1', 'n2', 'n3'], { snapshotThresholdEntries: 10 });
    const leader = settle(c);
    const follower = c.up().find((id) => id !== leader)!;
    c.crash(follower);
    const big = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 40; i++) c.put(leader, `key${i}`, `${big}${i}`);
    c.request(leader, { type: 'delete', key: 'key7' });
    for (let i = 0; i < 20; i++) c.put(leader, `small${i}`, `${i}`);
    const from = c.delivered.length;
    c.restart(follower);
    c.until(() => c.core(follower).status().appliedIndex === c.core(leader).status().commitIndex, 3000, 'the follower caught up');
    const conversation = c.delivered.slice(from).filter((d) => (d.from === leader && d.to === follower) || (d.from === follower && d.to === leader));
    const chunks = conversation.flatMap((d) => (d.msg.type === 'install_snapshot' ? [d.msg] : []));
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    let offset = 0;
    for (const [i, ch] of chunks.entries()) {
      expect(ch.offset).toBe(offset);
      offset += ch.data.length;
      expect(ch.done).toBe(i === chunks.length - 1);
      expect(Buffer.byteLength(JSON.stringify(ch.data))).toBeLessThanOrEqual(MAX_SNAPSHOT_CHUNK_BYTES);
    }
    // One chunk in flight: each chunk after the first follows the answer to the one before.
    const kinds = conversation.map((d) => d.msg.type).filter((t) => t === 'install_snapshot' || t === 'install_snapshot.reply');
    expect(kinds).toEqual(chunks.flatMap(() => ['install_snapshot', 'install_snapshot.reply']));
    expect(c.core(follower).list(1000)).toEqual(c.core(leader).list(1000));
    expect(c.core(follower).status().keyCount).toBe(59);
    expect(c.eventsOf('replication.synced').some((e) => e.node === follower && e.event.data.mode === 'snapshot')).toBe(true);
    // The leader carries on with appends after the snapshot.
    const after = c.delivered.length;
    c.put(leader, 'later', '1');
    c.advance(c.settings.heartbeatIntervalMs); // followers learn the commit with the next append
    expect(c.core(follower).list(1000)).toEqual(c.core(leader).list(1000));
    expect(c.delivered.slice(after).some((d) => d.to === follower && d.msg.type === 'install_snapshot')).toBe(false);
    // The installed snapshot is durable.
    c.crash(follower);
    c.restart(follower);
    expect(c.core(follower).status().keyCount).toBe(60);
  });

  it('a follower ignores duplicate and out-of-order chunks, and a new snapshot starts the transfer over', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    const at = (msg: Chunk) => sends(d.deliver('n2', msg), 'install_snapshot.reply')[0]!.msg;
    expect(at(chunk(50, 0, [pair('a'), pair('b')], false))).toMatchObject({ nextOffset: 2, done: false });
    expect(at(chunk(50, 0, [pair('a'), pair('b')], false))).toMatchObject({ nextOffset: 2, done: false });
    expect(at(chunk(50, 5, [pair('z')], true))).toMatchObject({ nextOffset: 2, done: false });
    expect(at(chunk(60, 2, [pair('q')], true))).toMatchObject({ lastIncludedIndex: 60, nextOffset: 0, done: false });
    const out = d.deliver('n2', chunk(50, 2, [pair('c')], true));
    expect(sends(out, 'install_snapshot.reply')[0]!.msg).toMatchObject({ nextOffset: 3, done: true });
    const persisted = records(out);
    expect(persisted).toEqual([{ type: 'snapshot', index: 50, term: 1, config: { voters: ['n1', 'n2', 'n3'], learners: [] }, data: [pair('a'), pair('b'), pair('c')] }]);
    expect(out.findIndex((o) => o.type === 'persist')).toBeLessThan(out.findIndex((o) => o.type === 'send'));
    expect(d.core.status()).toMatchObject({ lastIndex: 50, commitIndex: 50, appliedIndex: 50, keyCount: 3 });
    // A new snapshot: offset 0 starts a fresh buffer.
    expect(at(chunk(80, 0, [pair('n')], false))).toMatchObject({ lastIncludedIndex: 80, nextOffset: 1 });
    // Appends continue after the snapshot index.
    const reply = sends(d.deliver('n2', { type: 'append_entries', term: 1, prevLogIndex: 50, prevLogTerm: 1, entries: [put(51, 1, 'd')], leaderCommit: 51, round: 9 }), 'append_entries.reply')[0]!;
    expect(reply.msg).toMatchObject({ success: true, matchIndex: 51 });
    expect(d.core.status()).toMatchObject({ appliedIndex: 51, keyCount: 4 });
  });

  it('a snapshot of what the follower already holds commits instead of cutting its log', () => {
    const d = new Driven('n1', ['n1', 'n2', 'n3']);
    d.deliver('n2', { type: 'append_entries', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [put(1, 1, 'a'), put(2, 1, 'b'), put(3, 1, 'c')], leaderCommit: 0, round: 1 });
    const out = d.deliver('n2', chunk(2, 0, [pair('a'), pair('b')], false));
    expect(sends(out, 'install_snapshot.reply')[0]!.msg).toMatchObject({ done: true });
    expect(records(out)).toEqual([{ type: 'commit', index: 2 }]);
    expect(d.core.status()).toMatchObject({ lastIndex: 3, commitIndex: 2 });
  });

  it('image() restores a node exactly, and records folded after it still replay', () => {
    const c = new TestCluster(raft, ['n1', 'n2', 'n3'], raftSettings({ snapshotThresholdEntries: 20 }));
    const leader = settle(c);
    for (let i = 0; i < 95; i++) c.put(leader, `k${i % 13}`, `v${i}`);
    c.request(leader, { type: 'delete', key: 'k2' });
    c.advance(60);
    for (const id of ['n1', 'n2', 'n3'] as NodeId[]) {
      const core = c.core(id);
      const image = core.image();
      const copy = raft.create({ id, settings: c.settings, seed: 1, initialVoters: ['n1', 'n2', 'n3'] }, structuredClone(image));
      expect({ ...copy.status(), role: 'x', leader: null, peers: [] }).toEqual({ ...core.status(), role: 'x', leader: null, peers: [] });
      expect(copy.list(100)).toEqual(core.list(100));
      expect(copy.image()).toEqual(image);
      c.crash(id);
      c.disks.set(id, structuredClone(image)); // the host wrote an image; the WAL starts afresh
      c.restart(id);
      const next = settle(c);
      for (let i = 0; i < 10; i++) c.put(next, `after-${id}-${i}`, 'x');
    }
    c.advance(60);
    for (const id of ['n1', 'n2', 'n3']) {
      c.crash(id);
      c.restart(id);
    }
    const last = settle(c);
    c.put(last, 'end', '1');
    c.advance(60);
    for (const id of ['n1', 'n2', 'n3']) expect(c.core(id).list(100)).toEqual(c.core(last).list(100));
  });
});

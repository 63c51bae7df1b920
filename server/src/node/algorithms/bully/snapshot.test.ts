import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, MAX_SNAPSHOT_CHUNK_BYTES, type BullyMessage, type BullyMessageOf, type StoredValue } from '@clusterlab/shared';
import { TestCluster } from '../../core/test-cluster';
import type { CoreOutput } from '../../core/types';
import { BullyChecker } from './checker';
import { emptyState, foldRecord } from './records';
import type { BullyDisk, BullyRecord } from './types';
import { bully } from '.';

type BullyCluster = TestCluster<BullyMessage, BullyRecord, BullyDisk>;
type Chunk = BullyMessageOf<'snapshot'>;

const BIG = 'x'.repeat(100 * 1024);
const KEYS = 40;

/**
 * A cluster whose leader n3 holds ~4 MiB (40 values of 100 KiB) and whose n3 was then replaced
 * by n2 after logging a write nobody else has: when n3 comes back it holds an entry n2 never
 * had, and n2 sends it a snapshot — eight chunks or more.
 */
function divergedCluster(): BullyCluster {
  const c = new TestCluster(bully, ['n1', 'n2', 'n3'], { ...DEFAULT_SETTINGS });
  c.until(() => c.core('n1').status().leader === 'n3' && c.core('n2').status().leader === 'n3', 2000, 'n3 to lead');
  for (let i = 0; i < KEYS; i++) c.put('n3', `key${i}`, `${BIG}${i}`);
  c.advance(100);
  c.cut.add('n3>n1').add('n3>n2');
  c.put('n3', 'only-on-n3', 'x'); // logged by n3, never acknowledged, never replicated
  c.crash('n3');
  c.refreshPeers();
  c.until(() => c.core('n1').status().leader === 'n2', 3000, 'n2 to take over');
  c.cut.clear();
  c.put('n2', 'after', 'y');
  return c;
}

const chunksTo = (c: BullyCluster, to: string, from = 0) =>
  c.delivered.slice(from).flatMap((d) => (d.to === to && d.msg.type === 'snapshot' ? [d.msg] : []));
const jsonBytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));
const localValueOf = (c: BullyCluster, id: string, key: string) => c.core(id).list(1000).entries.find(([k]) => k === key)?.[1].value;

describe('bully snapshots, in chunks', () => {
  it('a diverged follower gets the leader state in bounded chunks, one in flight, and every key arrives', () => {
    const c = divergedCluster();
    const from = c.delivered.length;
    c.restart('n3');
    c.refreshPeers();
    c.until(() => c.core('n3').status().appliedIndex === c.core('n2').status().commitIndex, 3000, 'n3 to catch up');
    const chunks = chunksTo(c, 'n3', from);
    expect(chunks.length).toBeGreaterThanOrEqual(8);
    let offset = 0;
    for (const [i, ch] of chunks.entries()) {
      expect(ch.offset).toBe(offset);
      offset += ch.data.length;
      expect(ch.done).toBe(i === chunks.length - 1);
      expect(jsonBytes(ch.data)).toBeLessThanOrEqual(MAX_SNAPSHOT_CHUNK_BYTES);
    }
    // One chunk in flight: each chunk after the first follows the answer to the one before.
    const kinds = c.delivered
      .slice(from)
      .filter((d) => d.msg.type === 'snapshot' || d.msg.type === 'snapshot.ack')
      .map((d) => d.msg.type);
    expect(kinds).toEqual(chunks.flatMap((ch) => (ch.done ? ['snapshot'] : ['snapshot', 'snapshot.ack'])));
    expect(c.core('n3').list(1000)).toEqual(c.core('n2').list(1000));
    expect(c.core('n3').status().keyCount).toBe(KEYS + 1);
    const sent = c.eventsOf('replication.sync_sent').filter((e) => e.node === 'n2' && e.event.data.mode === 'snapshot').at(-1)!;
    expect(sent.event.data.chunks).toBe(chunks.length);
    expect(localValueOf(c, 'n3', 'only-on-n3')).toBeUndefined(); // the entry n2 never had is gone
  });

  it('the follower installs nothing until the last chunk: its state stays whole, and the lost chunk is sent again', () => {
    const c = divergedCluster();
    const before = c.core('n3').list(1000);
    let dropping = true;
    c.drop = (_from, to, msg) => dropping && to === 'n3' && msg.type === 'snapshot' && msg.done;
    c.restart('n3');
    c.refreshPeers();
    c.advance(50);
    expect(chunksTo(c, 'n3').length).toBeGreaterThan(1);
    // Every chunk but the last has arrived, and nothing of it shows.
    expect(c.core('n3').list(1000)).toEqual(before);
    expect(c.core('n3').status().lastIndex).toBe(KEYS + 1);
    dropping = false;
    c.until(() => c.core('n3').status().appliedIndex === c.core('n2').status().commitIndex, 2000, 'the last chunk to be sent again');
    expect(c.core('n3').list(1000)).toEqual(c.core('n2').list(1000));
  });

  it('heartbeats keep reaching a follower mid-transfer, which neither stands for election nor asks to be synced again', () => {
    const c = divergedCluster();
    let stalled = true;
    let acks = 0;
    c.drop = (_from, _to, msg) => stalled && msg.type === 'snapshot.ack' && ++acks > 2; // the transfer stalls at its third chunk
    const from = c.delivered.length;
    const eventsFrom = c.events.length;
    c.restart('n3');
    c.refreshPeers();
    c.advance(3 * c.settings.electionTimeoutMaxMs);
    const heard = c.delivered.slice(from).filter((d) => d.to === 'n3' && d.msg.type === 'heartbeat');
    expect(heard.length).toBeGreaterThan(5);
    const n3Events = c.events.slice(eventsFrom).filter((e) => e.node === 'n3');
    const firstChunkAt = c.delivered.slice(from).find((d) => d.to === 'n3' && d.msg.type === 'snapshot')!.at;
    expect(n3Events.filter((e) => e.event.kind === 'election.started')).toEqual([]);
    expect(n3Events.filter((e) => e.event.kind === 'replication.sync_requested' && e.at > firstChunkAt)).toEqual([]);
    expect(c.core('n3').status()).toMatchObject({ role: 'follower', leader: 'n2' });
    // The unanswered chunk is sent again at heartbeat pace, not restarted from the beginning.
    const chunks = chunksTo(c, 'n3', from);
    expect(chunks.length).toBeGreaterThan(4);
    expect(new Set(chunks.slice(2).map((ch) => ch.offset)).size).toBe(1);
    stalled = false;
    c.until(() => c.core('n3').status().appliedIndex === c.core('n2').status().commitIndex, 2000, 'n3 to catch up');
  });

  it('the snapshot is frozen where it was taken: writes during the transfer do not tear it, and follow it as entries', () => {
    const c = divergedCluster();
    let held: { to: string; msg: BullyMessage }[] = [];
    c.drop = (_from, to, msg) => {
      if (msg.type !== 'snapshot.ack') return false;
      held.push({ to, msg });
      return true;
    };
    c.restart('n3');
    c.refreshPeers();
    c.advance(10);
    const first = chunksTo(c, 'n3')[0]!;
    // While the transfer waits, the leader changes keys the snapshot holds.
    for (let i = 0; i < 5; i++) c.put('n2', `key${i}`, `changed${i}`);
    c.request('n2', { type: 'delete', key: 'key7' });
    c.drop = () => false;
    for (const h of held) c.core('n2').step({ type: 'message', now: c.now, from: 'n3', msg: h.msg }); // answers arrive late
    held = [];
    c.until(() => c.core('n3').status().appliedIndex === c.core('n2').status().commitIndex, 3000, 'n3 to catch up');
    const chunks = chunksTo(c, 'n3').filter((ch) => ch.index === first.index);
    const snapshotValue = (key: string) => chunks.flatMap((ch) => ch.data).find(([k]) => k === key)?.[1];
    expect(snapshotValue('key0')?.value).toBe(`${BIG}0`); // as of the snapshot's index
    expect(snapshotValue('key7')).toBeDefined();
    expect(c.core('n3').list(1000)).toEqual(c.core('n2').list(1000)); // and then the later writes, as entries
  });

  it('a chunk of another snapshot, or out of order, is not kept: the follower says where it stands', () => {
    const c = divergedCluster();
    const n1 = c.core('n1');
    const epoch = n1.status().term;
    const pair = (k: string): [string, StoredValue] => [k, { value: k, index: 1 }];
    const chunk = (over: Partial<Chunk>): Chunk => ({ type: 'snapshot', epoch, index: 99, indexEpoch: epoch, offset: 0, data: [pair('a')], done: false, commitIndex: 0, ...over });
    const step = (msg: Chunk) => n1.step({ type: 'message', now: c.now, from: 'n2', msg });
    const acks = (out: CoreOutput<BullyMessage, BullyRecord>[]) => out.flatMap((o) => (o.type === 'send' && o.msg.type === 'snapshot.ack' ? [o.msg.nextOffset] : []));
    const records = (out: CoreOutput<BullyMessage, BullyRecord>[]) => out.filter((o) => o.type === 'persist');
    const before = n1.list(1000);

    let out = step(chunk({ offset: 1 })); // the middle of a snapshot it never began
    expect(acks(out)).toEqual([0]);
    expect(records(out)).toEqual([]);
    expect(acks(step(chunk({})))).toEqual([1]);
    out = step(chunk({})); // a duplicate of the first
    expect(acks(out)).toEqual([1]);
    expect(records(out)).toEqual([]);
    expect(acks(step(chunk({ offset: 2, data: [pair('c')], done: true })))).toEqual([1]); // one was skipped
    expect(acks(step(chunk({ index: 98, offset: 1 })))).toEqual([0]); // another snapshot's middle
    expect(n1.list(1000)).toEqual(before);
    out = step(chunk({ offset: 1, data: [pair('b')], done: true }));
    expect(out).toContainEqual({ type: 'send', to: 'n2', msg: { type: 'append.ack', epoch, matchIndex: 99 } });
    expect(n1.list(1000).entries.map(([k]) => k)).toEqual(['a', 'b']);
  });

  it('a follower restarted mid-transfer forgets the chunks it had and is sent the snapshot from the start', () => {
    const c = divergedCluster();
    const before = c.core('n3').list(1000);
    let crashed = false;
    c.drop = (_from, to, msg) => {
      if (crashed || to !== 'n3' || msg.type !== 'snapshot' || msg.offset < 3) return false;
      crashed = true;
      c.crash('n3'); // after three chunks, before the fourth
      return true;
    };
    c.restart('n3');
    c.refreshPeers();
    c.advance(10);
    expect(crashed).toBe(true);
    // Its disk holds the chunks it took, but no installed snapshot: what it restarts with is its old state.
    const disk = c.disks.get('n3')!;
    expect(disk.incoming?.data.length).toBeGreaterThan(0);
    const reborn = bully.create({ id: 'n3', settings: c.settings, seed: 1, initialVoters: [] }, structuredClone(disk));
    expect(reborn.list(1000)).toEqual(before);
    const from = c.delivered.length;
    c.restart('n3');
    c.until(() => c.core('n3').status().appliedIndex === c.core('n2').status().commitIndex, 3000, 'n3 to catch up');
    expect(chunksTo(c, 'n3', from)[0]?.offset).toBe(0);
    expect(c.core('n3').list(1000)).toEqual(c.core('n2').list(1000));
  });
});

describe('bully snapshot records on disk', () => {
  const pairs = (...keys: string[]): [string, StoredValue][] => keys.map((k) => [k, { value: k, index: 5 }]);
  const fold = (records: BullyRecord[]): BullyDisk => records.reduce(foldRecord, emptyState());

  it('chunks replace the state only once installed, whole', () => {
    const chunks: BullyRecord[] = [
      { type: 'entries', entries: [{ index: 1, epoch: 1, op: { type: 'put', key: 'old', value: 'v' } }] },
      { type: 'snapshot.chunk', index: 5, epoch: 2, offset: 0, data: pairs('a', 'b') },
      { type: 'snapshot.chunk', index: 5, epoch: 2, offset: 2, data: pairs('c') },
    ];
    expect(fold(chunks)).toMatchObject({ snapshot: null, entries: [{ index: 1 }] });
    expect(fold([...chunks, { type: 'snapshot.install', index: 5, epoch: 2, pairs: 3 }])).toEqual({
      epoch: 0,
      snapshot: { index: 5, epoch: 2, data: pairs('a', 'b', 'c') },
      entries: [],
      commitIndex: 5,
    });
  });

  it('a chunk at offset 0 starts over; chunks that do not continue, or an install short of pairs, are a damaged disk', () => {
    const restarted = fold([
      { type: 'snapshot.chunk', index: 5, epoch: 2, offset: 0, data: pairs('a', 'b') },
      { type: 'snapshot.chunk', index: 6, epoch: 2, offset: 0, data: pairs('z') },
      { type: 'snapshot.install', index: 6, epoch: 2, pairs: 1 },
    ]);
    expect(restarted.snapshot).toEqual({ index: 6, epoch: 2, data: pairs('z') });
    expect(() => fold([{ type: 'snapshot.chunk', index: 5, epoch: 2, offset: 1, data: pairs('b') }])).toThrow(/does not continue/);
    expect(() =>
      fold([
        { type: 'snapshot.chunk', index: 5, epoch: 2, offset: 0, data: pairs('a') },
        { type: 'snapshot.install', index: 5, epoch: 2, pairs: 2 },
      ]),
    ).toThrow(/1 of its 2 pairs/);
  });

  it('the simulator takes a snapshot lineage from the last chunk only, where the snapshot takes effect', () => {
    const ch = (done: boolean): Chunk => ({ type: 'snapshot', epoch: 3, index: 7, indexEpoch: 3, offset: 0, data: [], done, commitIndex: 7 });
    expect(bully.snapshotIndex(ch(false))).toBeNull();
    expect(bully.snapshotIndex(ch(true))).toBe(7);
    expect(bully.lineage({ type: 'snapshot.chunk', index: 7, epoch: 3, offset: 0, data: [] })).toBeNull();
    expect(bully.lineage({ type: 'snapshot.install', index: 7, epoch: 3, pairs: 0 })).toEqual({ type: 'snapshot', index: 7 });
  });
});

describe("the simulator's check that a snapshot is installed whole", () => {
  const status = (keyCount: number) => ({ id: 'n1', algorithm: 'bully' as const, role: 'follower' as const, term: 3, leader: 'n3', peers: [], lastIndex: 7, commitIndex: 7, appliedIndex: 7, keyCount, writeAck: 'majority' });
  const last = { type: 'message' as const, now: 0, from: 'n3', msg: { type: 'snapshot' as const, epoch: 3, index: 7, indexEpoch: 3, offset: 1, data: [], done: true, commitIndex: 7 } };
  const persist = (record: BullyRecord): CoreOutput<BullyMessage, BullyRecord> => ({ type: 'persist', record });
  const chunk = (offset: number, n: number): BullyRecord => ({ type: 'snapshot.chunk', index: 7, epoch: 3, offset, data: Array.from({ length: n }, (_, i) => [`k${offset + i}`, { value: 'v', index: 7 }]) });
  const install = (pairs: number): BullyRecord => ({ type: 'snapshot.install', index: 7, epoch: 3, pairs });

  it('passes chunks kept in order and installed on the last', () => {
    const checker = new BullyChecker();
    checker.afterStep('n1', 1, last, [persist(chunk(0, 2))], status(0));
    checker.afterStep('n1', 1, last, [persist(chunk(2, 1)), persist(install(3))], status(3));
  });

  it('names a chunk kept out of order, an install short of pairs, or one on anything but the last chunk', () => {
    const checker = () => new BullyChecker();
    expect(() => checker().afterStep('n1', 1, last, [persist(chunk(2, 1))], status(0))).toThrow(/installed whole.*offset 2/);
    const short = checker();
    short.afterStep('n1', 1, last, [persist(chunk(0, 2))], status(0));
    expect(() => short.afterStep('n1', 1, last, [persist(install(3))], status(2))).toThrow(/as 3 pairs, holding 2/);
    const early = checker();
    early.afterStep('n1', 1, last, [persist(chunk(0, 2))], status(0));
    expect(() => early.afterStep('n1', 1, { type: 'tick', now: 0 }, [persist(install(2))], status(2))).toThrow(/other than its last chunk/);
  });
});

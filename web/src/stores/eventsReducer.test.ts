import { describe, expect, it } from 'vitest';
import { appendEvents, applySnapshotEvents, initialEvents } from './eventsReducer';
import { eventFactory } from '../testing/events';
import { clusterView } from '../testing/views';

const hb = (ev: ReturnType<typeof eventFactory>, t: number) => ev(t, 'n3', 'message.sent', { id: `m${t}`, to: 'n1', type: 'heartbeat', term: 103 });

describe('event buffer', () => {
  it('appends events in sequence order and remembers the last sequence', () => {
    const ev = eventFactory();
    const a = ev(1, 'n1', 'node.peers', { peers: [] });
    const b = ev(2, 'n2', 'node.peers', { peers: [] });
    const s = appendEvents(appendEvents(initialEvents, [a]), [b]);
    expect(s.all.map((e) => e.seq)).toEqual([1, 2]);
    expect(s.lastSeq).toBe(2);
  });

  it('drops events it already has, so a resumed stream adds no duplicate rows', () => {
    const ev = eventFactory();
    const batch = [1, 2, 3].map((t) => ev(t, 'n1', 'node.peers', { peers: [] }));
    const once = appendEvents(initialEvents, batch);
    const more = ev(4, 'n1', 'node.peers', { peers: [] });
    const twice = appendEvents(once, [...batch.slice(1), more]);
    expect(twice.all.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same state when a frame brings nothing new (no re-render)', () => {
    const ev = eventFactory();
    const s = appendEvents(initialEvents, [ev(1, 'n1', 'node.peers', { peers: [] })]);
    expect(appendEvents(s, s.all)).toBe(s);
  });

  it('keeps only the newest events past the cap', () => {
    const ev = eventFactory();
    let s = initialEvents;
    for (let i = 0; i < 5; i++) s = appendEvents(s, [1, 2, 3].map((t) => ev(t, 'n1', 'node.peers', { peers: [] })), 7);
    expect(s.all.map((e) => e.seq)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    const big = appendEvents(initialEvents, Array.from({ length: 20 }, (_, t) => ev(t, 'n1', 'node.peers', { peers: [] })), 7);
    expect(big.all).toHaveLength(7);
    expect(big.all[6]!.seq).toBe(big.lastSeq);
  });

  it('keeps a second buffer without heartbeats, so hiding them still shows a long history', () => {
    const ev = eventFactory();
    const elected = ev(1, 'n3', 'leader.elected', { term: 103, peers: [] });
    const s = appendEvents(initialEvents, [elected, hb(ev, 2), hb(ev, 3)]);
    expect(s.all).toHaveLength(3);
    expect(s.notable).toEqual([elected]);
  });

  it('lists every emitter once, nodes by rank', () => {
    const ev = eventFactory();
    const s = appendEvents(initialEvents, ['n10', 'supervisor', 'n2', 'registry', 'n2'].map((n, t) => ev(t, n, 'node.peers', { peers: [] })));
    expect(s.sources).toEqual(['n2', 'n10', 'registry', 'supervisor']);
  });

  it('folds leadership from the events it accepts', () => {
    const ev = eventFactory();
    const s = appendEvents(initialEvents, [ev(5, 'n3', 'leader.elected', { term: 103, peers: [] })]);
    expect(s.leadership.leader).toBe('n3');
  });
});

describe('snapshots', () => {
  it('a snapshot on reconnect continues the history without duplicates', () => {
    const ev = eventFactory();
    const seen = [1, 2, 3].map((t) => ev(t, 'n1', 'node.peers', { peers: [] }));
    const s = appendEvents(initialEvents, seen);
    const later = [4, 5].map((t) => ev(t, 'n1', 'node.peers', { peers: [] }));
    const next = applySnapshotEvents(s, { events: [seen[2]!, ...later], lastSeq: 5, cluster: clusterView() }, 0);
    expect(next.all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(next.missed).toBe(0);
  });

  it('counts events the supervisor could no longer send after a long disconnect', () => {
    const ev = eventFactory();
    const s = appendEvents(initialEvents, [ev(1, 'n1', 'node.peers', { peers: [] })]);
    const ev2 = eventFactory(50);
    const next = applySnapshotEvents(s, { events: [ev2(2, 'n1', 'node.peers', { peers: [] })], lastSeq: 50, cluster: clusterView() }, 0);
    expect(next.missed).toBe(48);
    expect(next.lastSeq).toBe(50);
  });

  it('a snapshot behind our sequence means the supervisor restarted: history starts over', () => {
    const ev = eventFactory(100);
    const s = appendEvents(initialEvents, [ev(1, 'n1', 'node.peers', { peers: [] })]);
    const fresh = eventFactory(1)(2, 'n2', 'node.peers', { peers: [] });
    const next = applySnapshotEvents(s, { events: [fresh], lastSeq: 1, cluster: clusterView() }, 0);
    expect(next.all).toEqual([fresh]);
    expect(next.lastSeq).toBe(1);
  });

  it('takes the leader from the view when the snapshot history does not include its election', () => {
    const next = applySnapshotEvents(initialEvents, { events: [], lastSeq: 0, cluster: clusterView() }, 0);
    expect(next.leadership.leader).toBe('n3');
  });
});

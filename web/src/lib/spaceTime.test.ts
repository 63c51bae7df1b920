import { describe, expect, it } from 'vitest';
import type { ClusterEvent, MessageFamily } from '@clusterlab/shared';
import { eventFactory } from '../testing/events';
import { inPast, SpaceTimeBuffer } from './spaceTimeBuffer';
import { DEFAULT_FAMILIES, describeLayout, hitTest, layoutDiagram, stepMessage, type LayoutOptions } from './spaceTimeLayout';

const LANES = ['client', 'n1', 'n2', 'n3', 'registry'];

function send(ev: ReturnType<typeof eventFactory>, t: number, from: string, to: string, id: string, family: MessageFamily = 'election', type = 'election.ping'): ClusterEvent {
  return ev(t, from, 'message.sent', { id, to, type, term: 1, family });
}
function recv(ev: ReturnType<typeof eventFactory>, t: number, from: string, to: string, id: string, family: MessageFamily = 'election', type = 'election.ping'): ClusterEvent {
  return ev(t, to, 'message.received', { id, from, type, term: 1, family });
}

function view(buf: SpaceTimeBuffer, over: Partial<LayoutOptions> = {}) {
  return layoutDiagram(buf, { endMs: buf.newestMs ?? 0, heightPx: 400, widthPx: 564, msPerPx: 1, families: DEFAULT_FAMILIES, lanes: LANES, ...over });
}

describe('the space-time buffer', () => {
  it('pairs a send with its receipt by id, whatever arrives between', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), send(ev, 1001, 'n1', 'n3', 'b'), recv(ev, 1002, 'n1', 'n3', 'b'), recv(ev, 1003, 'n1', 'n2', 'a')]);
    const a = buf.messageById('a')!;
    expect([a.from, a.to, a.sent?.time, a.received?.time]).toEqual(['n1', 'n2', 1000, 1003]);
    expect(buf.messageById('b')!.received?.time).toBe(1002);
  });

  it('lists the events a message caused', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), recv(ev, 1002, 'n1', 'n2', 'a')]);
    const answer = { ...send(ev, 1003, 'n2', 'n1', 'c', 'election', 'election.answer'), cause: 'a' } as ClusterEvent;
    buf.ingest([answer]);
    expect(buf.causedBy('a')).toEqual([answer]);
  });

  it('keeps at most its bound, dropping the oldest first', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer(100, 60_000);
    for (let i = 0; i < 250; i++) buf.ingest([ev(1000 + i, 'n1', 'replication.committed', { index: i, term: 1 })]);
    expect(buf.size).toBe(100);
    expect(buf.oldestMs).toBe(1150);
    expect(buf.newestMs).toBe(1249);
  });

  it('keeps no event older than its age bound behind the newest', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer(1000, 500);
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), recv(ev, 1001, 'n1', 'n2', 'a'), ev(2000, 'n1', 'replication.committed', { index: 1, term: 1 })]);
    expect(buf.size).toBe(1);
    expect(buf.messageById('a')).toBeUndefined();
  });

  it('skips what a resumed feed sends again', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    const batch = [send(ev, 1000, 'n1', 'n2', 'a'), recv(ev, 1001, 'n1', 'n2', 'a')];
    buf.ingest(batch);
    buf.ingest(batch);
    expect(buf.size).toBe(2);
  });
});

describe('the causal past', () => {
  it('of a receipt holds its send and everything before the send on the sender, not a concurrent event elsewhere', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    const before = ev(990, 'n1', 'election.timeout', { term: 0, leader: null, silentMs: 700 });
    const s = send(ev, 1000, 'n1', 'n2', 'a');
    const concurrent = ev(1001, 'n3', 'election.timeout', { term: 0, leader: null, silentMs: 700 });
    const afterSend = ev(1002, 'n1', 'replication.committed', { index: 1, term: 1 });
    const r = recv(ev, 1003, 'n1', 'n2', 'a');
    buf.ingest([before, s, concurrent, afterSend, r]);
    const past = buf.causalPast(r);
    expect(inPast(past, s)).toBe(true);
    expect(inPast(past, before)).toBe(true);
    expect(inPast(past, r)).toBe(true);
    expect(inPast(past, concurrent)).toBe(false);
    expect(inPast(past, afterSend)).toBe(false);
  });

  it('goes across more than one message', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    const early = ev(900, 'n3', 'election.timeout', { term: 0, leader: null, silentMs: 700 });
    buf.ingest([early, send(ev, 1000, 'n3', 'n1', 'x'), recv(ev, 1001, 'n3', 'n1', 'x'), send(ev, 1002, 'n1', 'n2', 'y')]);
    const r = recv(ev, 1003, 'n1', 'n2', 'y');
    buf.ingest([r]);
    expect(inPast(buf.causalPast(r), early)).toBe(true);
  });
});

describe('the layout', () => {
  it('draws a message as an arrow from its sender lane at its send to its receiver lane at its receipt', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), recv(ev, 1002, 'n1', 'n2', 'a')]);
    const l = view(buf);
    expect(l.arrows).toHaveLength(1);
    const [a] = l.arrows;
    const x = Object.fromEntries(l.lanes.map((ln) => [ln.id, ln.x]));
    expect([a!.x0, a!.x1]).toEqual([x.n1, x.n2]);
    expect(a!.y1 - a!.y0).toBeCloseTo(2);
  });

  it('slants a delayed message by its delay (time flows down)', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'slow'), send(ev, 1000, 'n1', 'n3', 'fast'), recv(ev, 1001, 'n1', 'n3', 'fast'), recv(ev, 1120, 'n1', 'n2', 'slow')]);
    const l = view(buf, { msPerPx: 0.5 });
    const slow = l.arrows.find((a) => a.message.id === 'slow')!;
    const fast = l.arrows.find((a) => a.message.id === 'fast')!;
    expect(slow.y1 - slow.y0).toBeCloseTo(240);
    expect(fast.y1 - fast.y0).toBeCloseTo(2);
  });

  it('ends a lost message in a cross partway, at its loss time', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n3', 'a'), ev(1030, 'n1', 'message.lost', { id: 'a', from: 'n1', to: 'n3', type: 'election.ping', reason: 'refused', family: 'election' })]);
    const l = view(buf);
    const a = l.arrows[0]!;
    const x = Object.fromEntries(l.lanes.map((ln) => [ln.id, ln.x]));
    expect(a.lost).toBe(true);
    expect(a.x1).toBeGreaterThan(x.n1!);
    expect(a.x1).toBeLessThan(x.n3!);
    expect(a.y1 - a.y0).toBeCloseTo(30);
    expect(describeLayout(l, true, String)).toMatch(/^1 message between n1, n3 in the last .*; 1 lost\.$/);
  });

  it('hides heartbeats by default, and shows them when asked', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n3', 'n1', 'h', 'heartbeat', 'heartbeat'), recv(ev, 1001, 'n3', 'n1', 'h', 'heartbeat', 'heartbeat')]);
    expect(view(buf).arrows).toHaveLength(0);
    expect(view(buf, { families: new Set(['heartbeat']) }).arrows).toHaveLength(1);
  });

  it('shrinks a stretch with nothing but hidden traffic to a fixed height, and says how long it was', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), recv(ev, 1001, 'n1', 'n2', 'a')]);
    for (let t = 1010; t < 2200; t += 40) buf.ingest([send(ev, t, 'n3', 'n1', `h${t}`, 'heartbeat', 'heartbeat')]);
    buf.ingest([send(ev, 2201, 'n2', 'n3', 'b'), recv(ev, 2202, 'n2', 'n3', 'b')]);
    const l = view(buf);
    expect(l.quiet).toHaveLength(1);
    expect(l.quiet[0]!.label).toBe('⋯ 1.20 s quiet');
    expect(l.quiet[0]!.y1 - l.quiet[0]!.y0).toBe(18);
    // Both messages still in view, the older one just above the quiet gap.
    expect(l.arrows.map((a) => a.message.id)).toEqual(['a', 'b']);
    // With heartbeats shown, nothing is quiet.
    const all = view(buf, { families: new Set(['heartbeat', 'election']) });
    expect(all.quiet.map((q) => q.label)).toEqual([]);
  });

  it('does not shrink a stretch a shown message is in flight across', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'slow'), recv(ev, 1300, 'n1', 'n2', 'slow')]);
    expect(view(buf).quiet).toHaveLength(0);
    expect(view(buf).arrows[0]!.y1 - view(buf).arrows[0]!.y0).toBeCloseTo(300);
  });

  it('marks elections, leaders and faults on their lanes; a hit finds them and the messages', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([
      ev(1000, 'supervisor', 'fault.injected', { action: 'kill', target: 'n3' }),
      ev(1100, 'n2', 'election.started', { term: 1, asked: ['n3'] }),
      send(ev, 1101, 'n2', 'n3', 'a'),
      ev(1150, 'n2', 'message.lost', { id: 'a', from: 'n2', to: 'n3', type: 'election.ping', reason: 'refused', family: 'election' }),
      ev(1200, 'n2', 'leader.elected', { term: 2, peers: ['n1'] }),
    ]);
    const l = view(buf);
    expect(l.marks.map((m) => [m.kind, l.lanes.find((ln) => ln.x === m.x)!.id])).toEqual([
      ['fault', 'n3'],
      ['election', 'n2'],
      ['leader', 'n2'],
    ]);
    const leader = l.marks[2]!;
    expect(hitTest(l, leader.x + 2, leader.y)).toMatchObject({ kind: 'event', mark: { kind: 'leader' } });
    const a = l.arrows[0]!;
    expect(hitTest(l, (a.x0 + a.x1) / 2, (a.y0 + a.y1) / 2)).toMatchObject({ kind: 'message' });
  });

  it('moves a keyboard selection from message to message in time order', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), recv(ev, 1001, 'n1', 'n2', 'a'), send(ev, 1010, 'n2', 'n3', 'b'), recv(ev, 1011, 'n2', 'n3', 'b')]);
    const l = view(buf);
    expect(stepMessage(l, null, 1)?.message.id).toBe('a');
    expect(stepMessage(l, null, -1)?.message.id).toBe('b');
    expect(stepMessage(l, 'a', 1)?.message.id).toBe('b');
    expect(stepMessage(l, 'b', 1)?.message.id).toBe('b');
  });

  it('shades a partition across the lanes while it is in force', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    const fault = { kind: 'partition' as const, groups: [['n1'], ['n2', 'n3']] };
    buf.ingest([
      ev(1000, 'supervisor', 'fault.network', { id: 'p', fault, description: 'n1 | n2 n3' }),
      ev(1100, 'n2', 'election.started', { term: 1, asked: ['n3'] }),
      ev(1200, 'supervisor', 'fault.healed', { id: 'p', fault, description: 'n1 | n2 n3' }),
      ev(1300, 'n2', 'leader.elected', { term: 1, peers: [] }),
    ]);
    const l = view(buf, { msPerPx: 2 });
    expect(l.bands).toHaveLength(1);
    expect(l.bands[0]!.y1 - l.bands[0]!.y0).toBeCloseTo(100);
  });
});

describe('quiet stretches with heartbeats shown', () => {
  it('do not turn the steady beat into a ladder of quiet bands', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer();
    buf.ingest([send(ev, 990, 'n1', 'n2', 'a'), recv(ev, 991, 'n1', 'n2', 'a')]);
    for (let t = 1000; t < 1400; t += 50) buf.ingest([send(ev, t, 'n3', 'n1', `h${t}`, 'heartbeat', 'heartbeat'), recv(ev, t + 1, 'n3', 'n1', `h${t}`, 'heartbeat', 'heartbeat')]);
    buf.ingest([send(ev, 1400, 'n1', 'n2', 'b'), recv(ev, 1401, 'n1', 'n2', 'b')]);
    expect(view(buf, { msPerPx: 0.2, families: new Set(['heartbeat', 'election']) }).quiet).toEqual([]);
    expect(view(buf, { msPerPx: 0.2 }).quiet).toHaveLength(1);
  });
});

describe('a message whose send has left the buffer', () => {
  it('still starts its arrow at its send time', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer(2, 60_000);
    buf.ingest([send(ev, 1000, 'n1', 'n2', 'a'), ev(1001, 'n3', 'election.timeout', { term: 0, leader: null, silentMs: 700 }), recv(ev, 1004, 'n1', 'n2', 'a')]);
    expect(buf.messageById('a')!.sent).toBeNull();
    const a = view(buf).arrows[0]!;
    expect(a.y1 - a.y0).toBeCloseTo(4);
  });
});

describe('lanes', () => {
  it('are the client, the nodes in rank order and the registry; a node whose events are all gone loses its lane', () => {
    const ev = eventFactory();
    const buf = new SpaceTimeBuffer(2, 60_000);
    buf.ingest([ev(1000, 'n10', 'election.timeout', { term: 0, leader: null, silentMs: 1 })]);
    buf.ingest([ev(1001, 'n2', 'election.timeout', { term: 0, leader: null, silentMs: 1 })]);
    expect(buf.laneIds()).toEqual(['client', 'n2', 'n10', 'registry']);
    buf.ingest([ev(1002, 'n3', 'election.timeout', { term: 0, leader: null, silentMs: 1 })]);
    expect(buf.laneIds()).toEqual(['client', 'n2', 'n3', 'registry']);
  });
});

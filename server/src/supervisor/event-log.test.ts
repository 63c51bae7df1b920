import { describe, expect, it } from 'vitest';
import type { EmittedEvent } from '@clusterlab/shared';
import { EventLog } from './event-log';

const event = (i: number): EmittedEvent => ({ node: 'n1', time: i, lamport: i, kind: 'node.peers', data: { peers: [] } });

function logWith(count: number, capacity: number): EventLog {
  const log = new EventLog(capacity);
  for (let i = 1; i <= count; i += 1) log.append(event(i));
  return log;
}

const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

describe('the event log', () => {
  it('numbers events 1, 2, 3… in the order they arrive', () => {
    const log = new EventLog(10);
    expect(log.lastSeq).toBe(0);
    expect(log.append(event(1)).seq).toBe(1);
    expect(log.append(event(2))).toMatchObject({ seq: 2, node: 'n1', time: 2 });
    expect(log.lastSeq).toBe(2);
  });

  it('keeps only the newest `capacity` events', () => {
    const log = logWith(25, 10);
    expect(log.size).toBe(10);
    expect(log.firstSeq).toBe(16);
    expect(seqs(log.after(0))).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('returns what came after a seq, oldest first, up to a limit', () => {
    const log = logWith(8, 10);
    expect(seqs(log.after(5))).toEqual([6, 7, 8]);
    expect(seqs(log.after(2, 3))).toEqual([3, 4, 5]);
    expect(seqs(log.after(2, 10, 4))).toEqual([3, 4]);
    expect(log.after(8)).toEqual([]);
  });

  it('knows whether a reader at a seq can catch up without a gap', () => {
    const log = logWith(25, 10); // holds 16..25
    expect(log.hasAllAfter(15)).toBe(true);
    expect(log.hasAllAfter(25)).toBe(true);
    expect(log.hasAllAfter(14)).toBe(false); // 15 is gone
    expect(log.hasAllAfter(26)).toBe(false); // from the future: another supervisor's seq
    expect(log.hasAllAfter(0)).toBe(false);
    expect(logWith(5, 10).hasAllAfter(0)).toBe(true);
  });

  it('gives the newest events up to a seq', () => {
    const log = logWith(25, 10);
    expect(seqs(log.recent(3))).toEqual([23, 24, 25]);
    expect(seqs(log.recent(3, 20))).toEqual([18, 19, 20]);
    expect(seqs(log.recent(50))).toEqual(seqs(log.after(0)));
    expect(new EventLog(5).recent(3)).toEqual([]);
  });

  it('wraps around many times without losing order', () => {
    const log = logWith(1003, 7);
    expect(seqs(log.after(0))).toEqual([997, 998, 999, 1000, 1001, 1002, 1003]);
    expect(log.after(0).map((e) => e.time)).toEqual([997, 998, 999, 1000, 1001, 1002, 1003]);
  });
});

describe('the snapshot a browser gets', () => {
  const at = (kind: string, i: number) =>
    ({ node: 'n1', time: i, kind, data: {} }) as unknown as Parameters<EventLog['append']>[0];

  it('keeps elections and faults from before the heartbeats that followed them', () => {
    const log = new EventLog(100, 10);
    log.append(at('leader.elected', 0));
    for (let i = 1; i <= 500; i++) log.append(at('message.sent', i));
    const snapshot = log.snapshot(20, 20);
    expect(snapshot[0]).toMatchObject({ seq: 1, kind: 'leader.elected' });
    expect(snapshot.slice(1).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 482 + i));
  });

  it('never repeats an event and stays in seq order', () => {
    const log = new EventLog(50, 50);
    for (let i = 0; i < 200; i++) log.append(at(i % 3 === 0 ? 'kv.write' : 'message.sent', i));
    const seqs = log.snapshot(30, 30).map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seqs).toHaveLength(30 + 30);
  });
});

import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue';

describe('the event queue', () => {
  it('runs entries in time order, and entries due together in the order they were scheduled', () => {
    const q = new EventQueue();
    const ran: string[] = [];
    q.at(20, () => ran.push('b@20'));
    q.at(10, () => ran.push('a@10'));
    q.at(20, () => ran.push('c@20'));
    q.at(15, () => q.at(20, () => ran.push('d@20, scheduled last')));
    while (q.size > 0) q.runNext();
    expect(ran).toEqual(['a@10', 'b@20', 'c@20', 'd@20, scheduled last']);
    expect(q.now).toBe(20);
  });

  it('cannot schedule the past: an entry for an earlier time runs now', () => {
    const q = new EventQueue();
    let at = -1;
    q.at(100, () => q.at(50, () => (at = q.now)));
    while (q.size > 0) q.runNext();
    expect(at).toBe(100);
  });

  it('keeps its order over many random entries', () => {
    const q = new EventQueue();
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = (i * 7919) % 101;
      q.at(t, () => times.push(q.now));
    }
    while (q.size > 0) q.runNext();
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

import { describe, expect, it } from 'vitest';
import { LamportClock, MAX_LAMPORT } from './lamport';

describe('LamportClock', () => {
  it('numbers a process’s events 1, 2, 3…', () => {
    const c = new LamportClock();
    expect([c.tick(), c.tick(), c.tick()]).toEqual([1, 2, 3]);
  });

  it('puts a receipt after its send, however far ahead the sender was', () => {
    const sender = new LamportClock();
    const receiver = new LamportClock();
    for (let i = 0; i < 10; i++) sender.tick();
    const sent = sender.tick();
    receiver.tick();
    receiver.witness(sent);
    expect(receiver.tick()).toBe(sent + 1);
  });

  it('is not pulled back by a message from the past', () => {
    const c = new LamportClock();
    for (let i = 0; i < 5; i++) c.tick();
    c.witness(2);
    expect(c.tick()).toBe(6);
  });

  it('cannot be pushed past exact integers by a peer', () => {
    const c = new LamportClock();
    c.witness(2 ** 60);
    expect(c.tick()).toBe(MAX_LAMPORT);
    expect(c.tick()).toBe(MAX_LAMPORT);
    c.witness(Number.NaN);
    expect(c.now).toBe(MAX_LAMPORT);
  });
});

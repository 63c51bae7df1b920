import { describe, expect, it } from 'vitest';
import type { EmittedEvent } from '@clusterlab/shared';
import { CausalOrder } from './causal-order';

const sent = (node: string, lamport: number, id: string, to: string): EmittedEvent => ({
  node,
  time: lamport,
  lamport,
  kind: 'message.sent',
  data: { id, to, type: 'heartbeat', term: 1 },
});
const received = (node: string, lamport: number, id: string, from: string, sentLamport: number): EmittedEvent => ({
  node,
  time: lamport,
  lamport,
  kind: 'message.received',
  data: { id, from, type: 'heartbeat', term: 1, sentLamport },
});
const followed = (node: string, lamport: number): EmittedEvent => ({ node, time: lamport, lamport, kind: 'leader.followed', data: { term: 1, leader: 'n1' } });
const ids = (events: EmittedEvent[]) => events.map((e) => `${e.node}@${e.lamport}`);

describe('ordering events by happened-before', () => {
  it('holds a receipt, and what its node said after it, until the send arrives', () => {
    const order = new CausalOrder(500);
    // n2's batch overtook n1's: n2 heard m1 and then followed n1.
    expect(order.accept(received('n2', 6, 'm1', 'n1', 5), 0)).toEqual([]);
    expect(order.accept(followed('n2', 7), 0)).toEqual([]);
    expect(order.held).toBe(2);
    // n1's batch: the election, then the send.
    expect(ids(order.accept(followed('n1', 4), 10))).toEqual(['n1@4']);
    expect(ids(order.accept(sent('n1', 5, 'm1', 'n2'), 10))).toEqual(['n1@5', 'n2@6', 'n2@7']);
    expect(order.held).toBe(0);
  });

  it('lets a receipt through at once when its send came first', () => {
    const order = new CausalOrder(500);
    expect(ids(order.accept(sent('n1', 1, 'm1', 'n2'), 0))).toEqual(['n1@1']);
    expect(ids(order.accept(received('n2', 2, 'm1', 'n1', 1), 0))).toEqual(['n2@2']);
  });

  it('does not hold up a process that waits for nobody', () => {
    const order = new CausalOrder(500);
    order.accept(received('n2', 6, 'm1', 'n1', 5), 0);
    expect(ids(order.accept(followed('n3', 1), 0))).toEqual(['n3@1']);
  });

  it('untangles a chain: n3 waits for n2, which waits for n1', () => {
    const order = new CausalOrder(500);
    expect(order.accept(received('n3', 9, 'm2', 'n2', 8), 0)).toEqual([]);
    expect(order.accept(received('n2', 7, 'm1', 'n1', 3), 0)).toEqual([]);
    expect(order.accept(sent('n2', 8, 'm2', 'n3'), 0)).toEqual([]); // queued behind n2's own wait
    expect(ids(order.accept(sent('n1', 3, 'm1', 'n2'), 0))).toEqual(['n1@3', 'n2@7', 'n2@8', 'n3@9']);
  });

  it('waits again at the next receipt whose send is still missing', () => {
    const order = new CausalOrder(500);
    order.accept(received('n2', 2, 'm1', 'n1', 1), 0);
    order.accept(received('n2', 3, 'm2', 'n3', 1), 0);
    order.accept(followed('n2', 4), 0);
    expect(ids(order.accept(sent('n1', 1, 'm1', 'n2'), 0))).toEqual(['n1@1', 'n2@2']);
    expect(order.held).toBe(2);
    expect(ids(order.accept(sent('n3', 1, 'm2', 'n2'), 0))).toEqual(['n3@1', 'n2@3', 'n2@4']);
  });

  it('gives up waiting for a sender that exited with its events unsent', () => {
    const order = new CausalOrder(500);
    order.accept(received('n2', 6, 'm1', 'n1', 5), 0);
    expect(ids(order.gone('n1', 20))).toEqual(['n2@6']);
  });

  it('lets an exited sender’s events that already arrived go first, even when they wait themselves', () => {
    const order = new CausalOrder(500);
    order.accept(received('n1', 3, 'm1', 'n3', 2), 0); // n1 waits for n3's send of m1
    order.accept(received('n3', 1, 'm0', 'n2', 1), 0); // n3 waits for n2…
    order.accept(sent('n3', 2, 'm1', 'n1'), 0); // …with its send of m1 behind it
    expect(order.gone('n3', 10)).toEqual([]); // n3's send is here, not lost: n1 still waits for it
    expect(ids(order.accept(sent('n2', 1, 'm0', 'n3'), 20))).toEqual(['n2@1', 'n3@1', 'n3@2', 'n1@3']);
  });

  it('stops waiting for an exited sender once its last events are through', () => {
    const order = new CausalOrder(500);
    order.accept(received('n3', 1, 'm0', 'n2', 1), 0);
    order.gone('n3', 0);
    order.accept(received('n1', 3, 'm1', 'n3', 2), 0); // m1's send died with n3's unsent batch
    expect(ids(order.accept(sent('n2', 1, 'm0', 'n3'), 0))).toEqual(['n2@1', 'n3@1', 'n1@3']);
  });

  it('keeps waiting for an exited sender’s held events while they go through', () => {
    const order = new CausalOrder(500);
    order.accept(received('n3', 1, 'm0', 'n2', 1), 0); // n3 waits for n2, holding its sends m1 and m2
    order.accept(sent('n3', 2, 'm1', 'n1'), 0);
    order.accept(sent('n3', 3, 'm2', 'n1'), 0);
    order.accept(received('n1', 4, 'm1', 'n3', 2), 0);
    order.accept(received('n1', 5, 'm2', 'n3', 3), 0);
    order.gone('n3', 0);
    expect(ids(order.accept(sent('n2', 1, 'm0', 'n3'), 0))).toEqual(['n2@1', 'n3@1', 'n3@2', 'n1@4', 'n3@3', 'n1@5']);
  });

  it('gives up waiting after the hold time (a paused sender)', () => {
    const order = new CausalOrder(500);
    order.accept(received('n2', 6, 'm1', 'n1', 5), 100);
    expect(order.nextDeadline()).toBe(600);
    expect(order.expire(599)).toEqual([]);
    expect(ids(order.expire(600))).toEqual(['n2@6']);
    expect(order.nextDeadline()).toBeNull();
  });

  it('never reorders one process’s own events', () => {
    const order = new CausalOrder(500);
    const out = [
      ...order.accept(received('n2', 2, 'm1', 'n1', 1), 0),
      ...order.accept(followed('n2', 3), 0),
      ...order.accept(sent('n2', 4, 'm9', 'n1'), 0),
      ...order.accept(sent('n1', 1, 'm1', 'n2'), 0),
    ];
    expect(ids(out.filter((e) => e.node === 'n2'))).toEqual(['n2@2', 'n2@3', 'n2@4']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '@clusterlab/shared';
import { action, call, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';

/**
 * The supervisor's event stream on real processes is ordered by happened-before: a message is
 * never shown received before it was sent, every event carries its process's Lamport time, and
 * what a node did on hearing a message names that message as its cause. Through a failover and
 * a restart, when events of several nodes race to the supervisor most.
 */

/** Events the supervisor says about a node, on its own clock rather than the node's. */
const SAID_BY_SUPERVISOR = new Set(['node.spawned', 'node.exited', 'node.removed']);

describe('the order of events (real processes)', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('shows every receipt after its send, with Lamport times that say so, through a failover and a restart', { timeout: 60_000 }, async () => {
    const first = (await lab.waitForLeader()).leader!;
    for (let i = 0; i < 20; i++) expect((await call(lab.api(`/kv/k${i}`), kvWrite(`v${i}`))).status).toBe(200);
    expect((await call(lab.api(`/nodes/${first}/kill`), action())).status).toBe(200);
    const second = (await lab.waitForLeader({ not: first, timeoutMs: 20_000 })).leader!;
    const since = lab.supervisor.events(0, 20_000).at(-1)!.seq;
    expect((await call(lab.api(`/nodes/${first}/restart`), action())).status).toBe(200);
    await lab.waitForEvent('leader.followed', (e) => e.node === first && e.data.leader === second, { since, timeoutMs: 20_000 });

    const events = lab.supervisor.events(0, 20_000);
    expect(events.length).toBeGreaterThan(100);
    expect(events.every((e) => Number.isInteger(e.lamport) && e.lamport > 0)).toBe(true);

    // Each process's own Lamport times only grow, across its restart too (it starts from the supervisor's).
    const lastOf = new Map<string, ClusterEvent>();
    for (const e of events) {
      if (SAID_BY_SUPERVISOR.has(e.kind)) continue;
      const before = lastOf.get(e.node);
      if (before) expect(e.lamport, `${e.node}: #${e.seq} ${e.kind} after #${before.seq} ${before.kind}`).toBeGreaterThan(before.lamport);
      lastOf.set(e.node, e);
    }

    // Every receipt comes after its send, in the stream and in Lamport time.
    const sends = new Map<string, ClusterEvent>();
    const allSends = new Map(events.filter((e) => e.kind === 'message.sent').map((e) => [e.data.id, e] as const));
    let paired = 0;
    for (const e of events) {
      if (e.kind === 'message.sent') sends.set(e.data.id, e);
      if (e.kind !== 'message.received') continue;
      const send = allSends.get(e.data.id);
      if (!send) continue; // sent before the buffer's start, or lost with a killed process's last batch
      expect(sends.has(e.data.id), `${e.data.id} received (#${e.seq}) before it was sent (#${send.seq})`).toBe(true);
      expect(e.data.sentLamport).toBe(send.lamport);
      expect(e.lamport).toBeGreaterThan(send.lamport);
      paired++;
    }
    expect(paired).toBeGreaterThan(50);

    // The survivors followed the new leader because of its message, and say which one.
    const followed = events.filter((e) => e.kind === 'leader.followed' && e.data.leader === second);
    expect(followed.length).toBeGreaterThan(0);
    for (const f of followed) {
      expect(f.cause, `${f.node} followed ${second} (#${f.seq}) without naming the message`).toBeDefined();
      const receipt = events.find((e) => e.kind === 'message.received' && e.node === f.node && e.data.id === f.cause);
      expect(receipt, `the message ${f.cause} that made ${f.node} follow ${second}`).toBeDefined();
      expect(receipt!.seq).toBeLessThan(f.seq);
      if (receipt!.kind === 'message.received') expect(receipt!.data.from).toBe(second);
    }
  });
});

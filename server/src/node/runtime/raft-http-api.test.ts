import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus } from '@clusterlab/shared';
import { useOneNodeCluster } from '../../test-utils/one-node-cluster';
import { postPeer } from '../../test-utils/test-secret';

/** A real one-voter Raft cluster on loopback: what a client of a Raft node's API sees. */
const cluster = useOneNodeCluster({ algorithm: 'raft' });
const events = cluster.events;
let base: string;
beforeAll(() => {
  base = cluster.base;
});

describe("a Raft node's client API", () => {
  it('says what it is: term, vote and membership in /status', async () => {
    const status = (await (await fetch(`${base}/status`)).json()) as NodeStatus;
    expect(status).toMatchObject({ algorithm: 'raft', role: 'leader', votedFor: 'n1', membership: 'voter', voters: ['n1'] });
    expect(status.term).toBeGreaterThan(0);
  });

  it('reads linearizably by default, and locally or from the leader when asked', async () => {
    expect((await fetch(`${base}/db/planet`, { method: 'PUT', body: 'mars' })).status).toBe(200);
    for (const read of ['', '?read=linearizable', '?read=leader', '?read=local']) {
      const res = await fetch(`${base}/db/planet${read}`);
      expect(res.status, read).toBe(200);
      expect(await res.text()).toBe('mars');
    }
  });

  it('refuses a bully message with 400 and an event, and keeps leading', async () => {
    const before = (await (await fetch(`${base}/status`)).json()) as NodeStatus;
    const victory = { type: 'election.victory', epoch: 9_999_999 };
    const foreign = await postPeer(base, { id: 'b1', from: 'n2', to: 'n1', algorithm: 'bully', msg: victory });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { error: string }).error).toContain('n2 runs bully and this node runs raft');
    const disguised = await postPeer(base, { id: 'b2', from: 'n2', to: 'n1', algorithm: 'raft', msg: victory });
    expect(disguised.status).toBe(400);
    expect(((await disguised.json()) as { error: string }).error).toContain('not a raft message');
    expect(events.filter((e) => e.kind === 'message.refused')).toHaveLength(2);
    expect((await (await fetch(`${base}/status`)).json()) as NodeStatus).toMatchObject({ role: 'leader', term: before.term });
  });

  it('changes membership through the log: a learner is added, and asking again is answered as done', async () => {
    const add = await fetch(`${base}/members/n2`, { method: 'POST' });
    expect(add.status).toBe(200);
    const { index } = (await add.json()) as { index: number };
    expect(index).toBeGreaterThan(0);
    expect(((await (await fetch(`${base}/status`)).json()) as NodeStatus).learners).toEqual(['n2']);
    expect((await fetch(`${base}/members/n2`, { method: 'POST' })).status).toBe(200);
    const removed = await fetch(`${base}/members/n2`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(((await (await fetch(`${base}/status`)).json()) as NodeStatus).learners).toEqual([]);
    const last = await fetch(`${base}/members/n1`, { method: 'DELETE' });
    expect(last.status).toBe(400);
    expect(((await last.json()) as { error: string }).error).toContain('last voter');
  });
});

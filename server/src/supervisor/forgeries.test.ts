import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_TERM, type ClusterView, type NodeView } from '@clusterlab/shared';
import { call, json } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';

/**
 * What anyone who can reach a port could do to a cluster before it had a secret, tried on
 * real processes: forge a leader's heartbeat and append to a follower, forge registrations
 * and leaves. Every forgery is refused with 401, said as an event, and the cluster carries on:
 * it fails over to a real leader, keeps its data and takes writes.
 */

const nodeUrl = (view: ClusterView, id: string): string => {
  const node = view.nodes.find((n) => n.id === id);
  if (!node?.url) throw new Error(`${id} has no address`);
  return node.url;
};

const put = (base: string, key: string, value: string) => fetch(`${base}/db/${key}`, { method: 'PUT', body: value, redirect: 'follow', signal: AbortSignal.timeout(10_000) });

describe('forged peer messages and registrations (real processes)', () => {
  const lab = useSupervisor({ nodes: 3 });

  it("refuses an unsigned /peer before reading its body: a stranger's endless upload is answered 401 at once", { timeout: 30_000 }, async () => {
    const view = await lab.waitForLeader();
    const target = new URL(nodeUrl(view, view.leader!));
    // Headers for a 6 MiB body, and only its first bytes ever sent: a node that read the body
    // before judging the request would wait for the rest.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: target.hostname, port: target.port, path: '/peer', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 6 * 1024 * 1024 } });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"messages": [');
    });
    expect(status).toBe(401);
    await lab.waitForEvent('auth.refused', (e) => e.data.request === 'POST /peer' && /no x-clusterlab-signature header/.test(e.data.reason), { timeoutMs: 5000 });
  });

  it('a forged heartbeat and append are refused with 401; the follower keeps its data and the cluster fails over cleanly', { timeout: 60_000 }, async () => {
    const view = await lab.waitForLeader();
    const leader = view.leader as string;
    const follower = view.nodes.find((n) => n.id !== leader)!.id;
    const leaderUrl = nodeUrl(view, leader);
    const followerUrl = nodeUrl(view, follower);
    expect((await put(leaderUrl, 'colour', 'blue')).status).toBe(200);
    await lab.waitForCluster((v) => v.nodes.every((n) => n.appliedIndex >= 1), { what: 'colour on every node', timeoutMs: 10_000 });
    const followerBefore = (await call<{ lastIndex: number; term: number }>(`${followerUrl}/status`)).body;

    // The repro: a heartbeat from "the leader" with an epoch near 2^53.
    const heartbeat = { id: 'x', from: leader, to: follower, algorithm: 'bully', msg: { type: 'heartbeat', epoch: 9_007_199_254_740_703, commitIndex: 0 } };
    const append = {
      id: 'y',
      from: leader,
      to: follower,
      algorithm: 'bully',
      msg: {
        type: 'append',
        epoch: followerBefore.term,
        prevIndex: followerBefore.lastIndex,
        prevEpoch: followerBefore.term,
        entries: [{ index: followerBefore.lastIndex + 1, epoch: followerBefore.term, op: { type: 'put', key: 'colour', value: 'forged' } }],
        commitIndex: followerBefore.lastIndex + 1,
      },
    };
    for (const forged of [heartbeat, append]) {
      const res = await call<{ error: string }>(`${followerUrl}/peer`, json('POST', forged));
      expect(res.status, forged.msg.type).toBe(401);
      expect(res.body.error).toMatch(/only members of this cluster/);
    }
    await lab.waitForEvent('auth.refused', (e) => e.node === follower && e.data.request === 'POST /peer', { timeoutMs: 5000 });

    const kill = await call<NodeView>(lab.api(`/nodes/${leader}/kill`), json('POST', {}));
    expect(kill.status).toBe(200);
    const after = await lab.waitForLeader({ not: leader, timeoutMs: 20_000 });
    expect(after.term).toBeLessThan(MAX_TERM);
    for (const n of after.nodes.filter((n) => n.status === 'running')) expect(n.term, n.id).toBeLessThan(1_000_000);
    const newLeaderUrl = nodeUrl(after, after.leader as string);
    expect((await put(newLeaderUrl, 'shape', 'round')).status).toBe(200);
    const read = await fetch(`${followerUrl}/db/colour?read=local`);
    expect(await read.text()).toBe('blue');
  });

  it('forged registrations and leaves are refused with 401 and the registry lists only the real nodes', { timeout: 30_000 }, async () => {
    const view = await lab.waitForLeader();
    const registry = view.registry.url as string;
    const follower = view.nodes.find((n) => n.id !== view.leader)!.id;
    const answers: number[] = [];
    // 96 fake ids once made every write time out; a live follower's id at a silent port cut it off.
    for (let rank = 4; rank < 100; rank++) answers.push((await fetch(`${registry}/register`, json('POST', { id: `n${rank}`, host: '127.0.0.1', port: 9 }))).status);
    answers.push((await fetch(`${registry}/register`, json('POST', { id: follower, host: '127.0.0.1', port: 9 }))).status);
    answers.push((await fetch(`${registry}/nodes/${follower}`, { method: 'DELETE' })).status);
    expect(new Set(answers)).toEqual(new Set([401]));

    const listed = (await call<{ nodes: { id: string; port: number }[] }>(`${registry}/nodes`)).body.nodes;
    expect(listed.map((n) => n.id).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(listed.find((n) => n.id === follower)?.port).toBe(view.nodes.find((n) => n.id === follower)?.port);
    const refused = await lab.waitForEvent('auth.refused', (e) => e.node === 'registry', { timeoutMs: 5000 });
    expect(refused.data.request).toBe('POST /register');
    // Said once a second with a count, not 98 times.
    const page = await lab.events();
    expect(page.events.filter((e) => e.kind === 'auth.refused').length).toBeLessThan(10);

    const leaderUrl = nodeUrl(view, view.leader as string);
    expect((await put(leaderUrl, 'after-forgeries', 'fine')).status).toBe(200);
  });
});

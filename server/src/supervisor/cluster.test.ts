import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KeysTable, KvReadAll, KvResult, NodeView } from '@clusterlab/shared';
import { action, call, kvWrite } from '../test-utils/http';
import { isAlive } from '../test-utils/processes';
import { waitFor } from '../test-utils/wait-for';
import { useSupervisor, type TestCluster } from '../test-utils/test-supervisor';

/**
 * A real cluster — registry and node processes on loopback — driven only through the
 * supervisor's API, the way the dashboard drives it.
 */


/** Writes until the cluster takes it: right after an election a leader may still answer 503. */
async function write(lab: TestCluster, key: string, value: string, via?: string): Promise<KvResult> {
  const query = via ? `?via=${via}` : '';
  return waitFor(
    async () => {
      const answer = await call<KvResult>(lab.api(`/kv/${encodeURIComponent(key)}${query}`), kvWrite(value));
      return answer.status === 200 ? answer.body : null;
    },
    { what: `the write ${key}=${value}`, timeoutMs: 15_000, intervalMs: 100 },
  );
}

/** Waits until every one of `ids` reads `value` for `key`. */
async function readableOn(lab: TestCluster, key: string, value: string, ids: string[]): Promise<KvReadAll> {
  return waitFor(
    async () => {
      const { body } = await call<KvReadAll>(lab.api(`/kv/${encodeURIComponent(key)}?via=all`));
      const ok = ids.every((id) => body.reads.some((r) => r.servedBy === id && r.status === 200 && r.value === value));
      return ok ? body : null;
    },
    { what: `${key}=${value} on ${ids.join(', ')}`, timeoutMs: 15_000, intervalMs: 100 },
  );
}

const post = (lab: TestCluster, path: string) => call<NodeView & { error?: string }>(lab.api(path), action());

describe('a real cluster under the supervisor', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('elects a leader, and a new one with a newer epoch when the leader is killed', async () => {
    const first = await lab.waitForLeader();
    const old = first.leader as string;
    expect(first.nodes.find((n) => n.id === old)).toMatchObject({ role: 'leader', status: 'running' });

    const killed = await post(lab, `/nodes/${old}/kill`);
    expect(killed).toMatchObject({ status: 200, body: { id: old, status: 'stopped', role: 'unknown', exit: { signal: 'SIGKILL' } } });

    const next = await lab.waitForLeader({ not: old });
    expect(next.leader).not.toBe(old);
    expect(next.term).toBeGreaterThan(first.term);
    const exited = await lab.waitForEvent('node.exited', (e) => e.data.id === old);
    expect(exited.data).toMatchObject({ signal: 'SIGKILL', expected: true });
    await lab.waitForEvent('fault.injected', (e) => e.data.action === 'kill' && e.data.target === old);

    // A killed node cannot say goodbye: the registry forgets it when its heartbeats stop.
    await lab.waitForEvent('registry.expired', (e) => e.data.id === old);
    await lab.waitForCluster((v) => !v.registry.nodes.some((n) => n.id === old), { what: `${old} gone from the registry` });
  });

  it('carries a write through a follower to the leader, and every node can read it', async () => {
    const { leader, nodes } = await lab.waitForLeader();
    const follower = nodes.find((n) => n.id !== leader)?.id as string;

    const result = await write(lab, 'greeting', 'hello, world', follower);
    expect(result).toMatchObject({ key: 'greeting', status: 200, servedBy: leader, redirectedFrom: follower });
    expect(result.index).toBeGreaterThan(0);

    const all = await readableOn(lab, 'greeting', 'hello, world', ['n1', 'n2', 'n3']);
    expect(all.reads).toHaveLength(3);

    const missing = await call<KvResult>(lab.api('/kv/nothing-here'));
    expect(missing).toMatchObject({ status: 404, body: { status: 404, value: null } });

    const deleted = await call<KvResult>(lab.api('/kv/greeting'), action('DELETE'));
    expect(deleted).toMatchObject({ status: 200, body: { servedBy: leader } });
  });

  it('lets a restarted node and an added node catch up', async () => {
    const { leader, nodes } = await lab.waitForLeader();
    const follower = nodes.find((n) => n.id !== leader)?.id as string;
    await write(lab, 'before', 'one');

    const stopped = await post(lab, `/nodes/${follower}/stop`);
    // How it exits (0 after a graceful goodbye, or SIGKILL past the grace period) is the node's business.
    expect(stopped).toMatchObject({ status: 200, body: { status: 'stopped', exit: expect.anything() } });
    await write(lab, 'while-away', 'two');

    // A restart answers once the new process listens (or says why it could not start).
    const restarted = await post(lab, `/nodes/${follower}/restart`);
    expect(restarted).toMatchObject({ status: 200, body: { id: follower, status: 'running' } });
    await readableOn(lab, 'while-away', 'two', [follower]);

    const added = await call<NodeView>(lab.api('/nodes'), action());
    expect(added).toMatchObject({ status: 201, body: { id: 'n4', status: 'starting' } });
    await readableOn(lab, 'before', 'one', ['n4']);
    await readableOn(lab, 'while-away', 'two', ['n1', 'n2', 'n3', 'n4']);

    const table = await waitFor(
      async () => {
        const { body } = await call<KeysTable>(lab.api('/keys'));
        return body.nodes.length === 4 && body.nodes.every((n) => n.reachable) ? body : null;
      },
      { what: 'a keys table from four reachable nodes' },
    );
    const row = table.keys.find((k) => k.key === 'while-away');
    expect(Object.values(row?.values ?? {}).map((v) => v?.value)).toEqual(['two', 'two', 'two', 'two']);
  });

  it('refuses actions that make no sense now, and removes a node with its data', async () => {
    await lab.waitForLeader();
    expect(await post(lab, '/nodes/n1/pause')).toMatchObject({ status: 200, body: { status: 'paused' } });
    // A paused node is unreachable, and the proxy says so at once rather than hang.
    const unreachable = await call<KvResult>(lab.api('/kv/k?via=n1'));
    expect(unreachable).toMatchObject({ status: 502, body: { servedBy: 'n1', error: expect.stringMatching(/paused/) } });
    expect(await post(lab, '/nodes/n1/pause')).toMatchObject({ status: 409 });
    expect(await post(lab, '/nodes/n1/stop')).toMatchObject({ status: 200, body: { status: 'stopped' } });
    for (const action of ['pause', 'resume', 'stop', 'kill']) {
      const refused = await post(lab, `/nodes/n1/${action}`);
      expect(refused.status, action).toBe(409);
      expect(refused.body.error, action).toMatch(/stopped/);
    }

    const dataDir = path.join(lab.supervisor.dataDir, 'n1');
    expect(existsSync(dataDir)).toBe(true);
    expect((await call(lab.api('/nodes/n1'), action('DELETE'))).status).toBe(204);
    expect(existsSync(dataDir)).toBe(false);
    expect((await lab.cluster()).nodes.map((n) => n.id)).toEqual(['n2', 'n3']);
    expect((await post(lab, '/nodes/n1/restart')).status).toBe(404);
    await lab.waitForEvent('node.removed', (e) => e.data.id === 'n1');

    // The smallest free id is reused.
    expect(await call(lab.api('/nodes'), action())).toMatchObject({ status: 201, body: { id: 'n1' } });
  });

  it('starts afresh on reset and on new settings, with the data wiped', async () => {
    await lab.waitForLeader();
    await write(lab, 'old', 'data');

    const reset = await call(lab.api('/cluster/reset'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nodes":2}' });
    expect(reset.status).toBe(200);
    expect((await lab.cluster()).nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
    await lab.waitForLeader();
    const gone = await call<KvResult>(lab.api('/kv/old'));
    expect(gone.body.status).toBe(404);

    const settings = { ...(await lab.cluster()).settings, heartbeatIntervalMs: 40, writeAck: 'all' as const };
    const put = await call(lab.api('/settings'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
    expect(put).toMatchObject({ status: 200, body: settings });
    expect((await call(lab.api('/settings'))).body).toEqual(settings);
    const view = await lab.waitForLeader();
    expect(view.settings).toEqual(settings);
    expect(view.nodes).toHaveLength(2);
    await lab.waitForEvent('cluster.started', (e) => e.data.settings.heartbeatIntervalMs === 40);
  });

  it('leaves no process behind when stopped, paused ones included', async () => {
    await lab.waitForLeader();
    expect((await post(lab, '/nodes/n2/pause')).status).toBe(200);
    expect((await call(lab.api('/registry/pause'), action())).status).toBe(200);
    const view = await lab.cluster();
    const pids = [view.registry.pid, ...view.nodes.map((n) => n.pid)] as number[];
    expect(pids.every(isAlive)).toBe(true);

    await lab.supervisor.stop();
    // stop() resolves only once every child has exited.
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

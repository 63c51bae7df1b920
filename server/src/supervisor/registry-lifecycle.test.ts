import { describe, expect, it } from 'vitest';
import type { RegistryView } from '@clusterlab/shared';
import { action, call, json } from '../test-utils/http';
import { isAlive } from '../test-utils/processes';
import { useSupervisor } from '../test-utils/test-supervisor';
import { signedFetch, TEST_SECRET } from '../test-utils/test-secret';

/** The supervisor and a real registry process, without nodes: discovery, expiry and registry faults. */
describe('a supervisor with a registry', () => {
  const lab = useSupervisor({ nodes: 0, secret: TEST_SECRET, settings: { registryTtlMs: 300 } });

  it('brings the registry up and lists it in /api/cluster', async () => {
    const { registry } = await lab.cluster();
    expect(registry).toMatchObject({ status: 'running', ttlMs: 300, nodes: [] });
    expect(registry.pid).toBeGreaterThan(0);
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    expect(isAlive(registry.pid as number)).toBe(true);
    const nodes = await call(`${registry.url}/nodes`);
    expect(nodes).toMatchObject({ status: 200, body: { ttlMs: 300, nodes: [] } });
    await lab.waitForEvent('registry.ready', (e) => e.data.port === registry.port);
  });

  it('forgets a node that stops heart-beating, and says so', async () => {
    const { registry } = await lab.cluster();
    const registered = await signedFetch(registry.url as string, '/register', { method: 'POST', body: JSON.stringify({ id: 'n7', host: '127.0.0.1', port: 5999 }) });
    expect(registered.status).toBe(200);
    // The supervisor's view lists it while it is fresh…
    await lab.waitForCluster((v) => v.registry.nodes.some((n) => n.id === 'n7'), { what: 'n7 listed by the registry' });
    // …and, with no further heartbeat, drops it once the TTL has passed.
    await lab.waitForCluster((v) => v.registry.nodes.length === 0, { what: 'n7 forgotten' });
    const expired = await lab.waitForEvent('registry.expired', (e) => e.data.id === 'n7');
    expect(expired.data.silentMs).toBeGreaterThanOrEqual(300);
    expect(expired.node).toBe('registry');
  });

  it('survives the registry being killed, paused, stopped and restarted', async () => {
    const before = (await lab.cluster()).registry;
    const post = (verb: string) => call<RegistryView & { error?: string }>(lab.api(`/registry/${verb}`), action());

    const killed = await post('kill');
    expect(killed).toMatchObject({ status: 200, body: { status: 'stopped' } });
    const exited = await lab.waitForEvent('registry.exited');
    expect(exited.data).toEqual({ code: null, signal: 'SIGKILL', expected: true });
    expect(await post('pause')).toMatchObject({ status: 409, body: { error: expect.stringMatching(/stopped/) } });
    expect(await post('kill')).toMatchObject({ status: 409, body: { error: expect.stringMatching(/already stopped/) } });

    // A restart comes back on the same port: running nodes know the registry only by that address.
    const restarted = await post('restart');
    expect(restarted).toMatchObject({ status: 200, body: { status: 'running', port: before.port } });
    expect(restarted.body.pid).not.toBe(before.pid);

    expect(await post('resume')).toMatchObject({ status: 409, body: { error: expect.stringMatching(/not paused/) } });
    expect(await post('pause')).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await post('pause')).toMatchObject({ status: 409, body: { error: expect.stringMatching(/already paused/) } });
    expect(await post('resume')).toMatchObject({ status: 200, body: { status: 'running' } });

    // Stopping a paused registry still works: it is woken before it is asked to exit.
    await post('pause');
    const stopped = await post('stop');
    expect(stopped).toMatchObject({ status: 200, body: { status: 'stopped' } });
    expect(isAlive(restarted.body.pid as number)).toBe(false);

    const faults = (await lab.events()).events.filter((e) => e.kind === 'fault.injected').map((e) => e.kind === 'fault.injected' && e.data.action);
    expect(faults).toEqual(['kill', 'restart', 'pause', 'resume', 'pause', 'stop']);
    expect((await lab.cluster()).registry.status).toBe('stopped');
  });

  it('reports an unexpected registry death as unexpected', async () => {
    const { registry } = await lab.cluster();
    process.kill(registry.pid as number, 'SIGKILL');
    const exited = await lab.waitForEvent('registry.exited');
    expect(exited.data).toEqual({ code: null, signal: 'SIGKILL', expected: false });
    await lab.waitForCluster((v) => v.registry.status === 'stopped', { what: 'the registry shown as stopped' });
  });
});

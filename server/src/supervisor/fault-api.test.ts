import { describe, expect, it } from 'vitest';
import type { ApiError, ClusterView, FaultsPage, FaultView, NodeView, ProcessFaultDone } from '@clusterlab/shared';
import { action, call, json } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

/**
 * The fault API against a real cluster: what POST /api/faults answers, what GET lists, that
 * healing is idempotent, which faults are refused and why, and that the faults reach nodes
 * that start after them. (What faults do to elections: faults.test.ts.)
 */
describe('the fault API', () => {
  const lab = useSupervisor({ nodes: 3 }, 'all');
  const post = (fault: unknown) => call<FaultView & ApiError>(lab.api('/faults'), json('POST', fault));
  const list = async () => (await call<FaultsPage>(lab.api('/faults'))).body.faults;

  it('puts a partition in force: 201 with its id, the fault, the sentence naming the links it cuts, and when it began; an event says so', async () => {
    await lab.waitForLeader();
    const { lastSeq } = await lab.events();
    const before = Date.now();
    const answer = await post({ kind: 'partition', groups: [['n1'], ['n2', 'n3', 'registry']] });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: 'partition-1',
      fault: { kind: 'partition', groups: [['n1'], ['n2', 'n3', 'registry']] },
      description: 'n1 is cut off from n2, n3 and the registry, both ways',
      since: expect.any(Number),
      sinceSeq: expect.any(Number),
    });
    expect(answer.body.since).toBeGreaterThanOrEqual(before);
    const event = await lab.waitForEvent('fault.network', (e) => e.data.id === 'partition-1', { since: lastSeq, what: 'fault.network for partition-1' });
    expect(event).toMatchObject({ node: 'supervisor', seq: answer.body.sinceSeq, data: { fault: answer.body.fault, description: answer.body.description } });

    expect(await list()).toEqual([answer.body]);
    // Healing is idempotent: the second heal of the same id is a 204 too, and says nothing more.
    for (let i = 0; i < 2; i++) expect((await call(lab.api('/faults/partition-1'), action('DELETE'))).status).toBe(204);
    expect(await list()).toEqual([]);
    const healed = (await lab.events(lastSeq)).events.filter((e) => e.kind === 'fault.healed');
    expect(healed).toHaveLength(1);
    expect(healed[0]).toMatchObject({ data: { id: 'partition-1', description: 'healed partition-1 (n1 is cut off from n2, n3 and the registry, both ways)' } });
  });

  it('lets faults compose, lists them oldest first with their ids, and heals them all at once', async () => {
    const a = await post({ kind: 'delay', from: 'n2', ms: 20, jitterMs: 5 });
    const b = await post({ kind: 'cut', from: 'client', to: 'n3' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toMatchObject({ id: 'delay-1', description: 'messages from n2 to every other node, the registry and the clients take 20 ms more (±5 ms)' });
    expect(b.body).toMatchObject({ id: 'cut-1', description: 'what the clients send to n3 is lost; n3 → the clients still works' });
    expect((await list()).map((f) => f.id)).toEqual(['delay-1', 'cut-1']);

    // The clients' cut holds in the supervisor's own key/value proxy.
    const write = await call(lab.api('/kv/k?via=n3'), json('PUT', { value: 'v' }));
    expect(write).toMatchObject({ status: 504, body: { error: expect.stringContaining('cut by cut-1') } });

    expect((await call(lab.api('/faults'), action('DELETE'))).status).toBe(204);
    expect(await list()).toEqual([]);
    // As a schedule says it, too: { "heal": "all" }.
    expect((await post({ kind: 'loss', to: 'n1', rate: 0.1 })).status).toBe(201);
    expect((await call(lab.api('/faults/all'), action('DELETE'))).status).toBe(204);
    expect(await list()).toEqual([]);
    expect((await call(lab.api('/faults/not an id'), action('DELETE'))).status).toBe(400);
  });

  it('refuses a fault that does not parse with a 400 naming the field, and one naming a party the cluster lacks with a 404', async () => {
    const jitter = await post({ kind: 'delay', ms: 100, jitterMs: 200 });
    expect(jitter.status).toBe(400);
    expect(jitter.body.error).toMatch(/^invalid fault: jitterMs: /);
    const oneGroup = await post({ kind: 'partition', groups: [['n1']] });
    expect(oneGroup.status).toBe(400);
    expect(oneGroup.body.error).toMatch(/^invalid fault: groups: a partition needs at least two groups/);
    const rate = await post({ kind: 'loss', rate: 2 });
    expect(rate).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^invalid fault: rate: /) } });

    const stranger = await post({ kind: 'cut', from: 'n1', to: 'n9' });
    expect(stranger).toMatchObject({ status: 404, body: { error: 'no party "n9": the cluster has n1, n2, n3, the registry and the clients' } });
    const oneClient = await post({ kind: 'partition', groups: [['c1'], ['n1']] });
    expect(oneClient.status).toBe(404);
    const killStranger = await post({ kind: 'kill', node: 'n7' });
    expect(killStranger.status).toBe(404);
    expect(await list()).toEqual([]);
  });

  it('carries out a process fault once, through the process manager, and lists nothing as in force', async () => {
    const paused = await call<ProcessFaultDone>(lab.api('/faults'), json('POST', { kind: 'pause', node: 'n3' }));
    expect(paused).toMatchObject({ status: 200, body: { fault: { kind: 'pause', node: 'n3' }, description: expect.stringContaining('n3 is paused'), node: { id: 'n3', status: 'paused' } } });
    expect(await list()).toEqual([]);
    const resumed = await call<ProcessFaultDone>(lab.api('/faults'), json('POST', { kind: 'resume', node: 'n3' }));
    expect(resumed.body.node).toMatchObject({ status: 'running' } satisfies Partial<NodeView>);
    // Undone only by its opposite: resuming what runs is refused, as the button would be.
    expect((await call(lab.api('/faults'), json('POST', { kind: 'resume', node: 'n3' }))).status).toBe(409);
  });

  it('covers a node added later with a fault on every link', async () => {
    // Every message between nodes arrives twice: harmless to the cluster, and plain to see.
    const dup = await post({ kind: 'duplicate', rate: 1 });
    expect(dup.status).toBe(201);
    const { lastSeq } = await lab.events();
    const added = await call<NodeView>(lab.api('/nodes'), action('POST'));
    expect(added.status).toBe(201);
    const n4 = added.body.id;
    // Message ids begin with the sender's id: one of n4's, received twice under that one id.
    const twice = await waitFor(
      async () => {
        const counts = new Map<string, number>();
        for (const e of (await lab.events(lastSeq)).events) {
          if (e.kind === 'message.received' && e.data.from === n4) counts.set(e.data.id, (counts.get(e.data.id) ?? 0) + 1);
        }
        return [...counts].find(([, n]) => n >= 2)?.[0];
      },
      { what: `a message from ${n4} received twice`, timeoutMs: 10_000 },
    );
    expect(twice.startsWith(`${n4}-`)).toBe(true);
    expect((await call(lab.api(`/nodes/${n4}`), action('DELETE'))).status).toBe(204);
    expect((await call(lab.api('/faults'), action('DELETE'))).status).toBe(204);
  });

  it('heals everything on reset: a fresh cluster starts whole', async () => {
    const loss = await post({ kind: 'loss', from: 'n1', rate: 0.5 });
    expect(loss.status).toBe(201);
    const reset = await call<ClusterView>(lab.api('/cluster/reset'), json('POST', {}));
    expect(reset.status).toBe(200);
    expect(await list()).toEqual([]);
    await lab.waitForEvent('fault.healed', (e) => e.data.id === loss.body.id, { since: loss.body.sinceSeq, what: `fault.healed for ${loss.body.id}` });
  });
});

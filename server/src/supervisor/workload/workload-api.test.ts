import { describe, expect, it } from 'vitest';
import { MAX_DIAGRAM_OPS, type FindingOps, type History, type WorkloadHistoryFile, type WorkloadVerdict, type WorkloadView } from '@clusterlab/shared';
import { action, call, json } from '../../test-utils/http';
import { useSupervisor } from '../../test-utils/test-supervisor';
import { waitFor } from '../../test-utils/wait-for';
import { startWorkload, waitForVerdict, workloadView } from './workload-test-helpers';

/** The workload API as a script or the dashboard uses it: what it refuses, and what it answers. */

const SPEC = { clients: 2, durationMs: 1500, keys: 2, mix: { read: 1, write: 1 } };

describe('the workload API', () => {
  const lab = useSupervisor({ nodes: 3 }, 'all');

  it.each([
    [{ ...SPEC, clients: 0 }, 'clients'],
    [{ ...SPEC, durationMs: 'long' }, 'durationMs'],
    [{ ...SPEC, mix: {} }, 'mix'],
    [{ ...SPEC, mix: { read: 1, cas: -1 } }, 'cas'],
    [{ ...SPEC, read: 'eventually' }, 'read'],
    [{ ...SPEC, through: 'n9' }, 'through'],
    [{ ...SPEC, through: 'nobody' }, 'through'],
    [{ ...SPEC, faults: [{ at: 100, fault: { kind: 'kill', node: 'n7' } }] }, 'faults.0.fault'],
    [{ ...SPEC, faults: [{ at: 100, heal: 'never-applied' }] }, 'faults.0.heal'],
    [{ ...SPEC, speed: 'fast' }, 'speed'],
  ])('refuses %j with a 400 that names %s', async (spec, field) => {
    const answer = await call<{ error: string }>(lab.api('/workloads'), json('POST', spec));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(field);
  });

  it('runs one workload at a time, lists it, and answers 404 for one it never ran', async () => {
    await lab.waitForLeader();
    const id = await startWorkload(lab, { ...SPEC, durationMs: 3000 });
    const second = await call<{ error: string }>(lab.api('/workloads'), json('POST', SPEC));
    expect(second.status).toBe(409);
    expect(second.body.error).toContain(id);
    const list = await call<{ workloads: { id: string; state: string }[] }>(lab.api('/workloads'));
    expect(list.body.workloads[0]).toMatchObject({ id, state: 'running' });
    expect((await call(lab.api('/workloads/w999'))).status).toBe(404);
    await waitForVerdict(lab, id);
  });

  it('stops early when asked, and still checks what ran', async () => {
    await lab.waitForLeader();
    const id = await startWorkload(lab, { ...SPEC, durationMs: 60_000 });
    await lab.waitForEvent('workload.progress', (e) => e.data.id === id, { timeoutMs: 10_000 });
    const stopped = await call<WorkloadView>(lab.api(`/workloads/${id}/stop`), action());
    expect(stopped.status).toBe(200);
    const view = await waitForVerdict(lab, id);
    expect(view.state).toBe('stopped');
    expect(view.stopReason).toBe('stopped from the API');
    expect(view.endedAt! - view.startedAt).toBeLessThan(30_000);
    expect(view.verdict.outcome).toBe('linearizable');
    expect(view.counts.write.ok + view.counts.read.ok).toBeGreaterThan(0);
  });

  it('streams progress, and gives the history with the final states for npm run check', async () => {
    await lab.waitForLeader();
    const since = (await lab.events()).lastSeq;
    const id = await startWorkload(lab, { ...SPEC, durationMs: 2500 });
    const view = await waitForVerdict(lab, id);
    const progress = (await lab.events(since)).events.filter((e) => e.kind === 'workload.progress' && e.data.id === id);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const checked = await lab.waitForEvent('workload.checked', (e) => e.data.id === id, { since });
    expect(checked.data.summary).toBe(view.verdict.summary);

    // What the history diagram draws: a bounded set of operations per finding, here a sample of a clean run.
    const sample = await call<FindingOps>(lab.api(`/workloads/${id}/ops?finding=sample`));
    expect(sample.status).toBe(200);
    expect(sample.body.finding.kind).toBe('sample');
    expect(sample.body.ops.length).toBeGreaterThan(0);
    expect(sample.body.ops.length).toBeLessThanOrEqual(MAX_DIAGRAM_OPS);
    expect((await call(lab.api(`/workloads/${id}/ops?finding=key:nothing`))).status).toBe(404);

    const file = (await call<WorkloadHistoryFile>(lab.api(`/workloads/${id}/history`))).body;
    const total = Object.values(view.counts).reduce((n, c) => n + c.ok + c.fail + c.unknown, 0);
    expect(file.history).toHaveLength(total);
    expect(new Set(file.history.map((op) => op.client))).toEqual(new Set(['c1', 'c2']));
    expect(file.history.every((op) => op.key.startsWith(`${id}-k`) && op.invokeMs >= 0 && op.reply)).toBe(true);
    expect(Object.keys(file.finalStates ?? {}).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(file.spec).toMatchObject({ ...SPEC, durationMs: 2500, read: 'local', through: 'leader' });
  });

  it('checks a history it is given, and says why one is not linearizable', async () => {
    const history: History = [
      { id: 1, client: 'c1', kind: 'write', key: 'k', value: 'a', invokeMs: 0, completeMs: 10, outcome: 'ok' },
      { id: 2, client: 'c1', kind: 'write', key: 'k', value: 'b', invokeMs: 20, completeMs: 30, outcome: 'ok' },
      { id: 3, client: 'c2', kind: 'read', key: 'k', value: 'a', invokeMs: 40, completeMs: 50, outcome: 'ok' },
    ];
    const bad = await call<WorkloadVerdict>(lab.api('/check'), json('POST', { history }));
    expect(bad.status).toBe(200);
    expect(bad.body.outcome).toBe('not-linearizable');
    expect(bad.body.summary).toMatch(/^Not linearizable: 1 of 1 keys · 1 stale read$/);
    expect(bad.body.keys[0]?.witnessOpIds).toEqual(expect.arrayContaining([2, 3]));

    const good = await call<WorkloadVerdict>(lab.api('/check'), json('POST', history.slice(0, 2)));
    expect(good.body.summary).toBe('Linearizable');

    const nonsense = await call<{ error: string }>(lab.api('/check'), json('POST', { history: [{ id: 1 }] }));
    expect(nonsense.status).toBe(400);
    expect(nonsense.body.error).toContain('history');
  });

  it("lets a fault cut one of the running workload's clients off, and no client it does not have", async () => {
    await lab.waitForLeader();
    const id = await startWorkload(lab, { ...SPEC, clients: 3, durationMs: 3000 });
    const cut = await call<{ id: string }>(lab.api('/faults'), json('POST', { kind: 'partition', groups: [['c2'], ['n1', 'n2', 'n3']] }));
    expect(cut.status, JSON.stringify(cut.body)).toBe(201);
    const stranger = await call<{ error: string }>(lab.api('/faults'), json('POST', { kind: 'partition', groups: [['c4'], ['n1']] }));
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toContain('c1…c3');
    const view = await waitForVerdict(lab, id);
    expect((await call(lab.api(`/faults/${cut.body.id}`), action('DELETE'))).status).toBe(204);

    const history = (await call<{ history: History }>(lab.api(`/workloads/${id}/history`))).body.history;
    const cutFrom = view.faults.find((f) => f.id === cut.body.id)!.fromMs;
    const after = (client: string) => history.filter((op) => op.client === client && op.invokeMs > cutFrom + 50);
    // c2's next op after the cut waited out its deadline; every one it began later did too.
    expect(history.some((op) => op.client === 'c2' && op.outcome === 'unknown' && op.reply?.includes(cut.body.id))).toBe(true);
    expect(after('c2').every((op) => op.outcome === 'unknown' && op.reply?.includes(cut.body.id))).toBe(true);
    expect(after('c1').some((op) => op.outcome === 'ok')).toBe(true);
  });

});

describe('a long workload', () => {
  // Checked every second here; every 10 s by default, for runs of 20 s and more.
  const lab = useSupervisor({ nodes: 3, timing: { workloadInterimEveryMs: 1000 } });

  it('is checked while it runs, so far, before its verdict', async () => {
    await lab.waitForLeader();
    const id = await startWorkload(lab, { ...SPEC, durationMs: 4000 });
    const early = await workloadView(lab, id);
    expect(early).toMatchObject({ state: 'running', interim: null, verdict: null });
    const soFar = await waitFor(async () => (await workloadView(lab, id)).interim, { what: 'a check of the history so far', timeoutMs: 8000 });
    expect(soFar.outcome).toBe('linearizable');
    expect(soFar.ops).toBeGreaterThan(0);
    expect(soFar.atMs).toBeGreaterThanOrEqual(1000);
    const view = await waitForVerdict(lab, id);
    expect(view.verdict.outcome).toBe('linearizable');
  });
});

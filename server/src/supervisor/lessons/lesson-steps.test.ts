import { describe, expect, it } from 'vitest';
import type { ClusterEvent, LessonRunView } from '@clusterlab/shared';
import { call, json } from '../../test-utils/http';
import { useSupervisor } from '../../test-utils/test-supervisor';
import { waitFor } from '../../test-utils/wait-for';

/**
 * A lesson played step by step on real processes, as the dashboard's Next, Jump, Previous and
 * Run to the end do: it pauses where it is told, goes on when it is told, and a jump back is a
 * fresh run to the earlier step.
 */
describe('a lesson played step by step', () => {
  const lab = useSupervisor({ nodes: 1 }, 'all');
  const post = <T>(path: string, body?: unknown) => call<T>(lab.api(path), { ...json('POST', body ?? {}), headers: { 'content-type': 'application/json', ...lab.auth() } });
  const view = async (run: string) => (await call<LessonRunView>(lab.api(`/lessons/runs/${run}`), { headers: lab.auth() })).body;
  const until = (run: string, what: string, ok: (v: LessonRunView) => boolean) =>
    waitFor(
      async () => {
        const v = await view(run);
        return ok(v) ? v : null;
      },
      { what, timeoutMs: 40_000, intervalMs: 100 },
    );

  it('pauses after each step it is told to play, and plays to the end when told', { timeout: 90_000 }, async () => {
    const started = await post<LessonRunView>('/lessons/failover/run', { mode: 'step' });
    expect(started.status).toBe(202);
    const { run } = started.body;
    const one = await until(run, 'a pause after step 1', (v) => v.state === 'paused');
    expect(one.pausedAfter).toBe(1);
    expect(one.steps.map((s) => s.state)).toEqual(['passed', 'pending', 'pending', 'pending']);
    // A step that passed says which node it was about: the leader elected.
    expect(one.steps[0]!.moment?.nodes).toEqual([(await lab.cluster()).leader]);

    // Going back is not "next": it says how to do it instead.
    const back = await post<{ error: string }>(`/lessons/runs/${run}/next`, { to: 1 });
    expect(back.status).toBe(409);
    expect(back.body.error).toMatch(/1 steps are done already; going back to step 1 is a fresh run/);

    expect((await post(`/lessons/runs/${run}/next`)).status).toBe(200);
    const two = await until(run, 'a pause after step 2', (v) => v.state === 'paused' && v.pausedAfter === 2);
    expect(two.steps.map((s) => s.state)).toEqual(['passed', 'passed', 'pending', 'pending']);

    expect((await post(`/lessons/runs/${run}/continue`)).status).toBe(200);
    const done = await until(run, 'the end', (v) => v.endedAt !== null);
    expect(done.state).toBe('passed');
    // The lesson's own write was recorded and judged.
    expect(done.history.map((op) => `${op.kind} ${op.outcome}`)).toContain('write ok');
    expect(done.verdict?.summary).toBe('Linearizable');
    const events = (await call<{ events: ClusterEvent[] }>(lab.api('/events?since=0&limit=20000'), { headers: lab.auth() })).body.events;
    expect(events.filter((e) => e.kind === 'lesson.paused' && e.data.run === run).map((e) => e.kind === 'lesson.paused' && e.data.done)).toEqual([1, 2]);
    // A page that loads now learns of the run from the list.
    const listed = (await call<{ latest: LessonRunView | null }>(lab.api('/lessons'), { headers: lab.auth() })).body;
    expect(listed.latest?.run).toBe(run);
  });

  it('jumps: a fresh run to an earlier step, and on past a later one', { timeout: 90_000 }, async () => {
    const at3 = await post<LessonRunView>('/lessons/failover/run', { mode: 'step', to: 3 });
    const three = await until(at3.body.run, 'a pause after step 3', (v) => v.state === 'paused');
    expect(three.pausedAfter).toBe(3);
    const again = await post<LessonRunView>('/lessons/failover/run', { mode: 'step', to: 0 });
    // The earlier run was stopped to make way.
    expect((await call(lab.api(`/lessons/runs/${at3.body.run}`), { headers: lab.auth() })).status).toBe(404);
    const zero = await until(again.body.run, 'a pause before step 1', (v) => v.state === 'paused');
    expect(zero.pausedAfter).toBe(0);
    expect(zero.steps.every((s) => s.state === 'pending')).toBe(true);
    await post(`/lessons/runs/${again.body.run}/next`, { to: 2 });
    const two = await until(again.body.run, 'a pause after step 2', (v) => v.state === 'paused' && v.pausedAfter === 2);
    expect(two.steps.map((s) => s.state)).toEqual(['passed', 'passed', 'pending', 'pending']);
    const stopped = await post<LessonRunView>(`/lessons/runs/${again.body.run}/stop`);
    expect(stopped.body.state).toBe('stopped');
    expect(stopped.body.steps.map((s) => s.state)).toEqual(['passed', 'passed', 'pending', 'pending']);
  });

  it('answers a body it cannot use with a 400 that says what it takes', async () => {
    const bad = await post<{ error: string }>('/lessons/failover/run', { mode: 'slow' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^expected \{ mode\?: "all" \| "step", to\?: steps done before the first pause, algorithm\?: "bully" \| "raft", keepGoing\?: boolean \}: /);
    const far = await post<{ error: string }>('/lessons/failover/run', { mode: 'step', to: 9 });
    expect(far).toMatchObject({ status: 400, body: { error: 'lesson failover has 4 steps: "to" is 0..4' } });
    const all = await post<{ error: string }>('/lessons/failover/run', { to: 2 });
    expect(all.status).toBe(400);
  });
});

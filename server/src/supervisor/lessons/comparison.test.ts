import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LessonComparisonView, LessonRunView } from '@clusterlab/shared';
import { call, json } from '../../test-utils/http';
import { isAlive } from '../../test-utils/processes';
import { useSupervisor } from '../../test-utils/test-supervisor';
import { waitFor } from '../../test-utils/wait-for';

/**
 * The same lesson under both designs, on two clusters of real processes: the lost write that
 * bully acknowledges and loses, and Raft, whose old leader never loses its majority and whose
 * checker finds nothing wrong.
 */
/** This process's children alive now: the supervisors here run in the test's process. */
function children(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);
}

describe('a lesson compared under bully and Raft', () => {
  const lab = useSupervisor({ nodes: 1 }, 'all');
  const post = <T>(path: string) => call<T>(lab.api(path), { ...json('POST', {}), headers: { 'content-type': 'application/json', ...lab.auth() } });
  const latest = async () => (await call<LessonComparisonView>(lab.api('/lessons/compare'), { headers: lab.auth() })).body;

  it('plays every step on both, and each side has its own verdict', { timeout: 120_000 }, async () => {
    expect((await call(lab.api('/lessons/compare'), { headers: lab.auth() })).status).toBe(404);
    // Children of this process that are not this cluster's (a compiler's, say): they stay as they are.
    const mine = async () => {
      const view = await lab.cluster();
      return new Set([view.registry.pid, ...view.nodes.map((n) => n.pid)]);
    };
    const others = async () => {
      const own = await mine();
      return children().filter((pid) => !own.has(pid));
    };
    const baseline = await others();
    const started = await post<LessonComparisonView>('/lessons/lost-write/compare');
    expect(started.status).toBe(202);
    expect(started.body.sides.map((s) => s.algorithm)).toEqual(['bully', 'raft']);
    // While it runs, the second cluster is real processes too: a registry and three nodes beside this one's.
    await waitFor(async () => (await latest()).state !== 'starting' && (await lab.cluster()).nodes.filter((n) => n.status === 'running').length === 3, { what: 'both sides playing, this cluster of three running', timeoutMs: 30_000 });
    const twin = await waitFor(async () => ((await others()).length >= baseline.length + 4 ? others() : null), { what: "the second cluster's registry and three nodes", timeoutMs: 30_000 });
    const done = await waitFor(async () => ((await latest()).endedAt === null ? null : latest()), { what: 'the comparison to end', timeoutMs: 110_000, intervalMs: 250 });
    expect(done.error).toBeNull();
    expect(done.state).toBe('ended');
    const [bully, raft] = done.sides.map((s) => s.run!);
    expect(bully!.algorithm).toBe('bully');
    expect(bully!.steps.map((s) => s.state)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(bully!.verdict?.lostWrites).toBe(1);
    // Under Raft the follower cut off cannot make itself leader, the deposit is kept, and the checker says so.
    expect(raft!.algorithm).toBe('raft');
    expect(raft!.steps.map((s) => s.state)).toEqual(['passed', 'failed', 'passed', 'failed']);
    expect(raft!.steps[1]!.detail).toMatch(/^waited 8 s for 2 nodes to say they lead at once, and it did not come/);
    expect(raft!.verdict?.summary).toBe('Linearizable');
    expect(raft!.verdict?.lostWrites).toBe(0);
    // The second cluster is gone, and nothing of it is left running: only this cluster's registry and nodes are.
    expect(await others()).toEqual(baseline);
    // (What was taken for the second cluster's may have been this one's, starting as the lesson reset it.)
    const own = await mine();
    expect(twin.filter((pid) => !baseline.includes(pid) && !own.has(pid)).filter(isAlive)).toEqual([]);
  });

  it('ends, with its second cluster, when the learner starts another lesson here — and leaves that one running', { timeout: 120_000 }, async () => {
    await post<LessonComparisonView>('/lessons/split-brain/compare');
    await waitFor(async () => ((await latest()).state === 'running' ? true : null), { what: 'the comparison running', timeoutMs: 30_000 });
    const other = await post<LessonRunView>('/lessons/first-election/run');
    expect(other.status).toBe(202);
    const ended = await waitFor(async () => ((await latest()).endedAt === null ? null : latest()), { what: 'the comparison to end', timeoutMs: 30_000 });
    expect(ended.state).toBe('stopped');
    const run = await waitFor(
      async () => {
        const v = (await call<LessonRunView>(lab.api(`/lessons/runs/${other.body.run}`), { headers: lab.auth() })).body;
        return v.endedAt === null ? null : v;
      },
      { what: 'the first-election lesson to end', timeoutMs: 60_000 },
    );
    expect(run.state).toBe('passed');
  });

  it('says what there is to compare when asked for a lesson that does not exist', async () => {
    const missing = await post<{ error: string }>('/lessons/nope/compare');
    expect(missing.status).toBe(404);
  });
});

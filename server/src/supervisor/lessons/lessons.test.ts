import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterEvent } from '@clusterlab/shared';
import { call, json } from '../../test-utils/http';
import { useSupervisor } from '../../test-utils/test-supervisor';
import { waitFor } from '../../test-utils/wait-for';
import { DEFAULT_LESSONS_DIR, loadLessons } from './lesson-files';
import type { LessonRunView, LessonSummary } from './lessons';

/**
 * Every lesson, run the way the dashboard runs one (POST /api/lessons/:id/run) on real
 * processes: each step's moment must actually happen, or the lesson fails with the sentence
 * that says what did not — flaky teaching is a bug.
 */
const LESSONS = loadLessons(DEFAULT_LESSONS_DIR);

describe('the lessons, on real processes', () => {
  const lab = useSupervisor({ nodes: 1 }, 'all');

  it('are listed with their steps', async () => {
    const { lessons } = (await call<{ lessons: LessonSummary[] }>(lab.api('/lessons'), { headers: lab.auth() })).body;
    expect(lessons.map((l) => l.id)).toEqual(LESSONS.map((l) => l.id));
    for (const l of lessons) expect(l.steps.length).toBeGreaterThan(0);
  });

  for (const lesson of LESSONS) {
    it(`${lesson.id}: every step's moment happens (${lesson.title})`, { timeout: 90_000 }, async () => {
      const started = await call<LessonRunView>(lab.api(`/lessons/${lesson.id}/run`), { ...json('POST', {}), headers: { 'content-type': 'application/json', ...lab.auth() } });
      expect(started.status).toBe(202);
      const done = await waitFor(
        async () => {
          const v = (await call<LessonRunView>(lab.api(`/lessons/runs/${started.body.run}`), { headers: lab.auth() })).body;
          return v.state === 'running' ? null : v;
        },
        { what: `lesson ${lesson.id} to end`, timeoutMs: 80_000, intervalMs: 100 },
      );
      expect(done.steps.filter((s) => s.state !== 'passed').map((s) => `${s.title}: ${s.detail}`)).toEqual([]);
      expect(done.state).toBe('passed');
      // The stream said every step, and the end.
      const events = (await call<{ events: ClusterEvent[] }>(lab.api('/events?since=0&limit=20000'), { headers: lab.auth() })).body.events;
      const said = events.filter((e) => e.kind === 'lesson.step' && e.data.run === started.body.run && e.data.state === 'passed');
      expect(said.length).toBe(lesson.steps.length);
      expect(events.some((e) => e.kind === 'lesson.ended' && e.data.run === started.body.run && e.data.passed)).toBe(true);
    });
  }

  it('answers an unknown lesson or run with a 404 that says what there is', async () => {
    const missing = await call<{ error: string }>(lab.api('/lessons/no-such/run'), { method: 'POST', headers: { 'content-type': 'application/json', ...lab.auth() } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no lesson "no-such"; GET \/api\/lessons lists them \(first-election/);
    expect((await call(lab.api('/lessons/runs/l999'), { headers: lab.auth() })).status).toBe(404);
  });
});

describe('a lesson whose moment does not come', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterlab-lessons-'));
  writeFileSync(
    join(dir, 'wrong.json'),
    JSON.stringify({
      version: 1,
      id: 'wrong',
      number: 1,
      title: 'Expects the wrong winner',
      summary: 'A lesson that says n1 wins a bully election: it cannot.',
      algorithm: 'bully',
      nodes: 3,
      steps: [
        { title: 'A leader', say: 'One is elected.', do: [{ await: { leader: true } }] },
        { title: 'n1 wins', say: 'It does not.', do: [{ expect: { leader: 'n1' } }] },
        { title: 'Never reached', say: 'The lesson stopped before this.', do: [{ await: { leaders: 2 }, timeoutMs: 100 }] },
      ],
    }),
  );
  const lab = useSupervisor({ nodes: 1, lessonsDir: dir }, 'all');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails at that step, saying what was expected and what the cluster was doing, and runs no further', { timeout: 60_000 }, async () => {
    const started = await call<LessonRunView>(lab.api('/lessons/wrong/run'), { method: 'POST', headers: { 'content-type': 'application/json', ...lab.auth() } });
    const done = await waitFor(
      async () => {
        const v = (await call<LessonRunView>(lab.api(`/lessons/runs/${started.body.run}`), { headers: lab.auth() })).body;
        return v.state === 'running' ? null : v;
      },
      { what: 'the lesson to end', timeoutMs: 30_000 },
    );
    expect(done.state).toBe('failed');
    expect(done.steps.map((s) => s.state)).toEqual(['passed', 'failed', 'pending']);
    // The picture is of the moment: a node may still be finishing its own election.
    expect(done.steps[1]!.detail).toMatch(/^expected n1 to lead: n1 [a-z-]+, n2 [a-z-]+, n3 leader$/);
  });
});

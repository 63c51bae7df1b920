import express, { type IRouter } from 'express';
import { LessonNextRequest, LessonRunRequest } from '@clusterlab/shared';
import { HttpError, route, withDeclaredLimit, zodMessage } from '../../http/json-http';
import { LessonStateError } from '../lessons/lessons';
import type { ApiContext } from './context';

const json = withDeclaredLimit(4 * 1024, express.json({ limit: 4 * 1024, type: () => true }));

/**
 * The lessons (lessons/*.json, the scenario format of shared/src/scenario.ts; the API's types
 * are shared/src/lessons.ts):
 *
 *   GET  /api/lessons                  { lessons: [{ id, number, title, summary, algorithm, nodes, steps: [{ title, say }] }], latest: run | null }
 *   POST /api/lessons/:id/run          starts it on a fresh cluster (stopping one that runs): 202 the run.
 *                                      Body, optional: { mode?: "all" | "step", to?: n, algorithm? } — "step" pauses once n steps
 *                                      are done (default 1); `algorithm` plays it under another design than its own
 *   GET  /api/lessons/runs/:run        { run, lesson, mode, state: running|paused|passed|failed|stopped, pausedAfter, steps, history, verdict, … }
 *   POST /api/lessons/runs/:run/next   a paused run plays on: { to?: n } steps done (default one more); 409 if not paused
 *   POST /api/lessons/runs/:run/continue   a paused run plays to the end
 *   POST /api/lessons/runs/:run/stop   stops it: 200 the run as it ended
 *   POST /api/lessons/:id/compare      plays it under both algorithms at once, on this cluster and a second one: 202
 *   GET  /api/lessons/compare          the latest comparison: { id, lesson, state, error, sides: [{ algorithm, run }] }
 *   POST /api/lessons/compare/stop     stops it, and the second cluster
 *
 * Each step is said on the event stream as it starts and ends (lesson.step), a pause as
 * lesson.paused, the checker's headline as lesson.verdict, then lesson.ended.
 */
export function lessonRoutes(router: IRouter, ctx: ApiContext): void {
  const lessonOf = (id: string) => {
    if (!ctx.lessons.has(id)) throw new HttpError(404, `no lesson ${JSON.stringify(id.slice(0, 40))}; GET /api/lessons lists them (${ctx.lessons.list().map((l) => l.id).join(', ')})`);
    return id;
  };

  route(router, '/api/lessons', {
    get: (_req, res) => {
      res.json({ lessons: ctx.lessons.list(), latest: ctx.lessons.latest() });
    },
  });

  route(router, '/api/lessons/:id/run', {
    post: [
      json,
      async (req, res) => {
        const id = lessonOf(String(req.params.id));
        const parsed = LessonRunRequest.safeParse(req.body ?? {});
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected { mode?: "all" | "step", to?: steps done before the first pause, algorithm?: "bully" | "raft", keepGoing?: boolean }: '));
        const { mode = 'all', to, algorithm, keepGoing } = parsed.data;
        if (to !== undefined && mode !== 'step') throw new HttpError(400, '"to" is for mode "step": a run in mode "all" plays every step');
        const steps = ctx.lessons.steps(id);
        if (to !== undefined && to > steps) throw new HttpError(400, `lesson ${id} has ${steps} steps: "to" is 0..${steps}`);
        res.status(202).json(await ctx.lessons.start(id, { mode, to: to ?? 1, ...(algorithm ? { algorithm } : {}), keepGoing: keepGoing ?? false }));
      },
    ],
  });

  const runOf = (raw: string) => {
    const run = ctx.lessons.run(raw);
    if (!run) throw new HttpError(404, `no lesson run ${JSON.stringify(raw.slice(0, 40))}: only the latest run is kept`);
    return run;
  };

  route(router, '/api/lessons/runs/:run', {
    get: (req, res) => {
      res.json(runOf(String(req.params.run)));
    },
  });

  const goOn = (raw: string, to: number | undefined) => {
    const run = runOf(raw);
    if (to !== undefined && Number.isFinite(to) && to > run.steps.length) throw new HttpError(400, `lesson ${run.lesson} has ${run.steps.length} steps: "to" is at most ${run.steps.length}`);
    try {
      return ctx.lessons.advance(run.run, to);
    } catch (err) {
      if (err instanceof LessonStateError) throw new HttpError(409, err.message);
      throw err;
    }
  };

  route(router, '/api/lessons/runs/:run/next', {
    post: [
      json,
      (req, res) => {
        const parsed = LessonNextRequest.safeParse(req.body ?? {});
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected { to?: steps done before the next pause }: '));
        res.json(goOn(String(req.params.run), parsed.data.to));
      },
    ],
  });

  route(router, '/api/lessons/runs/:run/continue', {
    post: (req, res) => {
      res.json(goOn(String(req.params.run), Infinity));
    },
  });

  route(router, '/api/lessons/:id/compare', {
    post: async (req, res) => {
      const id = lessonOf(String(req.params.id));
      res.status(202).json(await ctx.comparisons.start(id));
    },
  });

  route(router, '/api/lessons/compare', {
    get: (_req, res) => {
      const latest = ctx.comparisons.latest();
      if (!latest) throw new HttpError(404, 'no comparison yet: POST /api/lessons/:id/compare starts one');
      res.json(latest);
    },
  });

  route(router, '/api/lessons/compare/stop', {
    post: async (_req, res) => {
      const latest = ctx.comparisons.latest();
      if (!latest) throw new HttpError(404, 'no comparison to stop');
      await ctx.comparisons.stop();
      res.json(latest);
    },
  });

  route(router, '/api/lessons/runs/:run/stop', {
    post: async (req, res) => {
      const run = runOf(String(req.params.run));
      await ctx.lessons.stop();
      res.json(run);
    },
  });
}

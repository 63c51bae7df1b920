import type { IRouter } from 'express';
import { HttpError, route } from '../../http/json-http';
import type { ApiContext } from './context';

/**
 * The lessons (lessons/*.json, the scenario format of shared/src/scenario.ts):
 *
 *   GET  /api/lessons                  { lessons: [{ id, number, title, summary, algorithm, nodes, steps: [{ title, say }] }] }
 *   POST /api/lessons/:id/run          starts it on a fresh cluster (stopping one that runs): 202 the run
 *   GET  /api/lessons/runs/:run        { run, lesson, state: running|passed|failed|stopped, steps: [{ index, title, state, detail }] }
 *   POST /api/lessons/runs/:run/stop   stops it: 200 the run as it ended
 *
 * Each step is said on the event stream as it starts and ends (lesson.step), then lesson.ended.
 */
export function lessonRoutes(router: IRouter, ctx: ApiContext): void {
  route(router, '/api/lessons', {
    get: (_req, res) => {
      res.json({ lessons: ctx.lessons.list() });
    },
  });

  route(router, '/api/lessons/:id/run', {
    post: async (req, res) => {
      const id = String(req.params.id);
      if (!ctx.lessons.has(id)) throw new HttpError(404, `no lesson ${JSON.stringify(id.slice(0, 40))}; GET /api/lessons lists them (${ctx.lessons.list().map((l) => l.id).join(', ')})`);
      res.status(202).json(await ctx.lessons.start(id));
    },
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

  route(router, '/api/lessons/runs/:run/stop', {
    post: async (req, res) => {
      const run = runOf(String(req.params.run));
      await ctx.lessons.stop();
      res.json(run);
    },
  });
}

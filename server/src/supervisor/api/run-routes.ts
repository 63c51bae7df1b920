import type { IRouter } from 'express';
import { HttpError, route } from '../../http/json-http';
import type { ApiContext } from './context';

/**
 * The recorded runs (runs.ts; the format is shared/src/trace.ts and docs/trace-format.md):
 *
 *   GET /api/runs             { runs: RunSummary[] }, newest first (the current run first)
 *   GET /api/runs/:id/trace   the run as one NDJSON trace file, as far as it has been recorded
 */
export function runRoutes(router: IRouter, ctx: ApiContext): void {
  route(router, '/api/runs', {
    get: (_req, res) => {
      res.json({ runs: ctx.runs.list() });
    },
  });

  route(router, '/api/runs/:id/trace', {
    get: async (req, res) => {
      const id = String(req.params.id);
      if (!ctx.runs.has(id)) throw new HttpError(404, `no recorded run ${JSON.stringify(id)}; GET /api/runs lists them (the last few are kept)`);
      res.status(200).set({ 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="clusterlab-${id}.ndjson"` });
      // A client that goes away mid-download must not leave the copy waiting for a drain that never comes.
      const written = (chunk: string) =>
        new Promise<void>((resolve) => {
          if (res.destroyed || res.write(chunk)) return resolve();
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      await ctx.runs.writeTrace(id, written);
      res.end();
    },
  });
}

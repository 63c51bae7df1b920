import { isNodeId } from '@clusterlab/shared';
import type { IRouter } from 'express';
import { HttpError, route } from '../../http/json-http';
import type { ApiContext } from './context';

/**
 * The recorded runs (runs.ts; the format is shared/src/trace.ts and docs/trace-format.md):
 *
 *   GET /api/runs             { runs: RunSummary[] }, newest first (the current run first)
 *   GET /api/runs/:id/trace   the run as one NDJSON trace file, as far as it has been recorded
 *   GET /api/runs/:id/messages/:messageId[?to=n2]
 *                             { id, to, step, payload }: what a peer message carried, as its
 *                             receiver's core was given it (`:id` may be `current`)
 */
export function runRoutes(router: IRouter, ctx: ApiContext): void {
  route(router, '/api/runs', {
    get: (_req, res) => {
      res.json({ runs: ctx.runs.list() });
    },
  });

  route(router, '/api/runs/:id/messages/:messageId', {
    get: async (req, res) => {
      const id = runId(ctx, String(req.params.id));
      const messageId = String(req.params.messageId);
      if (!MESSAGE_ID.test(messageId)) throw new HttpError(400, `${JSON.stringify(messageId.slice(0, 80))} is not a message id: they look like n1-k3x9a2f1-1c (sender, its boot, a number), as message events name them`);
      const to = req.query.to === undefined ? null : String(req.query.to);
      if (to !== null && !isNodeId(to)) throw new HttpError(400, `to=${JSON.stringify(to.slice(0, 40))} is not a node id (n1…n99)`);
      const found = await ctx.runs.findMessage(id, messageId, to);
      if (!found)
        throw new HttpError(
          404,
          `no node of run ${id} recorded receiving ${messageId}: it was lost or refused (a core is never given those, so their payload is not recorded), it is still in flight or not yet written (nodes write their recording every 50 ms), or it came after its receiver's recording reached its bound`,
        );
      res.json({ id: messageId, to: found.to, step: found.step, payload: found.msg });
    },
  });

  route(router, '/api/runs/:id/trace', {
    get: async (req, res) => {
      const id = runId(ctx, String(req.params.id));
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

/** A message id as the peer transport makes them: `<sender>-<its boot>-<a base-36 number>`. */
const MESSAGE_ID = /^n[1-9][0-9]?-[0-9a-z]{1,32}-[0-9a-z]{1,16}$/;

/** `current` names the run being recorded; any other id must be a kept run. */
function runId(ctx: ApiContext, id: string): string {
  const resolved = id === 'current' ? ctx.runs.currentId : id;
  if (resolved === null) throw new HttpError(404, 'no run is being recorded: the supervisor runs with --no-record, or no cluster has started yet');
  if (!ctx.runs.has(resolved)) throw new HttpError(404, `no recorded run ${JSON.stringify(id.slice(0, 40))}; GET /api/runs lists them (the last few are kept)`);
  return resolved;
}

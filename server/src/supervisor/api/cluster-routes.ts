import express, { type IRouter } from 'express';
import { z } from 'zod';
import {
  ClusterSettings,
  EVENT_BUFFER_SIZE,
  MAX_NODES,
  MIN_NODES,
  parseSettingsUpdate,
  type EventsPage,
} from '@clusterlab/shared';
import { HttpError, route, withDeclaredLimit, zodMessage } from '../../http/json-http';
import type { ApiContext } from './context';

/** Settings and reset bodies are a few hundred bytes. */
const json = withDeclaredLimit(16 * 1024, express.json({ limit: 16 * 1024, type: () => true }));

const ResetBody = z.object({ nodes: z.number().int().min(MIN_NODES).max(MAX_NODES).optional() }).strict();

const seq = z.string().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number);
const EventsQuery = z.object({
  since: seq.optional(),
  limit: seq.pipe(z.number().min(1).max(EVENT_BUFFER_SIZE)).optional(),
});

/** The cluster as a whole: its view, its settings, a fresh start, and its event history. */
export function clusterRoutes(router: IRouter, ctx: ApiContext): void {
  route(router, '/api/cluster', {
    get: (_req, res) => {
      res.json(ctx.view());
    },
  });

  route(router, '/api/cluster/reset', {
    post: [
      json,
      async (req, res) => {
        const parsed = ResetBody.safeParse(req.body ?? {});
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected { nodes?: 1..25 }: '));
        const nodes = parsed.data.nodes ?? ctx.manager.nodeIds().length;
        await ctx.reset(nodes, ctx.manager.settings);
        res.json(ctx.view());
      },
    ],
  });

  route(router, '/api/settings', {
    get: (_req, res) => {
      res.json(ctx.manager.settings satisfies ClusterSettings);
    },
    put: [
      json,
      async (req, res) => {
        const parsed = parseSettingsUpdate(ctx.manager.settings, req.body);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'invalid settings: '));
        // New timings mean new processes: every node and the registry restart with them, data wiped.
        await ctx.reset(ctx.manager.nodeIds().length, parsed.data);
        res.json(ctx.manager.settings satisfies ClusterSettings);
      },
    ],
  });

  route(router, '/api/events', {
    get: (req, res) => {
      const parsed = EventsQuery.safeParse(req.query);
      if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected ?since=<seq>&limit=1..20000: '));
      const { since = 0, limit = 1000 } = parsed.data;
      const log = ctx.state.log;
      res.json({ events: log.after(since, limit), lastSeq: log.lastSeq } satisfies EventsPage);
    },
  });
}

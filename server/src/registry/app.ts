import express, { type Express } from 'express';
import { z } from 'zod';
import { NODE_ID_PATTERN, type EventBody, type RegistryEntry } from '@clusterlab/shared';
import { HttpError, jsonErrorHandler, notFound, route, withDeclaredLimit, zodMessage } from '../http/json-http';
import type { RegistryTable } from './registry-table';

/**
 * The registry's HTTP face: a thin adapter that reads the clock, asks the table and turns what
 * changed into events. Every request first sweeps, so an answer never lists a node that has
 * already expired, even between two timer sweeps.
 */

const nodeId = z.string().regex(NODE_ID_PATTERN, 'must be a node id n1..n99');

export const RegistrationBody = z.object({
  id: nodeId,
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
});

/** A registration is a few dozen bytes; anything near this is not one. */
const MAX_BODY_BYTES = 16 * 1024;

export type RegistryAppDeps = {
  table: RegistryTable;
  now: () => number;
  emit: (event: EventBody) => void;
  log: (line: string) => void;
};

export function createRegistryApp({ table, now, emit, log }: RegistryAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const sweep = (): void => {
    for (const { id, silentMs } of table.sweep(now())) emit({ kind: 'registry.expired', data: { id, silentMs } });
  };
  app.use((_req, _res, next) => {
    sweep();
    next();
  });

  // Accept JSON whatever the Content-Type says: a curl without -H should still work.
  const json = withDeclaredLimit(MAX_BODY_BYTES, express.json({ limit: MAX_BODY_BYTES, type: () => true }));

  route(app, '/register', {
    post: [
      json,
      (req, res) => {
        const parsed = RegistrationBody.safeParse(req.body);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected { id, host, port }: '));
        const outcome = table.register(parsed.data, now());
        if (!outcome.ok) {
          throw new HttpError(503, `the registry is full (${table.maxEntries} nodes); ${parsed.data.id} was not registered`, {
            'Retry-After': '1',
          });
        }
        if (outcome.announced) emit({ kind: 'registry.registered', data: parsed.data });
        res.json({ nodes: table.list() } satisfies { nodes: RegistryEntry[] });
      },
    ],
  });

  route(app, '/nodes', {
    get: (_req, res) => {
      res.json({ ttlMs: table.ttlMs, nodes: table.list() } satisfies { ttlMs: number; nodes: RegistryEntry[] });
    },
  });

  route(app, '/nodes/:id', {
    delete: (req, res) => {
      const parsed = nodeId.safeParse(req.params.id);
      if (!parsed.success) throw new HttpError(400, `${JSON.stringify(req.params.id)} ${parsed.error.issues[0]?.message}`);
      // Leaving twice is still leaving: 204 either way, but only a real leave is an event.
      if (table.deregister(parsed.data)) emit({ kind: 'registry.deregistered', data: { id: parsed.data } });
      res.status(204).end();
    },
  });

  app.use(notFound());
  app.use(jsonErrorHandler(log));
  return app;
}

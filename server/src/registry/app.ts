import { isIP } from 'node:net';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { NODE_ID_PATTERN, type EventBody, type RegistryEntry } from '@clusterlab/shared';
import { SIGNATURE_HEADER, type RequestSigner } from '../auth/request-signature';
import type { RefusalReporter } from '../auth/refusal-reporter';
import { loopbackHostnames } from '../http/guards/host-check';
import { refuseWebPages } from '../http/guards/no-web-pages';
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
  // An address peers can dial as it is: a name would be resolved by each of them, perhaps differently.
  host: z.string().max(255).refine((h) => isIP(h) !== 0 || h === 'localhost', 'must be an IP address (or localhost)'),
  port: z.number().int().min(1).max(65_535),
});

/** A registration is a few dozen bytes; anything near this is not one. */
const MAX_BODY_BYTES = 16 * 1024;

export type RegistryAppDeps = {
  table: RegistryTable;
  now: () => number;
  emit: (event: EventBody) => void;
  log: (line: string) => void;
  /** Checks that a registration or a leave comes from a member of the cluster. */
  signer: RequestSigner;
  /** Says (rate-limited) that a request without the secret was turned away. */
  refusals: RefusalReporter;
  /** The address it binds: on loopback, only loopback's names are answered. */
  bindHost: string;
};

/**
 * Who may change the table: only members of the cluster, proven by a signature over the
 * request (auth/request-signature.ts). Reading it (GET /nodes) stays open: an address book
 * steers nothing, and a learner may curl it.
 */
function signedJson(signer: RequestSigner, refusals: RefusalReporter, now: () => number): RequestHandler[] {
  // The exact bytes are signed, so they are read raw, whatever the Content-Type says.
  const raw = withDeclaredLimit(MAX_BODY_BYTES, express.raw({ limit: MAX_BODY_BYTES, type: () => true }));
  const verify: RequestHandler = (req: Request, _res, next) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = signer.verify(req.headers[SIGNATURE_HEADER], { method: req.method, target: req.originalUrl, body }, now());
    if (!verdict.ok) {
      refusals.report({ request: `${req.method} ${req.path}`, remote: req.socket.remoteAddress ?? 'unknown', reason: verdict.reason });
      throw new HttpError(401, verdict.reason);
    }
    if (body.length === 0) req.body = undefined;
    else {
      try {
        req.body = JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw new HttpError(400, `the body is not valid JSON: ${(err as Error).message}`);
      }
    }
    next();
  };
  return [raw, verify];
}

export function createRegistryApp({ table, now, emit, log, signer, refusals, bindHost }: RegistryAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const hosts = { name: 'the registry', hostnames: loopbackHostnames(bindHost) };
  app.use((req, _res, next) => {
    const refusal = refuseWebPages(req.headers, hosts);
    next(refusal ? new HttpError(refusal.status, refusal.error, refusal.headers) : undefined);
  });

  const sweep = (): void => {
    for (const { id, silentMs } of table.sweep(now())) emit({ kind: 'registry.expired', data: { id, silentMs } });
  };
  app.use((_req, _res, next) => {
    sweep();
    next();
  });

  const signed = signedJson(signer, refusals, now);

  route(app, '/register', {
    post: [
      ...signed,
      (req, res) => {
        const parsed = RegistrationBody.safeParse(req.body);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected { id, host, port }: '));
        const outcome = table.register(parsed.data, now());
        if (!outcome.ok && outcome.reason === 'taken') {
          const { holder } = outcome;
          throw new HttpError(
            409,
            `${holder.id} is registered at ${holder.host}:${holder.port} until ${Math.max(0, holder.expiresAt - now())} ms from now; an id cannot be taken over while its holder heart-beats`,
            { 'Retry-After': String(Math.ceil(table.ttlMs / 1000)) },
          );
        }
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
    delete: [...signed, (req, res) => {
      const parsed = nodeId.safeParse(req.params.id);
      if (!parsed.success) throw new HttpError(400, `${JSON.stringify(req.params.id)} ${parsed.error.issues[0]?.message}`);
      // Leaving twice is still leaving: 204 either way, but only a real leave is an event.
      if (table.deregister(parsed.data)) emit({ kind: 'registry.deregistered', data: { id: parsed.data } });
      res.status(204).end();
    }],
  });

  app.use(notFound());
  app.use(jsonErrorHandler(log));
  return app;
}

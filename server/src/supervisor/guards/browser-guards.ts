import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { sendError } from '../../http/json-http';
import type { AccessPolicy } from './access-policy';
import { checkHost } from '../../http/guards/host-check';
import { checkJsonContentType } from './json-content-type';
import { checkOrigin } from './origin-check';
import type { Refusal } from '../../http/guards/refusal';
import { bearerToken, checkToken } from './token-check';

/**
 * The supervisor's answers to other web pages, applied once to every HTTP request and once to
 * every /ws upgrade: Host (DNS rebinding), Origin (cross-site requests), the token when bound
 * beyond loopback, and JSON-only writes (cross-site "simple" requests). The dashboard's own
 * files need no token: they are the same for everyone, and the page must load to read it.
 */
export function httpGuards(policy: AccessPolicy): RequestHandler {
  return (req, res, next) => {
    const { host, origin } = req.headers;
    const api = req.path === '/api' || req.path.startsWith('/api/');
    const refusal =
      checkHost(host, policy) ??
      checkOrigin(origin, host) ??
      (api ? (checkToken(bearerToken(req.headers.authorization), policy) ?? checkJsonContentType(req.method, req.headers['content-type'], req.path)) : null);
    if (refusal) sendError(res, refusal.status, refusal.error, refusal.headers);
    else next();
  };
}

/** A browser's WebSocket cannot set headers, so the stream also takes the token as ?token=. */
export function upgradeGuard(policy: AccessPolicy): (req: IncomingMessage) => Refusal | null {
  return (req) => {
    const { host, origin } = req.headers;
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    return checkHost(host, policy) ?? checkOrigin(origin, host) ?? checkToken(bearerToken(req.headers.authorization) ?? query, policy);
  };
}

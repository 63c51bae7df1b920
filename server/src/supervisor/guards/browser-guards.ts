import type { RequestHandler } from 'express';
import { sendError } from '../../http/json-http';
import { checkJsonContentType } from './json-content-type';

/**
 * The supervisor's answers to other web pages, applied once to every HTTP request: for now,
 * JSON-only writes under /api (cross-site "simple" requests cannot be JSON).
 */
export function httpGuards(): RequestHandler {
  return (req, res, next) => {
    const api = req.path === '/api' || req.path.startsWith('/api/');
    const refusal = api ? checkJsonContentType(req.method, req.headers['content-type'], req.path) : null;
    if (refusal) sendError(res, refusal.status, refusal.error, refusal.headers);
    else next();
  };
}

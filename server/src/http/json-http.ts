import type { ErrorRequestHandler, IRouter, Request, RequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import type { ApiError } from '@clusterlab/shared';

/**
 * The small HTTP conventions every Clusterlab server keeps: every error is a JSON `{ error }`
 * with a fitting status, a path that exists answers a wrong method with 405 + Allow, and no
 * request — malformed, huge or hostile — can take the process down.
 */

/** Thrown (or passed to next) by a handler to answer a clean 4xx/5xx. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.status(status).set(headers).json({ error: message } satisfies ApiError);
}

/** "port: Too big: expected number to be <=65535" — the first issue is the one a person fixes first. */
export function zodMessage(error: ZodError, prefix = ''): string {
  const first = error.issues[0];
  if (!first) return `${prefix}invalid input`;
  const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return `${prefix}${where}${first.message}`;
}

type Method = 'get' | 'post' | 'put' | 'delete';
type Handlers = Partial<Record<Method, RequestHandler | RequestHandler[]>>;

/**
 * Registers the handlers of one path and, after them, a catch-all that answers any other
 * method with 405 and the Allow header — so a new route cannot forget its 405.
 */
export function route(app: IRouter, path: string, handlers: Handlers): void {
  const allowed: string[] = [];
  for (const method of ['get', 'post', 'put', 'delete'] as const) {
    const handler = handlers[method];
    if (!handler) continue;
    allowed.push(method.toUpperCase());
    if (method === 'get') allowed.push('HEAD');
    app[method](path, ...(Array.isArray(handler) ? handler : [handler]));
  }
  const allow = allowed.join(', ');
  app.all(path, (req: Request, res: Response) => {
    if (req.method === 'OPTIONS') {
      res.status(204).set('Allow', allow).end();
      return;
    }
    sendError(res, 405, `${req.method} is not allowed on ${req.path}; use ${allow}`, { Allow: allow });
  });
}

/**
 * `parser` (a body parser with this `limit`), but a body declared larger is refused at once.
 * body-parser refuses such a body only once it has read all of it, so a client that declares
 * a large body and waits for an answer before sending it would wait for ever.
 */
export function withDeclaredLimit(limit: number, parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (Number(req.headers['content-length']) > limit) {
      // Node reads the unread body off the wire and drops it once this is answered, so a
      // client that does send it is not reset mid-body, and a keep-alive connection carries on.
      sendError(res, 413, `request body is larger than the limit of ${limit} bytes`);
      return;
    }
    parser(req, res, next);
  };
}

export function notFound(): RequestHandler {
  // originalUrl, not path: under a mounted router `path` has lost its prefix.
  return (req, res) => sendError(res, 404, `no such endpoint: ${req.method} ${req.originalUrl.split('?')[0]}`);
}

/** The last middleware: body-parser failures become 4xx, anything unexpected a logged 500. */
export function jsonErrorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof HttpError) {
      sendError(res, err.status, err.message, err.headers);
      return;
    }
    const e = err as { type?: unknown; status?: unknown; limit?: unknown; message?: unknown };
    switch (e.type) {
      case 'entity.parse.failed':
        sendError(res, 400, `request body is not valid JSON: ${String(e.message)}`);
        return;
      case 'entity.too.large':
        sendError(res, 413, `request body is larger than the limit of ${String(e.limit)} bytes`);
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        sendError(res, 415, String(e.message));
        return;
      case 'request.aborted':
        return; // The client went away; there is nobody to answer.
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendError(res, e.status, typeof e.message === 'string' ? e.message : 'bad request');
      return;
    }
    log(`internal error on ${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    sendError(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  };
}

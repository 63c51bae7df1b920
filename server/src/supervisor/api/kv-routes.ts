import express, { type IRouter, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { isNodeId, MAX_KEY_BYTES, MAX_TXN_BYTES, MAX_TXN_KEYS, MAX_VALUE_BYTES, type KvResult, type KvWriteBody } from '@clusterlab/shared';
import { HttpError, route, sendError, withDeclaredLimit, zodMessage } from '../../http/json-http';
import { parseTxnBody } from '../../http/txn-body';
import { utf8Text } from '../../http/utf8';
import { READ_MODES, type ReadMode } from '../../node/core/types';
import { askFollowingRedirects, clientLinks, keysTable, proxyKv, readAll, type KvMethod, type NodeDirectory } from '../kv-proxy';
import { parseJson } from '../http-client';
import { directoryOf, writeDeadlineMs, type ApiContext } from './context';

/**
 * A write's body is JSON `{ "value": "<text>" }` (the guards let only application/json
 * through), read as bytes and decoded strictly: bytes that are not UTF-8 would otherwise
 * reach the node as replacement characters and be stored mangled. JSON escapes may take six
 * bytes per character, so the body may be that much larger; the value itself past 1 MiB is
 * refused with 413 before it reaches a node.
 */
const BODY_LIMIT = 6 * MAX_VALUE_BYTES + 1024;
const rawBody = withDeclaredLimit(BODY_LIMIT, express.raw({ type: () => true, limit: BODY_LIMIT }));
/** A transaction over its limit is a malformed one like any other: a 400 that says so, before its bytes are read. */
const txnBody: RequestHandler = (req, res, next) => {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_TXN_BYTES) return sendError(res, 400, `the transaction is ${declared} bytes of JSON, over the limit of ${MAX_TXN_BYTES} bytes`);
  rawBody(req, res, next);
};
const WriteBody = z.object({ value: z.string() }).strict() satisfies z.ZodType<KvWriteBody>;

function valueOf(body: unknown): string {
  const text = utf8Text(Buffer.isBuffer(body) ? body : Buffer.alloc(0), 'the body');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the body is not valid JSON: ${(err as Error).message}; expected { "value": "<text>" }`);
  }
  const parsed = WriteBody.safeParse(json);
  if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'expected a JSON body { "value": "<text>" }: '));
  const bytes = Buffer.byteLength(parsed.data.value);
  if (bytes > MAX_VALUE_BYTES) throw new HttpError(413, `the value is ${bytes} bytes, over the limit of ${MAX_VALUE_BYTES} bytes`);
  return parsed.data.value;
}

const KvQuery = z.object({ via: z.string().max(16).optional(), read: z.enum(READ_MODES as [ReadMode, ...ReadMode[]]).optional() });
const KeysQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(10_000))
    .optional(),
});

/** A transaction's answer holds at most one value per key it names. */
const TXN_ANSWER_BYTES = MAX_TXN_KEYS * (MAX_VALUE_BYTES + 4096);

/** Redirects followed before giving up: follower → leader is one; a second covers a leader change mid-request. */
const MAX_HOPS = 3;

/** The key/value playground: reads and writes through any node, and every node's keys side by side. */
export function kvRoutes(router: IRouter, ctx: ApiContext): void {
  const directory = (): NodeDirectory => directoryOf(ctx);

  const kv = (method: KvMethod) => async (req: Request, res: Response) => {
    const key = String(req.params.key);
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new HttpError(414, `the key is longer than ${MAX_KEY_BYTES} bytes`);
    const query = KvQuery.safeParse(req.query);
    if (!query.success) throw new HttpError(400, zodMessage(query.error, 'expected ?via=<node id>|all and ?read=local|leader|linearizable: '));
    const { via, read } = query.data;
    const dir = directory();
    // The dashboard's reads and writes are a client's: the faults on the clients' links apply to them.
    const links = clientLinks(ctx.faults.list());

    if (via === 'all') {
      if (method !== 'GET') throw new HttpError(400, 'via=all reads from every node; a write goes through one node (or the leader)');
      res.json(await readAll(dir, key, { timeoutMs: ctx.kvTimeoutMs(), maxHops: 0, links }));
      return;
    }
    if (via !== undefined && !(isNodeId(via) && dir.nodes().some((n) => n.id === via))) {
      throw new HttpError(404, `no node ${JSON.stringify(via)} to send the request through`);
    }
    const value = method === 'PUT' || method === 'POST' ? valueOf(req.body) : undefined;
    const timeoutMs = method === 'GET' ? ctx.kvTimeoutMs() : writeDeadlineMs(ctx);
    const ifMatch = method === 'GET' ? undefined : req.get('if-match');
    const ifNoneMatch = method === 'GET' ? undefined : req.get('if-none-match');
    const { result, retryAfter } = await proxyKv(dir, { method, key, value, via, read, ifMatch, ifNoneMatch }, { timeoutMs, maxHops: MAX_HOPS, links });
    if (retryAfter !== null) res.set('Retry-After', retryAfter);
    if (result.version !== undefined && result.version > 0) res.set('ETag', `"${result.version}"`);
    res.status(result.status >= 200 && result.status < 600 ? result.status : 502).json(result satisfies KvResult);
  };

  route(router, '/api/kv/:key', {
    get: kv('GET'),
    put: [rawBody, kv('PUT')],
    post: [rawBody, kv('POST')],
    delete: kv('DELETE'),
  });

  // A transaction goes to the leader, as a write does; the node's answer comes back as it gave it.
  route(router, '/api/txn', {
    post: [
      txnBody,
      async (req, res) => {
        const txn = parseTxnBody(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        const asked = await askFollowingRedirects(
          directory(),
          null,
          { method: 'POST', path: '/txn', body: JSON.stringify(txn), headers: { 'content-type': 'application/json' }, maxBodyBytes: TXN_ANSWER_BYTES },
          { timeoutMs: writeDeadlineMs(ctx), maxHops: MAX_HOPS, links: clientLinks(ctx.faults.list()) },
        );
        if ('failure' in asked) {
          const { status, error, servedBy, redirectedFrom } = asked.failure;
          res.status(status).json({ error, servedBy, redirectedFrom });
          return;
        }
        const { answer, servedBy, redirectedFrom } = asked;
        const body = parseJson(answer.body);
        const retryAfter = answer.headers.get('retry-after');
        if (retryAfter !== null) res.set('Retry-After', retryAfter);
        res.status(answer.status).json({ ...(typeof body === 'object' && body !== null ? body : { error: `${servedBy} answered ${answer.status}` }), servedBy, redirectedFrom });
      },
    ],
  });

  route(router, '/api/keys', {
    get: async (req, res) => {
      const query = KeysQuery.safeParse(req.query);
      if (!query.success) throw new HttpError(400, zodMessage(query.error, 'expected ?limit=1..10000: '));
      const limit = query.data.limit ?? 1000;
      res.json(await keysTable(directory(), limit, { timeoutMs: ctx.kvTimeoutMs(), maxBodyBytes: 64 * 1024 * 1024 }));
    },
  });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import {
  MAX_KEY_BYTES,
  MAX_PEER_MESSAGE_BYTES,
  MAX_TXN_BYTES,
  MAX_VALUE_BYTES,
  isNodeId,
  PeerBatch,
  PeerEnvelope,
  type AlgorithmId,
  type ApiError,
  type KvListing,
  type NodeId,
  type NodeStatus,
  type PeerMessage,
} from '@clusterlab/shared';
import { SIGNATURE_HEADER, type RequestSigner } from '../../auth/request-signature';
import type { HostPolicy } from '../../http/guards/host-check';
import { refuseWebPages } from '../../http/guards/no-web-pages';
import { HttpError } from '../../http/json-http';
import { parseTxnBody } from '../../http/txn-body';
import { utf8Text } from '../../http/utf8';
import { READ_MODES, type ClientReply, type ClientRequest, type ReadMode } from '../core/types';
import { conditionalTxn, preconditionFailed, preconditionOf, type Precondition } from './conditional-write';

/**
 * A node's HTTP surface, on plain node:http because it is the hot path of every write:
 *   GET /status · GET /db · GET|PUT|POST|DELETE /db/:key · POST /txn · POST|DELETE /members/:id · POST /peer
 * A value's version (the index that last wrote it) is its ETag; a write with If-Match or
 * If-None-Match applies only if the key is still as the header says (conditional-write.ts).
 * Every error is JSON `{ error }`; nothing a client sends can throw past this file.
 */
export type NodeHttpHandlers = {
  id: NodeId;
  algorithm: AlgorithmId;
  /** What this node's algorithm accepts as a peer message. */
  messages: z.ZodType<PeerMessage>;
  /** Why `from` cannot have sent `msg` at all (Protocol.impossibleSender). */
  impossibleSender: (from: NodeId, msg: PeerMessage) => string | null;
  /** Checks that a POST /peer comes from a member of the cluster. */
  signer: RequestSigner;
  /** A POST /peer without the cluster's signature was turned away (say so, rate-limited). */
  unsigned: (remote: string, reason: string) => void;
  /** Whether `id` is a node this one has heard of (it may ask the registry again first). */
  knowsPeer: (id: NodeId) => boolean | Promise<boolean>;
  status: () => NodeStatus;
  list: (limit: number, after: string | undefined) => KvListing;
  /** Submit a client request; `respond` is called once with the core's reply. */
  client: (request: ClientRequest, respond: (reply: ClientReply) => void) => void;
  /** A peer message taken, with the sender's Lamport time for it (0 from a sender that gave none). */
  peer: (id: string, from: NodeId, msg: PeerMessage, lamport: number) => void;
  /**
   * The fault that cuts the link from `from` to this node, if one does. Checked on receipt too,
   * so a one-way cut holds even against a sender that ignores its own rules.
   */
  cutFrom?: (from: NodeId) => string | null;
  /** A peer message that arrived on a cut link and was dropped unread (said as message.lost). */
  dropped?: (id: string, from: NodeId, msg: PeerMessage, reason: string, lamport: number) => void;
  /** A peer message this node will not take, said as an event too (it comes from a confused or foreign node). */
  refused: (id: string, from: string, reason: string) => void;
  /** Which Host names it answers (loopback's, when bound there). */
  hosts: HostPolicy;
  /** Where the leader's copy of a key lives, for redirects. */
  leaderUrl: (leader: NodeId, path: string) => string | null;
  writeTimeoutMs: number;
  log: (line: string) => void;
};

export function createRequestListener(h: NodeHttpHandlers) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(h, req, res).catch((err: unknown) => {
      if (err instanceof HttpError) sendJson(res, err.status, { error: err.message } satisfies ApiError, err.headers);
      else {
        h.log(`internal error on ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
        sendJson(res, 500, { error: `internal error: ${(err as Error).message}` });
      }
    });
  };
}

async function route(h: NodeHttpHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://node');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const refusal = refuseWebPages(req.headers, h.hosts);
  if (refusal) throw new HttpError(refusal.status, refusal.error, refusal.headers);

  if (path === '/peer') {
    allow(method, ['POST']);
    // A request that cannot be signed (no header, a malformed or stale one) is refused before
    // its body is read: eight strangers' 6 MiB bodies at once would otherwise be held in memory.
    const early = h.signer.precheck(req.headers[SIGNATURE_HEADER], Date.now());
    if (!early.ok) {
      h.unsigned(req.socket.remoteAddress ?? 'unknown', early.reason);
      throw new HttpError(401, early.reason, { connection: 'close' });
    }
    const body = await readBody(req, MAX_PEER_MESSAGE_BYTES);
    // Nothing unsigned is even parsed: a stranger's bytes never reach JSON.parse or the core.
    const verdict = h.signer.verify(req.headers[SIGNATURE_HEADER], { method, target: req.url ?? '/', body }, Date.now());
    if (!verdict.ok) {
      h.unsigned(req.socket.remoteAddress ?? 'unknown', verdict.reason);
      throw new HttpError(401, verdict.reason);
    }
    const messages = peerMessages(h, parseJson(body));
    const from = messages[0]!.from;
    const cutter = h.cutFrom?.(from) ?? null;
    if (cutter !== null) {
      // On a cut link the bytes never arrive. The nearest a real socket comes: answer as if
      // taken (holding the request open would only tie up sockets until the sender's timeout,
      // which a sender that keeps its own rules never waits for) and take nothing.
      res.writeHead(204).end();
      for (const { id, msg, lamport } of messages) h.dropped?.(id, from, msg, `${cutter} cut it: ${h.id} dropped it on arrival`, lamport);
      return;
    }
    if (!(await h.knowsPeer(from))) {
      h.refused(messages[0]!.id, from, `${from} is not a node this one knows of (the registry has never listed it)`);
      throw new HttpError(403, `${h.id} does not know a node ${from}: the registry has never listed it`);
    }
    res.writeHead(204).end();
    for (const { id, from, msg, lamport } of messages) h.peer(id, from, msg, lamport);
    return;
  }
  if (path === '/status') {
    allow(method, ['GET', 'HEAD']);
    const status = h.status();
    // `epoch` is the older name of `term`, kept for scripts written against it.
    sendJson(res, 200, { ...status, epoch: status.term });
    return;
  }
  if (path === '/db') {
    allow(method, ['GET', 'HEAD']);
    const limit = Number(url.searchParams.get('limit') ?? 1000);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new HttpError(400, 'limit must be an integer from 1 to 10000');
    const after = url.searchParams.get('after') ?? undefined;
    sendJson(res, 200, h.list(limit, after));
    return;
  }
  if (path.startsWith('/db/')) {
    allow(method, ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
    const key = decodeKey(path.slice('/db/'.length));
    const precondition = method === 'GET' || method === 'HEAD' ? null : preconditionOf(key, header(req, 'if-match'), header(req, 'if-none-match'));
    if (precondition) {
      const write = method === 'DELETE' ? { delete: key } : { put: key, value: utf8Text(await readBody(req, MAX_VALUE_BYTES), 'the value') };
      const request: ClientRequest = { type: 'txn', txn: conditionalTxn(key, precondition, write) };
      h.client(request, (reply) => answerConditional(h, res, key, precondition, path + url.search, reply));
      return;
    }
    const request: ClientRequest =
      method === 'GET' || method === 'HEAD'
        ? { type: 'get', key, read: readMode(url.searchParams.get('read'), h.algorithm) }
        : method === 'DELETE'
          ? { type: 'delete', key }
          : { type: 'put', key, value: utf8Text(await readBody(req, MAX_VALUE_BYTES), 'the value') };
    // A put's answer names the version it made; a deleted key has none.
    h.client(request, (reply) => answer(h, res, key, path + url.search, reply, request.type === 'put'));
    return;
  }
  if (path === '/txn') {
    allow(method, ['POST']);
    const body = await readBody(req, MAX_TXN_BYTES).catch((err: unknown) => {
      // Over the limit is a malformed transaction like any other: a 400 that says so.
      throw err instanceof HttpError && err.status === 413 ? new HttpError(400, `the transaction is over the limit of ${MAX_TXN_BYTES} bytes of JSON`) : err;
    });
    const request: ClientRequest = { type: 'txn', txn: parseTxnBody(body) };
    h.client(request, (reply) => answerTxn(h, res, path, reply));
    return;
  }
  if (path.startsWith('/members/')) {
    allow(method, ['POST', 'DELETE']);
    const id = path.slice('/members/'.length);
    if (!isNodeId(id)) throw new HttpError(400, `a member is a node id like n4, not ${JSON.stringify(id)}`);
    const request: ClientRequest = method === 'POST' ? { type: 'member.add', id } : { type: 'member.remove', id };
    h.client(request, (reply) => answerMembership(h, res, id, path, reply));
    return;
  }
  throw new HttpError(404, `no such endpoint: ${method} ${path}`);
}

/**
 * The messages of a POST /peer body — one PeerEnvelope, or a PeerBatch of several in the order
 * they were sent — all checked before any is taken: a batch is taken whole or refused whole.
 */
function peerMessages(h: NodeHttpHandlers, body: unknown): { id: string; from: NodeId; msg: PeerMessage; lamport: number }[] {
  const { from, to, algorithm, messages: items } = asBatch(body);
  if (to !== h.id) throw new HttpError(421, `this is ${h.id}, not ${to}`);
  const refuse = (id: string, reason: string, status = 400): never => {
    h.refused(id, from, reason);
    throw new HttpError(status, reason);
  };
  if (!isNodeId(from) || from === h.id) refuse(items[0]!.id, `a peer message comes from another node (n1..n99), not from ${JSON.stringify(from)}`);
  if (algorithm !== h.algorithm) refuse(items[0]!.id, `${from} runs ${algorithm} and this node runs ${h.algorithm}: a cluster cannot mix algorithms`);
  return items.map(({ id, msg, lamport }) => {
    const parsed = h.messages.safeParse(msg);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      refuse(id, `not a ${h.algorithm} message: ${issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue?.message}`);
    }
    const impossible = h.impossibleSender(from, parsed.data as PeerMessage);
    if (impossible) refuse(id, impossible, 403);
    return { id, from, msg: parsed.data as PeerMessage, lamport: lamport ?? 0 };
  });
}

/** A single envelope is a batch of one. */
function asBatch(body: unknown): PeerBatch {
  const batch = PeerBatch.safeParse(body);
  if (batch.success) return batch.data;
  const envelope = PeerEnvelope.safeParse(body);
  if (envelope.success) {
    const { id, msg, lamport, ...addressing } = envelope.data;
    return { ...addressing, messages: [{ id, msg, lamport }] };
  }
  const meantBatch = typeof body === 'object' && body !== null && 'messages' in body;
  throw new HttpError(400, `not a peer message: ${(meantBatch ? batch.error : envelope.error).issues[0]?.message}`);
}

/** POST|DELETE /members/:id — a change of the configuration, answered once it is committed. */
function answerMembership(h: NodeHttpHandlers, res: ServerResponse, id: NodeId, path: string, reply: ClientReply): void {
  if (res.writableEnded || res.destroyed) return;
  switch (reply.type) {
    case 'ok':
      sendJson(res, 200, { member: id, index: reply.index, term: reply.term, node: h.id });
      return;
    case 'timeout':
      sendJson(res, 504, { error: `the change was logged at index ${reply.index} but not committed within ${h.writeTimeoutMs} ms; it may still take effect`, index: reply.index });
      return;
    case 'value':
      sendJson(res, 500, { error: 'a membership change was answered with a value' });
      return;
    default:
      answer(h, res, id, path, reply);
  }
}

/** A conditional write: 200 with its new version when the precondition held, 412 with the key's version when not. */
function answerConditional(h: NodeHttpHandlers, res: ServerResponse, key: string, p: Precondition, path: string, reply: ClientReply): void {
  if (reply.type !== 'ok') return answer(h, res, key, path, reply);
  if (res.writableEnded || res.destroyed) return;
  if (!reply.txn) return sendJson(res, 500, { error: `the write was acknowledged at index ${reply.index} without whether its precondition held` });
  if (!reply.txn.succeeded) {
    const failed = preconditionFailed(key, p, reply.txn, h.id);
    sendJson(res, 412, { ...failed, index: reply.index }, failed.version === 0 ? {} : { etag: `"${failed.version}"` });
    return;
  }
  const written = reply.txn.results[0]?.type === 'put';
  sendJson(res, 200, { key, index: reply.index, term: reply.term, epoch: reply.term, node: h.id }, written ? { etag: `"${reply.index}"` } : {});
}

/** POST /txn: which branch ran, and each op's result. */
function answerTxn(h: NodeHttpHandlers, res: ServerResponse, path: string, reply: ClientReply): void {
  if (reply.type !== 'ok') return answer(h, res, 'the transaction', path, reply);
  if (res.writableEnded || res.destroyed) return;
  if (!reply.txn) return sendJson(res, 500, { error: `the transaction was acknowledged at index ${reply.index} without its outcome` });
  sendJson(res, 200, { succeeded: reply.txn.succeeded, index: reply.index, term: reply.term, results: reply.txn.results, node: h.id });
}

/** A client request's reply as HTTP; `madeVersion`: an `ok` is a put's, whose ETag is the version it made. */
function answer(h: NodeHttpHandlers, res: ServerResponse, key: string, path: string, reply: ClientReply, madeVersion = false): void {
  if (res.writableEnded || res.destroyed) return; // the client gave up; the write still went ahead
  switch (reply.type) {
    case 'value':
      if (!reply.value) {
        sendJson(res, 404, { error: `key ${JSON.stringify(key)} not found on ${h.id}` });
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-clusterlab-node': h.id,
        'x-clusterlab-index': String(reply.value.index),
        etag: `"${reply.value.index}"`,
      });
      res.end(reply.value.value);
      return;
    case 'ok':
      sendJson(res, 200, { key, index: reply.index, term: reply.term, epoch: reply.term, node: h.id }, madeVersion ? { etag: `"${reply.index}"` } : {});
      return;
    case 'redirect': {
      const location = h.leaderUrl(reply.leader, path);
      if (!location) {
        sendJson(res, 503, { error: `${h.id} follows ${reply.leader} but does not know its address yet` }, { 'retry-after': '1' });
        return;
      }
      sendJson(res, 307, { error: `${h.id} is not the leader; ${reply.leader} is`, leader: reply.leader }, { location });
      return;
    }
    case 'invalid':
      sendJson(res, 400, { error: reply.reason });
      return;
    case 'unavailable':
      // Whether the write may still happen is what tells a client it may retry without applying it twice.
      sendJson(res, 503, { error: reply.reason, maybeApplied: reply.maybeApplied }, { 'retry-after': '1' });
      return;
    case 'timeout':
      sendJson(res, 504, {
        error: `write logged at index ${reply.index} but not acknowledged within ${h.writeTimeoutMs} ms; it may still be applied`,
        index: reply.index,
      });
      return;
    default: {
      const never: never = reply;
      throw new Error(`unknown reply ${JSON.stringify(never)}`);
    }
  }
}

/** Bully reads its own copy unless asked otherwise; Raft reads linearizably unless asked otherwise. */
function readMode(raw: string | null, algorithm: AlgorithmId): ReadMode {
  if (raw === null || raw === '') return algorithm === 'raft' ? 'linearizable' : 'local';
  if (!(READ_MODES as readonly string[]).includes(raw)) throw new HttpError(400, `read must be one of ${READ_MODES.join(', ')}, not ${JSON.stringify(raw)}`);
  return raw as ReadMode;
}

function decodeKey(raw: string): string {
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'the key is not valid percent-encoding');
  }
  if (key.length === 0) throw new HttpError(400, 'the key is empty: use /db/<key>');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new HttpError(414, `the key is longer than ${MAX_KEY_BYTES} bytes`);
  // A NUL ends a string in most of the tools a learner pipes keys through: it cannot be a key.
  if (key.includes('\u0000')) throw new HttpError(400, 'the key contains a NUL character');
  return key;
}


/** One request header's value (a repeated one, joined as HTTP joins them). */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function allow(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) {
    throw new HttpError(405, `${method} is not allowed here; use ${allowed.join(', ')}`, { allow: allowed.join(', ') });
  }
}

/** Past the limit, this much more of an undeclared (chunked) body is read and dropped before giving up on the sender. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/**
 * The body, up to `limit` bytes. A body declared larger is refused at once; one that only
 * turns out larger (chunked) is read to its end and dropped, so the 413 reaches the client —
 * closing a socket with unread bytes in it would reset the connection instead — unless it
 * goes on far past the limit, when the connection is cut.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => new HttpError(413, `the body is larger than ${limit} bytes`);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit + MAX_DRAIN_BYTES) {
        reject(tooLarge());
        req.destroy();
      } else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `the body is not valid JSON: ${(err as Error).message}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

import type { HistoryOp, NodeId, Txn, TxnOutcome } from '@clusterlab/shared';
import type { ReadMode } from '../../node/core/types';
import { messageFate } from '../../net/link-rules';
import { HttpClientError, parseJson, request } from '../http-client';
import { errorText, type NodeDirectory } from '../kv-proxy';
import type { LinkRules } from '../../net/link-rules';

/**
 * One workload operation, carried to the nodes the way a careful client carries it, and what
 * the client may conclude from what it was told — the simulator's client rules (sim/clients.ts),
 * over real HTTP:
 *
 * - a 307 is followed at once: the follower did not log the write;
 * - a refused connection, a node that is down, or a 503 that says the write was not applied
 *   mean it definitely did not happen: retry at another node after a backoff, a few times,
 *   then the op *failed*;
 * - a 504, a 503 that says the write may still happen, a connection lost mid-request, no
 *   answer in time, or a request or answer lost on a faulty link mean it may or may not have
 *   happened: the op ends *unknown* and is never retried — a retry could apply it twice, at two
 *   moments, which no single op of a history can express;
 * - a 4xx is the client's mistake: failed.
 *
 * A request or answer lost on a faulty link costs the client its whole deadline, as it would a
 * real one: it cannot tell silence from slowness. (Ending it at once would also let a cut-off
 * client spin through thousands of ops a second without ever yielding.)
 */
/** A cas writes `value` only if the key is still at `version` (0: absent), which held `expected`. */
export type OpCall = { kind: HistoryOp['kind']; key: string; value: string | null; expected?: string | null; version?: number };
/** A transaction (POST /txn): carried like a write — it goes through the log. */
export type TxnCall = { kind: 'txn'; txn: Txn };

export type OpResult = {
  outcome: HistoryOp['outcome'];
  /** The node that answered last (or was last tried). */
  node: NodeId | null;
  /** A read's value (null: absent). */
  value?: string | null;
  /** The key's version: what a read found (0: absent), what an applied cas made. */
  version?: number;
  /** What the client was told, for a person hovering the op. */
  reply: string;
  /** A leader a redirect named: the client's home from now on. */
  leader?: NodeId;
  /** Why a fault on the client's link ate the request or its answer ("cut by partition-1"). */
  lostTo?: string;
  /** A transaction's outcome, and the index it was logged at. */
  txn?: TxnOutcome & { index: number };
};

export type ClientLinkRules = (node: NodeId) => { there: LinkRules; back: LinkRules };

export type SendOptions = {
  directory: NodeDirectory;
  /** Where to send first; null: the leader, else any running node. */
  first: NodeId | null;
  /** Retry at the same node (a client that only knows one) rather than another. */
  stickToFirst: boolean;
  read: ReadMode;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  links?: ClientLinkRules;
  draw: () => number;
  /** For the backoff between retries (a test may make it instant). */
  sleep: (ms: number) => Promise<void>;
};

const MAX_ATTEMPTS = 5;
const MAX_REDIRECTS = 3;
const BACKOFF_MS = 50;
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

type Attempt = { done: OpResult } | { retry: string; node: NodeId | null } | { redirect: NodeId; from: NodeId };

export async function sendOp(call: OpCall | TxnCall, o: SendOptions): Promise<OpResult> {
  let target = o.first ?? o.directory.leader() ?? randomRunning(o.directory, null, o.draw);
  let attempts = 0;
  let redirects = 0;
  let leader: NodeId | undefined;
  const refusals: string[] = [];
  for (;;) {
    attempts++;
    const attempt = await once(call, target, o);
    if ('done' in attempt) return leader ? { ...attempt.done, leader } : attempt.done;
    if ('redirect' in attempt) {
      leader = attempt.redirect;
      if (++redirects > MAX_REDIRECTS) {
        return { outcome: 'fail', node: attempt.from, reply: `gave up after ${MAX_REDIRECTS} redirects (last from ${attempt.from} to ${attempt.redirect})`, leader };
      }
      target = attempt.redirect;
      continue;
    }
    refusals.push(attempt.retry);
    if (attempts >= MAX_ATTEMPTS) {
      return { outcome: 'fail', node: attempt.node, reply: `not done after ${attempts} tries: ${refusals.join('; ')}`, ...(leader ? { leader } : {}) };
    }
    await o.sleep(BACKOFF_MS * 2 ** (attempts - 1) * (0.5 + o.draw()));
    target = o.stickToFirst ? target : (o.directory.leader() ?? randomRunning(o.directory, attempt.node, o.draw));
  }
}

async function once(call: OpCall | TxnCall, target: NodeId | null, o: SendOptions): Promise<Attempt> {
  if (target === null) return { retry: 'no node is running', node: null };
  const node = o.directory.nodes().find((n) => n.id === target);
  if (!node) return { retry: `there is no ${target}`, node: null };
  if (node.status !== 'running' || node.url === null) return { retry: `${target} is ${node.status}`, node: target };

  const isRead = call.kind === 'read';
  const timeoutMs = isRead ? o.readTimeoutMs : o.writeTimeoutMs;
  const sentAt = performance.now();
  const links = o.links?.(target);
  if (links) {
    const there = messageFate(links.there, o.draw);
    if (there.lost) {
      await o.sleep(timeoutMs);
      return { done: { outcome: 'unknown', node: target, lostTo: there.reason, reply: `no answer from ${target} within ${timeoutMs} ms: the request was ${there.reason}` } };
    }
    await o.sleep(there.extraMs[0] ?? 0);
  }
  const { path, method, body, headers } = httpOf(call, o.read);
  let answer;
  try {
    answer = await request(`${node.url}${path}`, {
      method,
      body,
      headers,
      timeoutMs,
      maxBodyBytes: MAX_ANSWER_BYTES,
    });
  } catch (err) {
    if (err instanceof HttpClientError && err.code === 'ECONNREFUSED') return { retry: `${target} refused the connection`, node: target };
    const why = err instanceof HttpClientError && err.reason === 'timeout' ? `no answer from ${target} within ${timeoutMs} ms` : `the connection to ${target} was lost (${(err as Error).message})`;
    return { done: { outcome: 'unknown', node: target, reply: why } };
  }
  if (links) {
    const back = messageFate(links.back, o.draw);
    if (back.lost) {
      await o.sleep(timeoutMs - (performance.now() - sentAt));
      return { done: { outcome: 'unknown', node: target, lostTo: back.reason, reply: `no answer from ${target} within ${timeoutMs} ms: it answered ${answer.status}, but the answer was ${back.reason}` } };
    }
    await o.sleep(back.extraMs[0] ?? 0);
  }
  return judgeAnswer(call, target, answer, o);
}

/** The request one call is: a read, a (conditional) write or delete of one key, or a transaction. */
function httpOf(call: OpCall | TxnCall, read: ReadMode): { path: string; method: string; body?: string; headers: Record<string, string> } {
  if (call.kind === 'txn') return { path: '/txn', method: 'POST', body: JSON.stringify(call.txn), headers: { 'content-type': 'application/json' } };
  const path = `/db/${encodeURIComponent(call.key)}${call.kind === 'read' ? `?read=${read}` : ''}`;
  if (call.kind === 'read') return { path, method: 'GET', headers: {} };
  if (call.kind === 'delete') return { path, method: 'DELETE', headers: {} };
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (call.kind === 'cas') {
    if (call.version) headers['if-match'] = `"${call.version}"`;
    else headers['if-none-match'] = '*';
  }
  return { path, method: 'PUT', body: call.value ?? '', headers };
}

function judgeAnswer(call: OpCall | TxnCall, target: NodeId, answer: { status: number; headers: Headers; body: string }, o: SendOptions): Attempt {
  const { status } = answer;
  if (status === 200 && call.kind === 'txn') {
    const t = parseJson(answer.body) as Partial<TxnOutcome & { index: number }> | undefined;
    if (typeof t?.succeeded !== 'boolean' || !Array.isArray(t.results) || typeof t.index !== 'number') return { done: { outcome: 'unknown', node: target, reply: `200 from ${target} without a transaction's outcome` } };
    const txn = { succeeded: t.succeeded, results: t.results, index: t.index };
    return { done: { outcome: 'ok', node: target, txn, reply: `200 from ${target}: ${t.succeeded ? 'the success branch ran' : 'a compare failed, so the failure branch ran'}, at index ${t.index}` } };
  }
  if (status === 200) {
    if (call.kind === 'read') {
      const version = Number(answer.headers.get('x-clusterlab-index'));
      return { done: { outcome: 'ok', node: target, value: answer.body, ...(Number.isInteger(version) && { version }), reply: `200 from ${target}: ${JSON.stringify(clip(answer.body))}` } };
    }
    const index = (parseJson(answer.body) as { index?: unknown } | undefined)?.index;
    const at = typeof index === 'number' ? index : undefined;
    // What the key's version now is: a put's (or cas's) index, or 0 once deleted.
    const version = call.kind === 'delete' ? 0 : at;
    return { done: { outcome: 'ok', node: target, ...(version !== undefined && { version }), reply: `200 from ${target}${at !== undefined ? `, committed at index ${at}` : ''}` } };
  }
  if (status === 404 && call.kind === 'read') return { done: { outcome: 'ok', node: target, value: null, version: 0, reply: `404 from ${target}: the key is absent` } };
  // The key had moved on from the version the client read: nothing was written.
  if (status === 412 && call.kind === 'cas') return { done: { outcome: 'fail', node: target, reply: `412 from ${target}: ${errorText(answer.body, status)}` } };
  if (status === 307) {
    const leader = (parseJson(answer.body) as { leader?: unknown } | undefined)?.leader;
    if (typeof leader === 'string' && o.directory.nodes().some((n) => n.id === leader)) return { redirect: leader, from: target };
    return { done: { outcome: 'fail', node: target, reply: `307 from ${target} to a node this cluster does not have` } };
  }
  const error = errorText(answer.body, status);
  if (status === 503) {
    const maybeApplied = (parseJson(answer.body) as { maybeApplied?: unknown } | undefined)?.maybeApplied === true;
    if (maybeApplied && call.kind !== 'read') return { done: { outcome: 'unknown', node: target, reply: `503 from ${target}: ${error} (it may still happen)` } };
    return { retry: `503 from ${target}: ${error}`, node: target };
  }
  if (status >= 400 && status < 500) return { done: { outcome: 'fail', node: target, reply: `${status} from ${target}: ${error}` } };
  // 504 (logged, not acknowledged in time), 500 and anything else: the write may have happened.
  return { done: { outcome: 'unknown', node: target, reply: `${status} from ${target}: ${error}` } };
}

/** A running node, at random, other than `except` when there is another. */
export function randomRunning(directory: NodeDirectory, except: NodeId | null, draw: () => number): NodeId | null {
  const running = directory.nodes().filter((n) => n.status === 'running' && n.id !== except);
  const pool = running.length > 0 ? running : directory.nodes().filter((n) => n.status === 'running');
  return pool.length === 0 ? null : pool[Math.floor(draw() * pool.length)]!.id;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

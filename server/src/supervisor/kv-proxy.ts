import { z } from 'zod';
import {
  CLIENT_PARTY,
  compareNodeIds,
  KvListing,
  MAX_VALUE_BYTES,
  type KeysTable,
  type KvReadAll,
  type KvResult,
  type NodeId,
  type NodeView,
} from '@clusterlab/shared';
import { linkRules, messageFate, type LinkRules } from '../net/link-rules';
import type { ReadMode } from '../node/core/types';
import { HttpClientError, parseJson, request } from './http-client';

/**
 * The dashboard's key/value requests, carried to a node's /db/:key the way a client would:
 * to the leader unless told which node, following a follower's 307 to the leader, and with
 * a short deadline so a paused node answers "unreachable" instead of hanging the page.
 *
 * The supervisor is the `client` party of the faults in force (`links`): a request on a cut or
 * lossy link to the node is never sent, and one whose answer is cut or lost is sent (the node
 * may well carry it out) and its answer thrown away; both fail 504, naming the fault, at once
 * rather than after the deadline a real client would wait. Delays are waited out on each leg.
 */

export type KvMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** Where the nodes are, as the cluster view says right now. */
export type NodeDirectory = { nodes(): NodeView[]; leader(): NodeId | null };

/** The rules of the links between the clients and a node, both ways (clientLinks makes them from the faults in force). */
export type ClientLinks = (node: NodeId) => { there: LinkRules; back: LinkRules };

export type KvProxyOptions = {
  timeoutMs: number;
  maxHops: number;
  /** The faults in force on the links between the clients and the nodes; left out, every link works. */
  links?: ClientLinks;
  /** Uniform draws in [0, 1) for losses and jitter; Math.random by default. */
  draw?: () => number;
};

/** The links of the `client` party, as the faults in force make them. */
export function clientLinks(active: Parameters<typeof linkRules>[0]): ClientLinks {
  return (node) => ({ there: linkRules(active, CLIENT_PARTY, node), back: linkRules(active, node, CLIENT_PARTY) });
}

export type KvAnswer = { result: KvResult; retryAfter: string | null };

/** A GET answer holds one value; anything much larger is not a node talking. */
const MAX_VALUE_ANSWER_BYTES = MAX_VALUE_BYTES + 64 * 1024;

export async function proxyKv(
  dir: NodeDirectory,
  call: { method: KvMethod; key: string; value?: string; via?: NodeId; read?: ReadMode; ifMatch?: string; ifNoneMatch?: string },
  options: KvProxyOptions,
): Promise<KvAnswer> {
  const { method, key, value } = call;
  const hasBody = method === 'PUT' || method === 'POST';
  const query = method === 'GET' && call.read ? `?read=${call.read}` : '';
  // A conditional write's headers go through as they came: the node judges them.
  const headers: Record<string, string> = hasBody ? { 'content-type': 'text/plain; charset=utf-8' } : {};
  if (call.ifMatch !== undefined) headers['if-match'] = call.ifMatch;
  if (call.ifNoneMatch !== undefined) headers['if-none-match'] = call.ifNoneMatch;
  const asked = await askFollowingRedirects(
    dir,
    call.via ?? null,
    {
      method,
      path: `/db/${encodeURIComponent(key)}${query}`,
      body: hasBody ? (value ?? '') : undefined,
      headers,
      maxBodyBytes: MAX_VALUE_ANSWER_BYTES,
    },
    options,
  );
  if ('failure' in asked) return { result: { key, ...asked.failure }, retryAfter: null };
  const { answer, servedBy, redirectedFrom } = asked;
  return { result: resultOf(key, method, servedBy, redirectedFrom, answer), retryAfter: answer.headers.get('retry-after') };
}

export type Asked =
  | { answer: { status: number; headers: Headers; body: string }; servedBy: NodeId; redirectedFrom: NodeId | null }
  | { failure: { status: number; error: string; servedBy: NodeId | null; redirectedFrom: NodeId | null } };

/**
 * One request to a node — `via`, else the leader, else any running node — following its 307s
 * to the leader the way a client would, but only ever to a node of this cluster.
 */
export async function askFollowingRedirects(
  dir: NodeDirectory,
  via: NodeId | null,
  req: { method: string; path: string; body?: string; headers?: Record<string, string>; maxBodyBytes: number },
  options: KvProxyOptions,
): Promise<Asked> {
  const nodes = dir.nodes();
  // With no leader known, any running node will say so itself (503), or redirect if it knows better.
  const first = via ?? dir.leader() ?? nodes.find((n) => n.status === 'running')?.id ?? null;
  const fail = (status: number, error: string, servedBy: NodeId | null, redirectedFrom: NodeId | null = null): Asked => ({
    failure: { status, error, servedBy, redirectedFrom },
  });
  if (first === null) return fail(503, 'no node is running, so there is nobody to ask', null);

  let target = nodes.find((n) => n.id === first);
  let redirectedFrom: NodeId | null = null;
  for (let hop = 0; ; hop += 1) {
    if (!target) return fail(404, `no node ${JSON.stringify(first)}`, null);
    if (target.status !== 'running' || target.url === null) {
      return fail(502, `${target.id} is ${target.status === 'running' ? 'not listening yet' : target.status}, so it cannot answer`, target.id, redirectedFrom);
    }
    const links = options.links?.(target.id);
    const draw = options.draw ?? Math.random;
    if (links) {
      const there = messageFate(links.there, draw);
      if (there.lost) return fail(504, `the request to ${target.id} was ${there.reason}, so ${target.id} never received it`, target.id, redirectedFrom);
      await sleep(there.extraMs[0] ?? 0);
    }
    let answer;
    try {
      answer = await request(`${target.url}${req.path}`, {
        method: req.method,
        body: req.body,
        headers: req.headers,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: req.maxBodyBytes,
      });
    } catch (err) {
      return fail(502, unreachable(target.id, err), target.id, redirectedFrom);
    }
    if (links) {
      const back = messageFate(links.back, draw);
      if (back.lost) {
        return fail(504, `the answer from ${target.id} was ${back.reason}: ${target.id} may have done what was asked`, target.id, redirectedFrom);
      }
      await sleep(back.extraMs[0] ?? 0);
    }

    if (answer.status >= 300 && answer.status < 400) {
      const location = answer.headers.get('location');
      if (!location) return fail(502, `${target.id} answered ${answer.status} without a Location`, target.id, redirectedFrom);
      if (hop >= options.maxHops) {
        return fail(502, `gave up after ${options.maxHops} redirects (last from ${target.id} to ${location})`, target.id, redirectedFrom);
      }
      const next = nodeAt(nodes, location, target.url);
      // Only ever follow to a node of this cluster: a redirect is not a licence to fetch anything.
      if (!next) return fail(502, `${target.id} redirected to ${location}, which is not a node of this cluster`, target.id, redirectedFrom);
      redirectedFrom ??= target.id;
      target = next;
      continue;
    }
    return { answer, servedBy: target.id, redirectedFrom };
  }
}

const WriteAnswer = z.object({ index: z.number().int().nonnegative() });
const PreconditionFailed = z.object({ index: z.number().int().nonnegative(), version: z.number().int().nonnegative() });

/** The version an ETag names (`"42"`), or undefined. */
function versionOf(headers: Headers): number | undefined {
  const m = /^"(\d{1,15})"$/.exec(headers.get('etag') ?? '');
  return m ? Number(m[1]) : undefined;
}

function resultOf(
  key: string,
  method: KvMethod,
  servedBy: NodeId,
  redirectedFrom: NodeId | null,
  answer: { status: number; headers: Headers; body: string },
): KvResult {
  const result: KvResult = { key, servedBy, redirectedFrom, status: answer.status };
  if (answer.status >= 200 && answer.status < 300) {
    if (method === 'GET') {
      result.value = answer.body;
      const index = Number(answer.headers.get('x-clusterlab-index'));
      if (Number.isInteger(index) && index >= 0) result.index = index;
    } else {
      const parsed = WriteAnswer.safeParse(parseJson(answer.body));
      if (parsed.success) result.index = parsed.data.index;
    }
    const version = versionOf(answer.headers);
    if (version !== undefined) result.version = version;
    return result;
  }
  if (answer.status === 412) {
    const parsed = PreconditionFailed.safeParse(parseJson(answer.body));
    if (parsed.success) Object.assign(result, { index: parsed.data.index, version: parsed.data.version });
  }
  if (method === 'GET' && answer.status === 404) result.value = null;
  result.error = errorText(answer.body, answer.status);
  return result;
}

/** One read per running node, side by side; no redirects (a read is served where it is asked). */
export async function readAll(dir: NodeDirectory, key: string, options: KvProxyOptions): Promise<KvReadAll> {
  const running = dir.nodes().filter((n) => n.status === 'running');
  const reads = await Promise.all(
    // Each node's own copy, whatever the algorithm's default: the point is to see them side by side.
    running.map(async (n) => (await proxyKv(dir, { method: 'GET', key, via: n.id, read: 'local' }, { ...options, maxHops: 0 })).result),
  );
  return { key, reads };
}

/** Every key each running node holds, merged into one table; a node that cannot answer is marked unreachable. */
export async function keysTable(dir: NodeDirectory, limit: number, options: { timeoutMs: number; maxBodyBytes: number }): Promise<KeysTable> {
  const running = dir.nodes().filter((n) => n.status === 'running' && n.url !== null);
  const listings = await Promise.all(
    running.map(async (n) => {
      try {
        const answer = await request(`${n.url}/db?limit=${limit}`, options);
        const parsed = answer.status === 200 ? KvListing.safeParse(parseJson(answer.body)) : null;
        return parsed?.success ? { id: n.id, listing: parsed.data } : { id: n.id, listing: null };
      } catch {
        return { id: n.id, listing: null };
      }
    }),
  );

  const keys = new Map<string, KeysTable['keys'][number]['values']>();
  let truncated = false;
  for (const { id, listing } of listings) {
    if (!listing) continue;
    truncated ||= listing.truncated;
    for (const [key, stored] of listing.entries) {
      let values = keys.get(key);
      if (!values) keys.set(key, (values = {}));
      values[id] = stored;
    }
  }
  const reachable = listings
    .filter((l) => l.listing !== null)
    .map((l) => l.id)
    .sort(compareNodeIds);
  const sorted = [...keys.keys()].sort();
  if (sorted.length > limit) truncated = true;
  return {
    nodes: listings
      .map(({ id, listing }) => ({ id, appliedIndex: listing?.appliedIndex ?? 0, reachable: listing !== null }))
      .sort((a, b) => compareNodeIds(a.id, b.id)),
    // A node that answered but lacks the key shows null: that gap is the lesson.
    keys: sorted.slice(0, limit).map((key) => {
      const held = keys.get(key) ?? {};
      const values: KeysTable['keys'][number]['values'] = {};
      for (const id of reachable) values[id] = held[id] ?? null;
      return { key, values };
    }),
    truncated,
  };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function nodeAt(nodes: NodeView[], location: string, base: string): NodeView | undefined {
  let origin: string;
  try {
    origin = new URL(location, base).origin;
  } catch {
    return undefined;
  }
  return nodes.find((n) => n.url !== null && new URL(n.url).origin === origin);
}

function unreachable(id: NodeId, err: unknown): string {
  if (err instanceof HttpClientError) {
    if (err.reason === 'timeout') return `${id} did not answer in time (${err.message}); is it paused or overloaded?`;
    if (err.reason === 'too-large') return `${id} sent too large an answer: ${err.message}`;
    return `could not reach ${id}: ${err.message}`;
  }
  return `could not reach ${id}: ${(err as Error).message}`;
}

/** What a node's error answer says: its `error`, else its text, else the status. */
export function errorText(body: string, status: number): string {
  const json = parseJson(body) as { error?: unknown } | undefined;
  if (json && typeof json.error === 'string') return json.error;
  const text = body.trim();
  if (text) return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return `HTTP ${status}`;
}

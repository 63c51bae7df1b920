import { DEFAULT_SETTINGS, MAX_KEY_BYTES, MAX_MESSAGES_PER_BATCH, MAX_PEER_MESSAGE_BYTES, MAX_VALUE_BYTES } from '@clusterlab/shared';
import { closePayload, frame, requestBytes, WS_KEY, type RequestParts } from './raw-client';

/**
 * Malformed requests, by the surface they are sent to, each with a short name. Every one of
 * them must be answered with a JSON `{ error }` and a 4xx (for /ws: a 4xx on the upgrade, or
 * a close with a 1xxx/4xxx code) and leave every process running. A request that is accepted
 * by design is not malformed and does not belong here — and nothing here may be accepted, or
 * it would change the cluster under the cases that follow (a settings change restarts it).
 *
 * Authentication (being added): once it lands, the registry and a node's /peer answer 401 to
 * an unsigned request, and the supervisor answers state-changing requests without
 * `Content-Type: application/json` with 415. Every case still expects just "a JSON 4xx", so
 * they keep passing; `gate` marks the ones that will then be refused at that door and only
 * reach the check their name describes when the request is authenticated. Supervisor
 * requests here send `Content-Type: application/json` wherever the case is not about the
 * content type, so they keep reaching the check they are about.
 */

export type Surface = 'supervisor' | 'node' | 'registry' | 'ws';

/** Where a case's bytes go, and what they may refer to. */
export type CaseContext = {
  /** host:port of the process the case is sent to, for the Host header. */
  host: string;
  /** The node a node case is sent to, and another node of the same cluster. */
  nodeId: string;
  otherNodeId: string;
};

/**
 * `hmac`: refused 401 without a signature, once signing lands (registry, node /peer).
 * `content-type`: refused 415 without `Content-Type: application/json` (supervisor writes).
 */
export type Gate = 'hmac' | 'content-type';

export type HttpCase = {
  surface: 'supervisor' | 'node' | 'registry';
  name: string;
  request: (ctx: CaseContext) => Buffer;
  gate?: Gate;
};

export type WsCase = {
  surface: 'ws';
  name: string;
  handshake: (ctx: CaseContext) => Buffer;
  /** Sent once upgraded; a case without frames must be refused at the upgrade. */
  frames: Buffer[];
};

export type MalformedCase = HttpCase | WsCase;

// ── Building blocks ───────────────────────────────────────────────────────────────────────

type Build = (ctx: CaseContext) => Buffer;
const JSON_TYPE = { 'Content-Type': 'application/json' };

const req =
  (method: string, path: string, parts: Omit<RequestParts, 'method' | 'path'> = {}): Build =>
  (ctx) =>
    requestBytes(ctx.host, { method, path, ...parts });
/** A body sent as JSON, whatever it holds. */
const jsonText = (method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Build =>
  req(method, path, { headers: { ...JSON_TYPE, ...headers }, body });
const json = (method: string, path: string, value: unknown): Build => jsonText(method, path, JSON.stringify(value));
/** Bytes exactly as given, Host and all up to the caller. */
const raw =
  (text: string | ((ctx: CaseContext) => string)): Build =>
  (ctx) =>
    Buffer.from(typeof text === 'string' ? text : text(ctx), 'latin1');

const deepArrays = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepObjects = (levels: number, key = 'a'): string => `${`{"${key}":`.repeat(levels)}0${'}'.repeat(levels)}`;
const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe]);
const withInvalidUtf8 = (before: string, after: string): Buffer => Buffer.concat([Buffer.from(before), INVALID_UTF8, Buffer.from(after)]);
const BOM = '\uFEFF';
const enc = encodeURIComponent;

/**
 * The same malformations of HTTP itself, for each server: what Node's parser refuses, what
 * it answers on its own, and framing that lies. `path` is a route that exists there.
 */
function protocolCases(path: string, postPath: string, gate?: Gate): SurfacelessCase[] {
  return [
    { name: 'a request line that is not HTTP', request: raw('GARBAGE\r\n\r\n') },
    { name: 'an unknown method', request: raw((c) => `FROBNICATE ${path} HTTP/1.1\r\nHost: ${c.host}\r\n\r\n`) },
    { name: 'a header line without a colon', request: raw((c) => `GET ${path} HTTP/1.1\r\nHost: ${c.host}\r\nthis is not a header\r\n\r\n`) },
    { name: 'a space inside a header name', request: raw((c) => `GET ${path} HTTP/1.1\r\nHost: ${c.host}\r\nX Bad: 1\r\n\r\n`) },
    { name: 'a NUL in the URL', request: raw((c) => `GET ${path}\u0000 HTTP/1.1\r\nHost: ${c.host}\r\n\r\n`) },
    { name: 'an unsupported HTTP version', request: req('GET', path, { version: 'HTTP/9.9' }) },
    { name: 'no Host header', request: req('GET', path, { noHost: true }) },
    { name: 'headers past the size limit', request: req('GET', path, { headers: { 'X-Pad': 'p'.repeat(32 * 1024) } }) },
    { name: 'a URL past the size limit', request: req('GET', `${path}?pad=${'u'.repeat(20 * 1024)}`) },
    { name: 'an Expect the server cannot meet', request: req('GET', path, { headers: { Expect: '200-ok' } }) },
    { name: 'a request target that is not a URL', request: raw((c) => `GET http://[oops${path} HTTP/1.1\r\nHost: ${c.host}\r\n\r\n`) },
    { name: 'a CONNECT request', request: raw((c) => `CONNECT ${c.host} HTTP/1.1\r\nHost: ${c.host}\r\n\r\n`) },
    { name: 'a Content-Length that is not a number', request: req('POST', postPath, { headers: { ...JSON_TYPE, 'Content-Length': 'abc' }, body: '{}', contentLength: null }), gate },
    { name: 'two different Content-Lengths', request: req('POST', postPath, { headers: { ...JSON_TYPE, 'Content-Length': ['2', '3'] }, body: '{}', contentLength: null }), gate },
    { name: 'Content-Length and chunked together', request: req('POST', postPath, { headers: { ...JSON_TYPE, 'Content-Length': '5' }, chunks: [Buffer.from('{}')], contentLength: null }), gate },
    { name: 'a chunk size that is not hex', request: raw((c) => `POST ${postPath} HTTP/1.1\r\nHost: ${c.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`), gate },
    { name: 'a Content-Length shorter than the body', request: req('POST', postPath, { headers: JSON_TYPE, body: '{"id":"n1","port":80}', contentLength: 5 }), gate },
  ];
}

type SurfacelessCase = Omit<HttpCase, 'surface'>;
const withSurface = (surface: HttpCase['surface'], cases: SurfacelessCase[]): HttpCase[] => cases.map((c) => ({ ...c, surface }));

// ── The supervisor's /api ─────────────────────────────────────────────────────────────────

/** Settings the cluster runs with, but for one bad value: anything accepted would restart it. */
const settingsWith = (over: Record<string, unknown>): Build => json('PUT', '/api/settings', { ...DEFAULT_SETTINGS, ...over });
const { heartbeatIntervalMs: _omitted, ...settingsWithoutHeartbeat } = DEFAULT_SETTINGS;
/** A POST that changes something, sent as the API will soon require: JSON, same origin. */
const action = (path: string): Build => jsonText('POST', path, '{}');

const supervisorCases: HttpCase[] = withSurface('supervisor', [
  // Routes and methods.
  { name: 'an unknown endpoint', request: req('GET', '/api/nope') },
  { name: 'the bare /api prefix', request: req('GET', '/api') },
  { name: 'DELETE on the cluster', request: req('DELETE', '/api/cluster') },
  { name: 'PUT on the node list', request: jsonText('PUT', '/api/nodes', '{}') },
  { name: 'GET on a node action', request: req('GET', '/api/nodes/n1/kill') },
  { name: 'PATCH on a key', request: jsonText('PATCH', '/api/kv/fuzz', 'v') },
  { name: 'POST on settings', request: json('POST', '/api/settings', {}) },
  { name: 'GET on reset', request: req('GET', '/api/cluster/reset') },
  { name: 'DELETE on the registry', request: req('DELETE', '/api/registry') },
  { name: 'an unknown node action', request: action('/api/nodes/n1/explode') },
  { name: 'an unknown registry action', request: action('/api/registry/explode') },
  // Node ids out of pattern, or of no node.
  { name: 'kill n0', request: action('/api/nodes/n0/kill') },
  { name: 'pause n100', request: action('/api/nodes/n100/pause') },
  { name: 'restart N1 (upper case)', request: action('/api/nodes/N1/restart') },
  { name: 'stop n1 with a NUL', request: action('/api/nodes/n1%00/stop') },
  { name: 'kill a full-width ｎ1', request: action(`/api/nodes/${enc('ｎ1')}/kill`) },
  { name: 'kill n9, not in the cluster', request: action('/api/nodes/n9/kill') },
  { name: 'resume a node that is not paused', request: action('/api/nodes/n1/resume') },
  { name: 'resume a registry that is not paused', request: action('/api/registry/resume') },
  { name: 'remove n42, not in the cluster', request: jsonText('DELETE', '/api/nodes/n42', '{}') },
  { name: 'GET n0', request: req('GET', '/api/nodes/n0') },
  { name: 'an id that climbs out of the path', request: action('/api/nodes/..%2F..%2Fetc/pause') },
  { name: 'an id with bad percent-encoding', request: action('/api/nodes/%zz/kill') },
  // POST /api/cluster/reset.
  { name: 'reset with nodes=-1', request: json('POST', '/api/cluster/reset', { nodes: -1 }) },
  { name: 'reset with nodes=1000', request: json('POST', '/api/cluster/reset', { nodes: 1000 }) },
  { name: 'reset with nodes="3"', request: json('POST', '/api/cluster/reset', { nodes: '3' }) },
  { name: 'reset with nodes=3.5', request: json('POST', '/api/cluster/reset', { nodes: 3.5 }) },
  { name: 'reset with nodes=null', request: json('POST', '/api/cluster/reset', { nodes: null }) },
  { name: 'reset with nodes=0', request: json('POST', '/api/cluster/reset', { nodes: 0 }) },
  { name: 'reset with an extra field', request: json('POST', '/api/cluster/reset', { nodes: 3, force: true }) },
  { name: 'reset with truncated JSON', request: jsonText('POST', '/api/cluster/reset', '{"nodes":') },
  { name: 'reset with trailing garbage', request: jsonText('POST', '/api/cluster/reset', '{"nodes":3}x') },
  { name: 'reset with NaN', request: jsonText('POST', '/api/cluster/reset', '{"nodes":NaN}') },
  { name: 'reset with arrays nested 10k deep', request: jsonText('POST', '/api/cluster/reset', deepArrays(10_000)) },
  { name: 'reset with objects nested 10k deep', request: jsonText('POST', '/api/cluster/reset', deepObjects(10_000)) },
  // 8k levels is as deep as 16 KiB holds: past the size limit, these reach the JSON parser.
  { name: 'reset with arrays nested 8k deep', request: jsonText('POST', '/api/cluster/reset', deepArrays(8000)) },
  { name: 'settings with a heartbeat nested 8k deep', request: jsonText('PUT', '/api/settings', JSON.stringify({ ...DEFAULT_SETTINGS, heartbeatIntervalMs: '@' }).replace('"@"', deepArrays(8000))) },
  { name: 'reset with nodes=1e400', request: jsonText('POST', '/api/cluster/reset', '{"nodes":1e400}') },
  { name: 'reset with a BOM before nodes=0', request: jsonText('POST', '/api/cluster/reset', `${BOM}{"nodes":0}`) },
  { name: 'reset with nodes given twice', request: jsonText('POST', '/api/cluster/reset', '{"nodes":3,"nodes":"3"}') },
  { name: 'reset with a __proto__ key', request: jsonText('POST', '/api/cluster/reset', '{"__proto__":{"nodes":3}}') },
  { name: 'reset with an array body', request: jsonText('POST', '/api/cluster/reset', '[3]') },
  { name: 'reset with a string body', request: jsonText('POST', '/api/cluster/reset', '"3"') },
  { name: 'reset with invalid UTF-8', request: jsonText('POST', '/api/cluster/reset', withInvalidUtf8('{"nodes":"', '"}')) },
  { name: 'reset with a body past 16 KiB', request: json('POST', '/api/cluster/reset', { nodes: 3, pad: 'x'.repeat(20 * 1024) }) },
  { name: 'reset declaring a 16 MiB body it does not send', request: req('POST', '/api/cluster/reset', { headers: JSON_TYPE, contentLength: 16 * 1024 * 1024 }) },
  { name: 'reset with a chunked body past 16 KiB', request: req('POST', '/api/cluster/reset', { headers: JSON_TYPE, chunks: [Buffer.from(`{"pad":"${'x'.repeat(40 * 1024)}"}`)] }) },
  { name: 'reset with an unknown charset', request: jsonText('POST', '/api/cluster/reset', '{"nodes":3}', { 'Content-Type': 'application/json; charset=utf-9' }) },
  { name: 'reset with an unknown content encoding', request: jsonText('POST', '/api/cluster/reset', '{"nodes":3}', { 'Content-Encoding': 'compress' }) },
  { name: 'reset with gzip that is not gzip', request: jsonText('POST', '/api/cluster/reset', 'not gzip at all', { 'Content-Encoding': 'gzip' }) },
  { name: 'reset with a plain-text body', request: req('POST', '/api/cluster/reset', { headers: { 'Content-Type': 'text/plain' }, body: 'please' }), gate: 'content-type' },
  // PUT /api/settings: the current settings but for one thing.
  { name: 'settings with heartbeatIntervalMs=1', request: settingsWith({ heartbeatIntervalMs: 1 }) },
  { name: 'settings with a negative heartbeat', request: settingsWith({ heartbeatIntervalMs: -50 }) },
  { name: 'settings with the heartbeat as text', request: settingsWith({ heartbeatIntervalMs: '50' }) },
  { name: 'settings with a fractional heartbeat', request: settingsWith({ heartbeatIntervalMs: 50.5 }) },
  { name: 'settings with a heartbeat of 1e9', request: settingsWith({ heartbeatIntervalMs: 1e9 }) },
  { name: 'settings with election min above max', request: settingsWith({ electionTimeoutMinMs: 900, electionTimeoutMaxMs: 800 }) },
  { name: 'settings with an election shorter than two heartbeats', request: settingsWith({ heartbeatIntervalMs: 200, electionTimeoutMinMs: 300 }) },
  { name: 'settings with an unknown write-ack mode', request: settingsWith({ writeAck: 'some' }) },
  { name: 'settings with an unknown algorithm', request: settingsWith({ algorithm: 'paxos' }) },
  { name: 'settings with an unknown fsync mode', request: settingsWith({ fsync: 'sometimes' }) },
  { name: 'settings with registryTtlMs=10', request: settingsWith({ registryTtlMs: 10 }) },
  { name: 'settings with writeTimeoutMs=10', request: settingsWith({ writeTimeoutMs: 10 }) },
  { name: 'settings with a heartbeat of null', request: settingsWith({ heartbeatIntervalMs: null }) },
  { name: 'settings that are empty', request: json('PUT', '/api/settings', {}) },
  { name: 'settings without heartbeatIntervalMs', request: json('PUT', '/api/settings', settingsWithoutHeartbeat) },
  { name: 'settings that are an array', request: json('PUT', '/api/settings', [DEFAULT_SETTINGS]) },
  { name: 'settings that are null', request: jsonText('PUT', '/api/settings', 'null') },
  { name: 'settings past 16 KiB', request: json('PUT', '/api/settings', { ...DEFAULT_SETTINGS, pad: 'x'.repeat(100_000) }) },
  { name: 'settings with truncated JSON', request: jsonText('PUT', '/api/settings', JSON.stringify(DEFAULT_SETTINGS).slice(0, -1)) },
  { name: 'settings hidden under __proto__', request: jsonText('PUT', '/api/settings', `{"__proto__":${JSON.stringify(DEFAULT_SETTINGS)}}`) },
  // GET /api/events and /api/keys.
  { name: 'events since=-1', request: req('GET', '/api/events?since=-1') },
  { name: 'events since=abc', request: req('GET', '/api/events?since=abc') },
  { name: 'events since=1e9', request: req('GET', '/api/events?since=1e9') },
  { name: 'events since given twice', request: req('GET', '/api/events?since=1&since=2') },
  { name: 'events limit=0', request: req('GET', '/api/events?limit=0') },
  { name: 'events limit=9999999', request: req('GET', '/api/events?limit=9999999') },
  { name: 'events limit=1.5', request: req('GET', '/api/events?limit=1.5') },
  { name: 'keys limit=0', request: req('GET', '/api/keys?limit=0') },
  { name: 'keys limit=-1', request: req('GET', '/api/keys?limit=-1') },
  { name: 'keys limit=abc', request: req('GET', '/api/keys?limit=abc') },
  { name: 'keys limit=1e9', request: req('GET', '/api/keys?limit=1e9') },
  // /api/kv/:key.
  { name: 'a read via n99', request: req('GET', '/api/kv/fuzz?via=n99') },
  { name: 'a read via "leader"', request: req('GET', '/api/kv/fuzz?via=leader') },
  { name: 'a read via N1', request: req('GET', '/api/kv/fuzz?via=N1') },
  { name: 'a read via n1 with a NUL', request: req('GET', '/api/kv/fuzz?via=n1%00') },
  { name: 'a read via two nodes', request: req('GET', '/api/kv/fuzz?via=n1&via=n2') },
  { name: 'a read with read=bogus', request: req('GET', '/api/kv/fuzz?read=bogus') },
  { name: 'a read with read given twice', request: req('GET', '/api/kv/fuzz?read=local&read=leader') },
  { name: 'a linearizable read from bully', request: req('GET', '/api/kv/fuzz?read=linearizable') },
  { name: 'a write via all', request: jsonText('PUT', '/api/kv/fuzz?via=all', 'v') },
  { name: 'a key past 1 KiB', request: req('GET', `/api/kv/${'k'.repeat(MAX_KEY_BYTES + 1)}`) },
  { name: 'a key of one NUL', request: req('GET', '/api/kv/%00') },
  { name: 'a key with bad percent-encoding', request: req('GET', '/api/kv/%zz') },
  { name: 'a key that is invalid UTF-8 once decoded', request: req('GET', '/api/kv/k%ff') },
  { name: 'a write of a NUL key', request: jsonText('PUT', '/api/kv/%00', 'v') },
  { name: 'a write with an empty key', request: jsonText('PUT', '/api/kv/', 'v') },
  { name: 'a value past 1 MiB', request: jsonText('PUT', '/api/kv/fuzz', Buffer.alloc(MAX_VALUE_BYTES + 1, 'v')) },
  { name: 'a value declared 64 MiB, not sent', request: req('PUT', '/api/kv/fuzz', { headers: JSON_TYPE, contentLength: 64 * 1024 * 1024 }) },
  { name: 'a chunked value past 1 MiB', request: req('PUT', '/api/kv/fuzz', { headers: JSON_TYPE, chunks: [Buffer.alloc(MAX_VALUE_BYTES, 'v'), Buffer.alloc(1024, 'v')] }) },
  { name: 'a value that is not UTF-8', request: req('PUT', '/api/kv/fuzz', { headers: JSON_TYPE, body: INVALID_UTF8 }) },
  ...protocolCases('/api/cluster', '/api/cluster/reset'),
]);

// ── A node: /status, /db, /db/:key, /members/:id, /peer ───────────────────────────────────

/** A peer message this node would take: each /peer case breaks one thing about it. */
type Envelope = { id: string; from: string; to: string; algorithm: string; msg: unknown };
const envelope = (ctx: CaseContext): Envelope => ({ id: 'fuzz-1', from: ctx.otherNodeId, to: ctx.nodeId, algorithm: 'bully', msg: { type: 'hello', epoch: 0 } });
const peerText = (body: (ctx: CaseContext) => string | Buffer): Build => (ctx) =>
  requestBytes(ctx.host, { method: 'POST', path: '/peer', headers: JSON_TYPE, body: body(ctx) });
const peer = (change: (e: Envelope, ctx: CaseContext) => unknown): Build => peerText((ctx) => JSON.stringify(change(envelope(ctx), ctx)));
const peerMsg = (msg: unknown): Build => peer((e) => ({ ...e, msg }));
const batch = (ctx: CaseContext, messages: unknown) => {
  const { id: _id, msg: _msg, ...addressing } = envelope(ctx);
  return { ...addressing, messages };
};
const hello = (i: number) => ({ id: `fuzz-${i}`, msg: { type: 'hello', epoch: 0 } });
const heartbeat = (epoch: unknown) => ({ type: 'heartbeat', epoch, commitIndex: 0 });
/** A number JSON.stringify cannot write. */
const withNumber = (text: string): Build => peerText((ctx) => JSON.stringify({ ...envelope(ctx), msg: heartbeat('@') }).replace('"@"', text));

const nodeCases: HttpCase[] = withSurface('node', [
  // Routes and methods.
  { name: 'POST /status', request: jsonText('POST', '/status', '{}') },
  { name: 'DELETE /status', request: req('DELETE', '/status') },
  { name: 'PUT /db', request: req('PUT', '/db', { body: 'v' }) },
  { name: 'PATCH /db/:key', request: req('PATCH', '/db/fuzz', { body: 'v' }) },
  { name: 'GET /peer', request: req('GET', '/peer') },
  { name: 'PUT /peer', request: jsonText('PUT', '/peer', '{}') },
  { name: 'GET /members/:id', request: req('GET', '/members/n4') },
  { name: 'an unknown endpoint', request: req('GET', '/nope') },
  { name: 'the root path', request: req('GET', '/') },
  { name: 'a path below /status', request: req('GET', '/status/extra') },
  { name: 'a path that only starts like /db', request: req('GET', '/dbx') },
  // Keys.
  { name: 'an empty key', request: req('GET', '/db/') },
  { name: 'a key with bad percent-encoding', request: req('GET', '/db/%zz') },
  { name: 'a key of one NUL', request: req('GET', '/db/%00') },
  { name: 'a key that is invalid UTF-8 once decoded', request: req('GET', '/db/k%ff') },
  { name: 'a key past 1 KiB', request: req('GET', `/db/${'k'.repeat(MAX_KEY_BYTES + 1)}`) },
  { name: 'a multi-byte key past 1 KiB', request: req('GET', `/db/${enc('é'.repeat(MAX_KEY_BYTES / 2 + 1))}`) },
  { name: 'a write with an empty key', request: req('PUT', '/db/', { body: 'v' }) },
  { name: 'a write of a key past 1 KiB', request: req('PUT', `/db/${'k'.repeat(MAX_KEY_BYTES + 1)}`, { body: 'v' }) },
  { name: 'a delete of a NUL key', request: req('DELETE', '/db/a%00b') },
  // Queries.
  { name: 'list limit=-1', request: req('GET', '/db?limit=-1') },
  { name: 'list limit=abc', request: req('GET', '/db?limit=abc') },
  { name: 'list limit=1e9', request: req('GET', '/db?limit=1e9') },
  { name: 'list limit=0', request: req('GET', '/db?limit=0') },
  { name: 'list limit=1.5', request: req('GET', '/db?limit=1.5') },
  { name: 'list limit empty', request: req('GET', '/db?limit=') },
  { name: 'a read with read=bogus', request: req('GET', '/db/fuzz?read=bogus') },
  { name: 'a linearizable read from bully', request: req('GET', '/db/fuzz?read=linearizable') },
  // Values.
  { name: 'a value past 1 MiB', request: req('PUT', '/db/fuzz', { body: Buffer.alloc(MAX_VALUE_BYTES + 1, 'v') }) },
  { name: 'a value declared 64 MiB, not sent', request: req('PUT', '/db/fuzz', { contentLength: 64 * 1024 * 1024 }) },
  { name: 'a chunked value past 1 MiB', request: req('PUT', '/db/fuzz', { chunks: [Buffer.alloc(MAX_VALUE_BYTES, 'v'), Buffer.alloc(1024, 'v')] }) },
  { name: 'a value that is not UTF-8', request: req('PUT', '/db/fuzz', { body: INVALID_UTF8 }) },
  { name: 'a POSTed value that is not UTF-8', request: req('POST', '/db/fuzz', { body: withInvalidUtf8('ok ', ' ok') }) },
  // Members.
  { name: 'member n0', request: req('POST', '/members/n0') },
  { name: 'member n100', request: req('POST', '/members/n100') },
  { name: 'member N1', request: req('POST', '/members/N1') },
  { name: 'member n1 with a NUL', request: req('DELETE', '/members/n1%00') },
  { name: 'member with an empty id', request: req('POST', '/members/') },
  { name: 'member with a full-width id', request: req('POST', `/members/${enc('ｎ4')}`) },
  { name: 'member with a path below the id', request: req('POST', '/members/n4/extra') },
  // POST /peer: the body. (Once peers sign their messages, all of these are refused 401 unsigned;
  // they reach the checks they are named for only when signed.)
  ...(
    [
      { name: 'peer: an empty body', request: peerText(() => '') },
      { name: 'peer: truncated JSON', request: peerText((c) => JSON.stringify(envelope(c)).slice(0, -3)) },
      { name: 'peer: trailing garbage', request: peerText((c) => `${JSON.stringify(envelope(c))}}`) },
      { name: 'peer: NaN', request: peerText((c) => JSON.stringify(envelope(c)).replace('"epoch":0', '"epoch":NaN')) },
      { name: 'peer: a BOM before the JSON', request: peerText((c) => `${BOM}${JSON.stringify({ ...envelope(c), to: 'n99' })}`) },
      { name: 'peer: a msg nested 10k deep', request: peerText((c) => JSON.stringify(envelope(c)).replace('{"type":"hello","epoch":0}', deepArrays(10_000))) },
      { name: 'peer: an envelope nested 10k deep', request: peerText(() => deepObjects(10_000, 'msg')) },
      { name: 'peer: invalid UTF-8 in from', request: peerText((c) => withInvalidUtf8(`${JSON.stringify({ ...envelope(c), from: undefined }).slice(0, -1)},"from":"n`, '"}')) },
      { name: 'peer: the body is an array', request: peer((e) => [e]) },
      { name: 'peer: the body is null', request: peerText(() => 'null') },
      { name: 'peer: the body is a number', request: peerText(() => '42') },
      // The addressing.
      { name: 'peer: to another node', request: peer((e, c) => ({ ...e, to: c.otherNodeId })) },
      { name: 'peer: to no node', request: peer(({ to: _to, ...e }) => e) },
      { name: 'peer: to given twice, the last wrong', request: peerText((c) => `${JSON.stringify(envelope(c)).slice(0, -1)},"to":"n98"}`) },
      { name: 'peer: from this node itself', request: peer((e, c) => ({ ...e, from: c.nodeId })) },
      { name: 'peer: from the registry', request: peer((e) => ({ ...e, from: 'registry' })) },
      { name: 'peer: from n0', request: peer((e) => ({ ...e, from: 'n0' })) },
      { name: 'peer: from a number', request: peer((e) => ({ ...e, from: 2 })) },
      { name: 'peer: from a 65-char id', request: peer((e) => ({ ...e, from: `n${'1'.repeat(64)}` })) },
      { name: 'peer: an id past 128 chars', request: peer((e) => ({ ...e, id: 'i'.repeat(129) })) },
      { name: 'peer: an unknown algorithm', request: peer((e) => ({ ...e, algorithm: 'paxos' })) },
      { name: 'peer: the other algorithm', request: peer((e) => ({ ...e, algorithm: 'raft', msg: { type: 'request_vote', term: 1, pre: true, lastLogIndex: 0, lastLogTerm: 0 } })) },
      // The message.
      { name: 'peer: no msg', request: peer(({ msg: _msg, ...e }) => e) },
      { name: 'peer: msg null', request: peerMsg(null) },
      { name: 'peer: msg a string', request: peerMsg('hello') },
      { name: 'peer: msg without a type', request: peerMsg({ epoch: 0 }) },
      { name: 'peer: an unknown message type', request: peerMsg({ type: 'takeover', epoch: 0 }) },
      { name: 'peer: a type hidden under __proto__', request: peerText((c) => JSON.stringify(envelope(c)).replace('{"type":"hello","epoch":0}', '{"__proto__":{"type":"hello","epoch":0}}')) },
      { name: 'peer: an epoch as text', request: peerMsg(heartbeat('5')) },
      { name: 'peer: a negative epoch', request: peerMsg(heartbeat(-1)) },
      { name: 'peer: a fractional epoch', request: peerMsg(heartbeat(1.5)) },
      { name: 'peer: an epoch above 2^53', request: peerMsg(heartbeat(2 ** 53 + 2)) },
      { name: 'peer: an epoch of 1e400', request: withNumber('1e400') },
      { name: 'peer: a heartbeat without commitIndex', request: peerMsg({ type: 'heartbeat', epoch: 0 }) },
      { name: 'peer: append entries that are not a list', request: peerMsg({ type: 'append', epoch: 0, prevIndex: 0, prevEpoch: 0, entries: 'all of them', commitIndex: 0 }) },
      { name: 'peer: an appended entry at index 0', request: peerMsg({ type: 'append', epoch: 0, prevIndex: 0, prevEpoch: 0, entries: [{ index: 0, epoch: 0, op: { type: 'put', key: 'k', value: 'v' } }], commitIndex: 0 }) },
      // Batches.
      { name: 'peer: a batch of no messages', request: peer((_e, c) => batch(c, [])) },
      { name: `peer: a batch of ${MAX_MESSAGES_PER_BATCH + 1} messages`, request: peer((_e, c) => batch(c, Array.from({ length: MAX_MESSAGES_PER_BATCH + 1 }, (_, i) => hello(i)))) },
      { name: 'peer: a batch with one bad message', request: peer((_e, c) => batch(c, [hello(1), { id: 'fuzz-2', msg: { type: 'hello', epoch: -1 } }, hello(3)])) },
      { name: 'peer: a batch whose messages are not a list', request: peer((_e, c) => batch(c, { 0: hello(0) })) },
      { name: 'peer: a batch to another node', request: peer((_e, c) => ({ ...batch(c, [hello(1)]), to: c.otherNodeId })) },
      { name: 'peer: a body declared past the cap on peer bodies', request: req('POST', '/peer', { headers: JSON_TYPE, contentLength: MAX_PEER_MESSAGE_BYTES + 1 }) },
    ] satisfies SurfacelessCase[]
  ).map((c) => ({ ...c, gate: 'hmac' as const })),
  ...protocolCases('/status', '/peer', 'hmac'),
]);

// ── The registry: /register, /nodes, /nodes/:id ───────────────────────────────────────────
// Once requests must be signed, every case here is refused 401 unsigned, before the check it
// is named for; the routing cases may still answer 404/405 first.

const registration = { id: 'n50', host: '127.0.0.1', port: 6000 };
/** A registration this registry would take, but for one thing: taken, it would list a node that is not there. */
const register = (over: Record<string, unknown>): Build => json('POST', '/register', { ...registration, ...over });
const without = (field: keyof typeof registration): Build => {
  const { [field]: _gone, ...rest } = registration;
  return json('POST', '/register', rest);
};
const registerText = (text: string | Buffer, headers: Record<string, string> = {}): Build => jsonText('POST', '/register', text, headers);

const registryCases: HttpCase[] = withSurface('registry', [
  ...(
    [
  { name: 'GET /register', request: req('GET', '/register') },
  { name: 'PUT /nodes', request: json('PUT', '/nodes', {}) },
  { name: 'POST /nodes/:id', request: json('POST', '/nodes/n1', {}) },
  { name: 'GET /nodes/:id', request: req('GET', '/nodes/n1') },
  { name: 'an unknown endpoint', request: req('GET', '/nope') },
  { name: 'a path below /register', request: json('POST', '/register/again', registration) },
  { name: 'deregister n0', request: req('DELETE', '/nodes/n0') },
  { name: 'deregister N1', request: req('DELETE', '/nodes/N1') },
  { name: 'deregister n1 with a NUL', request: req('DELETE', '/nodes/n1%00') },
  { name: 'deregister with bad percent-encoding', request: req('DELETE', '/nodes/%zz') },
  { name: 'deregister a full-width ｎ1', request: req('DELETE', `/nodes/${enc('ｎ1')}`) },
  { name: 'deregister an id past 1 KiB', request: req('DELETE', `/nodes/n${'1'.repeat(2000)}`) },
  { name: 'register with truncated JSON', request: registerText('{"id":"n50","host":') },
  { name: 'register with trailing garbage', request: registerText(`${JSON.stringify({ ...registration, port: 0 })}]`) },
  { name: 'register with NaN for the port', request: registerText('{"id":"n50","host":"127.0.0.1","port":NaN}') },
  { name: 'register with arrays nested 10k deep', request: registerText(deepArrays(10_000)) },
  { name: 'register with a host nested 10k deep', request: registerText(`{"id":"n50","port":6000,"host":${deepObjects(10_000)}}`) },
  { name: 'register with a port nested 8k deep', request: registerText(`{"id":"n50","host":"127.0.0.1","port":${deepArrays(8000)}}`) },
  { name: 'register with a BOM before port 0', request: registerText(`${BOM}${JSON.stringify({ ...registration, port: 0 })}`) },
  { name: 'register with the port twice, the last text', request: registerText('{"id":"n50","host":"127.0.0.1","port":6000,"port":"6000"}') },
  { name: 'register hidden under __proto__', request: registerText(`{"__proto__":${JSON.stringify(registration)}}`) },
  { name: 'register with an array body', request: json('POST', '/register', [registration]) },
  { name: 'register with a string body', request: json('POST', '/register', 'n50') },
  { name: 'register with an empty body', request: registerText('') },
  { name: 'register without an id', request: without('id') },
  { name: 'register without a host', request: without('host') },
  { name: 'register without a port', request: without('port') },
  { name: 'register with a numeric id', request: register({ id: 50 }) },
  { name: 'register with a numeric host', request: register({ host: 127 }) },
  { name: 'register with the port as text', request: register({ port: '6000' }) },
  { name: 'register with port 0', request: register({ port: 0 }) },
  { name: 'register with port -1', request: register({ port: -1 }) },
  { name: 'register with port 1.5', request: register({ port: 1.5 }) },
  { name: 'register with port 65536', request: register({ port: 65_536 }) },
  { name: 'register with port 1e400', request: registerText('{"id":"n50","host":"127.0.0.1","port":1e400}') },
  { name: 'register with port 2^53+2', request: register({ port: 2 ** 53 + 2 }) },
  { name: 'register n0', request: register({ id: 'n0' }) },
  { name: 'register n100', request: register({ id: 'n100' }) },
  { name: 'register N1', request: register({ id: 'N1' }) },
  { name: 'register n1 with a NUL', request: register({ id: 'n1\u0000' }) },
  { name: 'register n with an Arabic-Indic digit', request: register({ id: 'n\u0661' }) },
  { name: 'register a full-width ｎ5', request: register({ id: 'ｎ5' }) },
  { name: 'register an empty id', request: register({ id: '' }) },
  { name: 'register an empty host', request: register({ host: '' }) },
  { name: 'register a host of 256 chars', request: register({ host: 'h'.repeat(256) }) },
  { name: 'register with invalid UTF-8 in the id', request: registerText(withInvalidUtf8('{"host":"127.0.0.1","port":6000,"id":"n', '"}')) },
  { name: 'register with a body past 16 KiB', request: register({ pad: 'x'.repeat(20 * 1024), port: 0 }) },
  { name: 'register declaring a 16 MiB body it does not send', request: req('POST', '/register', { headers: JSON_TYPE, contentLength: 16 * 1024 * 1024 }) },
  { name: 'register with a chunked body past 16 KiB', request: req('POST', '/register', { headers: JSON_TYPE, chunks: [Buffer.from(`{"pad":"${'x'.repeat(40 * 1024)}"}`)] }) },
  { name: 'register with an unknown charset', request: registerText(JSON.stringify(registration), { 'Content-Type': 'application/json; charset=utf-9' }) },
  { name: 'register with gzip that is not gzip', request: registerText(JSON.stringify(registration), { 'Content-Encoding': 'gzip' }) },
    ] satisfies SurfacelessCase[]
  ).map((c) => ({ ...c, gate: 'hmac' as const })),
  ...protocolCases('/nodes', '/register', 'hmac'),
]);

// ── The supervisor's WebSocket at /ws ─────────────────────────────────────────────────────

const upgradeHeaders = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': WS_KEY, 'Sec-WebSocket-Version': '13' };
/** An upgrade request; `over` replaces headers (undefined drops one). */
const upgrade =
  (over: Record<string, string | undefined> = {}, method = 'GET', path = '/ws'): Build =>
  (ctx) => {
    const headers = Object.fromEntries(Object.entries({ ...upgradeHeaders, ...over }).filter((e): e is [string, string] => e[1] !== undefined));
    // requestBytes adds Connection: close; an upgrade says Connection: Upgrade instead.
    const lines = [`${method} ${path} HTTP/1.1`, `Host: ${ctx.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  };
const refusedUpgrade = (name: string, handshake: Build): WsCase => ({ surface: 'ws', name, handshake, frames: [] });
const afterOpen = (name: string, ...frames: Buffer[]): WsCase => ({ surface: 'ws', name, handshake: upgrade(), frames });
const TEXT = 0x1;
const BINARY = 0x2;
const CLOSE = 0x8;
const PING = 0x9;

const wsCases: WsCase[] = [
  refusedUpgrade('GET /ws without an upgrade', req('GET', '/ws')),
  refusedUpgrade('POST /ws without an upgrade', jsonText('POST', '/ws', '{}')),
  refusedUpgrade('an upgrade without Sec-WebSocket-Key', upgrade({ 'Sec-WebSocket-Key': undefined })),
  refusedUpgrade('an upgrade with a short Sec-WebSocket-Key', upgrade({ 'Sec-WebSocket-Key': 'c2hvcnQ=' })),
  refusedUpgrade('an upgrade with a key that is not base64', upgrade({ 'Sec-WebSocket-Key': '!!!!!!!!!!!!!!!!!!!!!!==' })),
  refusedUpgrade('an upgrade with version 12', upgrade({ 'Sec-WebSocket-Version': '12' })),
  refusedUpgrade('an upgrade without a version', upgrade({ 'Sec-WebSocket-Version': undefined })),
  refusedUpgrade('an upgrade to h2c', upgrade({ Upgrade: 'h2c' })),
  refusedUpgrade('an upgrade by POST', upgrade({}, 'POST')),
  refusedUpgrade('an upgrade to an unknown path', upgrade({}, 'GET', '/wsx')),
  refusedUpgrade('an upgrade to /api/cluster', upgrade({}, 'GET', '/api/cluster')),
  refusedUpgrade('an upgrade with a malformed subprotocol list', upgrade({ 'Sec-WebSocket-Protocol': 'a,,b' })),
  refusedUpgrade('an upgrade to a target that is not a URL', upgrade({}, 'GET', 'http://[oops/ws')),
  afterOpen('bytes that are not a frame', Buffer.from('hello, is this HTTP?\r\n\r\n')),
  afterOpen('an unmasked frame', frame({ opcode: TEXT, payload: '{}', mask: false })),
  afterOpen('a reserved opcode', frame({ opcode: 0x3, payload: 'x' })),
  afterOpen('a reserved control opcode', frame({ opcode: 0xb, payload: 'x' })),
  afterOpen('RSV1 set without an extension', frame({ opcode: TEXT, payload: '{}', rsv: 4 })),
  afterOpen('a binary frame', frame({ opcode: BINARY, payload: Buffer.from([1, 2, 3]) })),
  afterOpen('a text frame of invalid UTF-8', frame({ opcode: TEXT, payload: INVALID_UTF8 })),
  afterOpen('a frame declaring 1 GiB', frame({ opcode: TEXT, payload: 'x', declaredLength: 1n << 30n })),
  afterOpen('a frame declaring more than 2^53 bytes', frame({ opcode: TEXT, payload: 'x', declaredLength: (1n << 63n) + 1n })),
  afterOpen('a frame past the 64 KiB limit', frame({ opcode: TEXT, payload: Buffer.alloc(64 * 1024 + 1, 'x') })),
  afterOpen('a ping past 125 bytes', frame({ opcode: PING, payload: Buffer.alloc(126, 'p') })),
  afterOpen('a fragmented ping', frame({ opcode: PING, payload: 'p', fin: false })),
  afterOpen('a continuation with nothing to continue', frame({ opcode: 0x0, payload: 'x' })),
  afterOpen('a new message inside a fragmented one', frame({ opcode: TEXT, payload: '{', fin: false }), frame({ opcode: TEXT, payload: '}' })),
  afterOpen('a close with code 999', frame({ opcode: CLOSE, payload: closePayload(999) })),
  afterOpen('a close with reserved code 1005', frame({ opcode: CLOSE, payload: closePayload(1005) })),
  afterOpen('a close with a one-byte payload', frame({ opcode: CLOSE, payload: Buffer.from([3]) })),
  afterOpen('a close whose reason is invalid UTF-8', frame({ opcode: CLOSE, payload: closePayload(1000, INVALID_UTF8) })),
  afterOpen('an unknown JSON command', frame({ opcode: TEXT, payload: JSON.stringify({ type: 'subscribe', kinds: ['*'] }) })),
  afterOpen('a command to kill a node', frame({ opcode: TEXT, payload: JSON.stringify({ action: 'kill', node: 'n1' }) })),
  afterOpen('text that is not JSON', frame({ opcode: TEXT, payload: 'hello' })),
];

export const CATALOGUE: readonly MalformedCase[] = [...supervisorCases, ...nodeCases, ...registryCases, ...wsCases];

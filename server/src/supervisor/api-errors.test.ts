import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from '@clusterlab/shared';
import { action, call, json, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';

/**
 * Every endpoint, fed what a confused learner, a buggy dashboard or a fuzzer might send: each
 * gets a 4xx with a JSON `{ error }` that says what was wrong — and the supervisor stays up.
 */
describe('the REST API refuses bad input clearly', () => {
  const lab = useSupervisor({ nodes: 0 }, 'all');

  type Case = [what: string, method: string, path: string, init: RequestInit, status: number, error: RegExp];
  const raw = (method: string, body: string, type = 'application/json'): RequestInit => ({ method, headers: { 'content-type': type }, body });

  const cases: Case[] = [
    ['an unknown endpoint', 'GET', '/api/nope', {}, 404, /no such endpoint: GET \/api\/nope/],
    ['a wrong method on the cluster', 'DELETE', '/api/cluster', action('DELETE'), 405, /DELETE is not allowed/],
    ['an action on an unknown node', 'POST', '/api/nodes/n9/kill', action(), 404, /no node "n9"/],
    ['an action on something that is not a node id', 'POST', '/api/nodes/..%2F..%2Fetc/pause', action(), 404, /no node/],
    ['an unknown action', 'POST', '/api/nodes/n1/explode', action(), 404, /no such endpoint/],
    ['a GET on an action', 'GET', '/api/nodes/n1/kill', {}, 405, /use POST/],
    ['removing an unknown node', 'DELETE', '/api/nodes/n42', action('DELETE'), 404, /no node "n42"/],
    ['an unknown registry action', 'POST', '/api/registry/explode', action(), 404, /no such endpoint/],
    ['a reset with malformed JSON', 'POST', '/api/cluster/reset', raw('POST', '{"nodes":'), 400, /not valid JSON/],
    ['a reset with 0 nodes', 'POST', '/api/cluster/reset', json('POST', { nodes: 0 }), 400, /nodes/],
    ['a reset with 26 nodes', 'POST', '/api/cluster/reset', json('POST', { nodes: 26 }), 400, /nodes/],
    ['a reset with nodes as text', 'POST', '/api/cluster/reset', json('POST', { nodes: '3' }), 400, /nodes/],
    ['a reset with an unknown field', 'POST', '/api/cluster/reset', json('POST', { nodez: 3 }), 400, /nodez/],
    ['a reset with a plain-text body', 'POST', '/api/cluster/reset', raw('POST', 'please', 'text/plain'), 415, /needs Content-Type: application\/json \(got "text\/plain"\)/],
    ['an action without a Content-Type', 'POST', '/api/nodes/n1/kill', {}, 415, /needs Content-Type: application\/json \(got none\)/],
    ['a form post', 'POST', '/api/cluster/reset', raw('POST', 'nodes=1', 'application/x-www-form-urlencoded'), 415, /application\/json/],
    ['empty settings', 'PUT', '/api/settings', json('PUT', {}), 400, /invalid settings: heartbeatIntervalMs/],
    ['settings with a tiny heartbeat', 'PUT', '/api/settings', json('PUT', { ...defaults(), heartbeatIntervalMs: 1 }), 400, /heartbeatIntervalMs/],
    ['settings with min above max', 'PUT', '/api/settings', json('PUT', { ...defaults(), electionTimeoutMinMs: 900, electionTimeoutMaxMs: 800 }), 400, /must not exceed/],
    ['settings with an unknown ack mode', 'PUT', '/api/settings', json('PUT', { ...defaults(), writeAck: 'some' }), 400, /writeAck/],
    ['settings that are not an object', 'PUT', '/api/settings', json('PUT', [1, 2, 3]), 400, /invalid settings/],
    ['settings far too large', 'PUT', '/api/settings', json('PUT', { pad: 'x'.repeat(100_000) }), 413, /limit/],
    ['a POST on settings', 'POST', '/api/settings', json('POST', {}), 405, /use GET, HEAD, PUT/],
    ['events since a negative seq', 'GET', '/api/events?since=-1', {}, 400, /since/],
    ['events since a word', 'GET', '/api/events?since=abc', {}, 400, /since/],
    ['events with limit 0', 'GET', '/api/events?limit=0', {}, 400, /limit/],
    ['events with a huge limit', 'GET', '/api/events?limit=9999999', {}, 400, /limit/],
    ['events with since given twice', 'GET', '/api/events?since=1&since=2', {}, 400, /since/],
    ['a read via an unknown node', 'GET', '/api/kv/k?via=n99', {}, 404, /no node "n99"/],
    ['a read via something that is not a node', 'GET', '/api/kv/k?via=leader', {}, 404, /no node "leader"/],
    ['a write via all', 'PUT', '/api/kv/k?via=all', kvWrite('v'), 400, /via=all/],
    ['a key longer than the limit', 'GET', `/api/kv/${'k'.repeat(MAX_KEY_BYTES + 1)}`, {}, 414, /longer than/],
    ['a value larger than 1 MiB', 'PUT', '/api/kv/k', kvWrite('v'.repeat(MAX_VALUE_BYTES + 1)), 413, /over the limit of 1048576 bytes/],
    ['a value as raw text', 'PUT', '/api/kv/k', raw('PUT', 'v', 'text/plain'), 415, /application\/json/],
    ['a value that is not { value }', 'PUT', '/api/kv/k', json('PUT', { valeu: 'v' }), 400, /expected a JSON body \{ "value": "<text>" \}/],
    ['a value that is not text', 'PUT', '/api/kv/k', json('PUT', { value: 7 }), 400, /value/],
    ['a key deleted without a Content-Type', 'DELETE', '/api/kv/k', {}, 415, /application\/json/],
    ['a PATCH on a key', 'PATCH', '/api/kv/k', action('PATCH'), 405, /PATCH is not allowed/],
    ['keys with limit 0', 'GET', '/api/keys?limit=0', {}, 400, /limit/],
    ['keys with limit abc', 'GET', '/api/keys?limit=abc', {}, 400, /limit/],
    ['keys with a huge limit', 'GET', '/api/keys?limit=10001', {}, 400, /limit/],
  ];

  it.each(cases)('%s answers the right 4xx', async (_what, method, path, init, status, error) => {
    const answer = await call<{ error: string }>(`${lab.supervisor.url}${path.slice(1)}`, { method, ...init });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(answer.body.error).toMatch(error);
    if (status === 405) expect(answer.headers.get('allow')).toBeTruthy();
    // Whatever it was sent, the supervisor is still there.
    expect((await call(lab.api('/cluster'))).status).toBe(200);
  });

  it('answers 503 when a read finds no node running at all', async () => {
    const answer = await call(lab.api('/kv/k'));
    expect(answer).toMatchObject({ status: 503, body: { key: 'k', servedBy: null, error: expect.stringMatching(/no node is running/) } });
  });

  it('serves a page at / even before the dashboard is built', async () => {
    const answer = await call<string>(lab.supervisor.url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/text\/html/);
  });

  it("answers what Node's HTTP parser refuses in JSON, and keeps serving", async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(lab.supervisor.port, '127.0.0.1', () => socket.end('GARBAGE\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(got).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(got.slice(got.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: expect.stringContaining('malformed HTTP request') });
    expect((await call(lab.api('/cluster'))).status).toBe(200);
  });

  it('answers OPTIONS with the allowed methods', async () => {
    const res = await fetch(lab.api('/kv/k'), { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, PUT, DELETE');
  });
});

function defaults() {
  return {
    heartbeatIntervalMs: 50,
    electionTimeoutMinMs: 200,
    electionTimeoutMaxMs: 300,
    electionAnswerTimeoutMs: 80,
    electionVictoryTimeoutMs: 400,
    writeAck: 'majority',
    writeTimeoutMs: 2000,
    registryIntervalMs: 150,
    registryTtlMs: 1000,
  };
}

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBody } from '@clusterlab/shared';
import { RefusalReporter } from '../auth/refusal-reporter';
import { SIGNATURE_HEADER } from '../auth/request-signature';
import { testSigner } from '../test-utils/test-secret';
import { createRegistryApp } from './app';
import { RegistryTable } from './registry-table';

/** The HTTP adapter over a real socket, with a hand-turned clock. */
let server: Server;
let base: string;
let clock: number;
let events: EventBody[];
let table: RegistryTable;

beforeEach(async () => {
  clock = 1_000_000;
  events = [];
  table = new RegistryTable(1000, 3);
  const emit = (e: EventBody) => events.push(e);
  const refusals = new RefusalReporter((data) => emit({ kind: 'auth.refused', data }), 1000, () => clock);
  const app = createRegistryApp({ table, now: () => clock, emit, log: () => {}, signer: testSigner, refusals, bindHost: '127.0.0.1' });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const errorOf = async (res: Response): Promise<string> => ((await res.json()) as { error: string }).error;

/** As a member of the cluster sends it: signed with the cluster's secret. */
const signed = (method: string, target: string, body = ''): Record<string, string> => ({
  [SIGNATURE_HEADER]: testSigner.sign({ method, target, body }, clock),
});

const register = (body: unknown, init: RequestInit = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${base}/register`, { method: 'POST', body: text, ...init, headers: { ...signed('POST', '/register', text), ...(init.headers as Record<string, string>) } });
};
const leave = (id: string) => fetch(`${base}/nodes/${id}`, { method: 'DELETE', headers: signed('DELETE', `/nodes/${id}`) });

describe('the registry over HTTP', () => {
  it('answers a registration with the live list and announces the newcomer', async () => {
    const res = await register({ id: 'n1', host: '127.0.0.1', port: 5001 }, { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ nodes: [{ id: 'n1', host: '127.0.0.1', port: 5001, lastSeenAt: clock, expiresAt: clock + 1000 }] });
    expect(events).toEqual([{ kind: 'registry.registered', data: { id: 'n1', host: '127.0.0.1', port: 5001 } }]);
  });

  it('never lists a node past its ttl, even before the timer sweeps', async () => {
    await register({ id: 'n1', host: '127.0.0.1', port: 5001 });
    clock += 1500;
    const res = await fetch(`${base}/nodes`);
    expect(await res.json()).toEqual({ ttlMs: 1000, nodes: [] });
    expect(events.at(-1)).toEqual({ kind: 'registry.expired', data: { id: 'n1', silentMs: 1500 } });
  });

  it('lets a node leave gracefully', async () => {
    await register({ id: 'n2', host: '127.0.0.1', port: 5002 });
    const res = await leave('n2');
    expect(res.status).toBe(204);
    expect(events.at(-1)).toEqual({ kind: 'registry.deregistered', data: { id: 'n2' } });
    expect((await leave('n2')).status).toBe(204);
    expect(events.filter((e) => e.kind === 'registry.deregistered')).toHaveLength(1);
  });

  it.each([
    ['malformed JSON', '{"id": "n1",', /not valid JSON/],
    ['no body', '', /expected \{ id, host, port \}/],
    ['a bad id', { id: 'node-1', host: '127.0.0.1', port: 1 }, /id: must be a node id/],
    ['port 0', { id: 'n1', host: '127.0.0.1', port: 0 }, /port/],
    ['port 65536', { id: 'n1', host: '127.0.0.1', port: 65_536 }, /port/],
    ['a fractional port', { id: 'n1', host: '127.0.0.1', port: 1.5 }, /port/],
    ['a huge host', { id: 'n1', host: 'h'.repeat(256), port: 1 }, /host/],
    ['a host name', { id: 'n1', host: 'evil.example', port: 1 }, /host: must be an IP address/],
    ['an empty host', { id: 'n1', host: '', port: 1 }, /host: must be an IP address/],
    ['an array', [1, 2], /expected/],
  ])('answers %s with 400 and a JSON error', async (_what, body, message) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect((await errorOf(res))).toMatch(message);
    expect(events).toEqual([]);
  });

  it('refuses a body far larger than any registration with 413', async () => {
    const res = await register({ id: 'n1', host: 'x'.repeat(100_000), port: 1 });
    expect(res.status).toBe(413);
    expect((await errorOf(res))).toMatch(/limit/);
  });

  it('refuses newcomers with 503 when full, and keeps serving', async () => {
    for (const id of ['n1', 'n2', 'n3']) expect((await register({ id, host: '127.0.0.1', port: 1 })).status).toBe(200);
    const res = await register({ id: 'n4', host: '127.0.0.1', port: 1 });
    expect(res.status).toBe(503);
    expect((await errorOf(res))).toMatch(/full/);
    expect((await register({ id: 'n1', host: '127.0.0.1', port: 1 })).status).toBe(200);
  });

  it('answers a wrong method with 405 and Allow, and an unknown path with 404', async () => {
    const wrong = await fetch(`${base}/register`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await errorOf(wrong))).toMatch(/not allowed/);
    expect((await fetch(`${base}/nodes`, { method: 'POST' })).headers.get('allow')).toBe('GET, HEAD');
    const missing = await fetch(`${base}/elsewhere`);
    expect(missing.status).toBe(404);
    expect((await errorOf(missing))).toMatch(/no such endpoint/);
  });

  it('answers a bad id in DELETE /nodes/:id with 400', async () => {
    const res = await leave('n100');
    expect(res.status).toBe(400);
  });
});

describe('who may change the registry', () => {
  const body = JSON.stringify({ id: 'n2', host: '127.0.0.1', port: 5002 });

  it.each([
    ['no signature', {}, /no x-clusterlab-signature header/],
    ['a malformed one', { [SIGNATURE_HEADER]: 'let me in' }, /must be t=<ms>,sig=/],
    ['one made with another secret', { [SIGNATURE_HEADER]: `t=${1_000_000},sig=${'ab'.repeat(32)}` }, /does not match/],
    ['one from a minute ago', { [SIGNATURE_HEADER]: testSigner.sign({ method: 'POST', target: '/register', body }, 1_000_000 - 60_000) }, /60 s away/],
    ['one for another body', { [SIGNATURE_HEADER]: testSigner.sign({ method: 'POST', target: '/register', body: body.replace('5002', '6666') }, 1_000_000) }, /does not match/],
  ])('refuses a registration with %s: 401, nothing registered, and an event', async (_what, headers, message) => {
    const res = await fetch(`${base}/register`, { method: 'POST', body, headers });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatch(message);
    expect(table.list()).toEqual([]);
    expect(events).toEqual([{ kind: 'auth.refused', data: { request: 'POST /register', remote: expect.stringMatching(/127\.0\.0\.1/), reason: expect.stringMatching(message), count: 1 } }]);
  });

  it('refuses an unsigned leave: the node stays listed', async () => {
    await register({ id: 'n2', host: '127.0.0.1', port: 5002 });
    const res = await fetch(`${base}/nodes/n2`, { method: 'DELETE' });
    expect(res.status).toBe(401);
    expect(table.list().map((e) => e.id)).toEqual(['n2']);
  });

  it('says a flood of refusals once per second, with how many', async () => {
    for (let i = 0; i < 5; i++) await fetch(`${base}/register`, { method: 'POST', body });
    expect(events.filter((e) => e.kind === 'auth.refused')).toHaveLength(1);
    clock += 1000;
    await fetch(`${base}/register`, { method: 'POST', body });
    const said = events.flatMap((e) => (e.kind === 'auth.refused' ? [e.data.count] : []));
    expect(said).toEqual([1, 5]);
  });

  it('will not hand a live id to another address (409), but does once it expired', async () => {
    await register({ id: 'n2', host: '127.0.0.1', port: 5002 });
    const taken = await register({ id: 'n2', host: '127.0.0.1', port: 6666 });
    expect(taken.status).toBe(409);
    expect(await errorOf(taken)).toMatch(/n2 is registered at 127\.0\.0\.1:5002/);
    expect(table.list()).toMatchObject([{ id: 'n2', port: 5002 }]);
    clock += 1000;
    expect((await register({ id: 'n2', host: '127.0.0.1', port: 6666 })).status).toBe(200);
    expect(table.list()).toMatchObject([{ id: 'n2', port: 6666 }]);
  });

  it('takes no requests from web pages, not even reads', async () => {
    const res = await fetch(`${base}/nodes`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toContain('the registry takes no requests from web pages');
  });

  it('lets anyone read the list: an address book steers nothing', async () => {
    await register({ id: 'n2', host: '127.0.0.1', port: 5002 });
    expect((await (await fetch(`${base}/nodes`)).json()) as unknown).toMatchObject({ nodes: [{ id: 'n2' }] });
  });
});

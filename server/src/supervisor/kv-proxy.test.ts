import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeView } from '@clusterlab/shared';
import { UNKNOWN_FACTS } from './cluster-view';
import { clientLinks, keysTable, proxyKv, readAll, type NodeDirectory } from './kv-proxy';

/**
 * The proxy against stand-in nodes: tiny HTTP servers that answer /db the way the contract
 * says a node does, so redirects, silences and refusals can be staged exactly.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

type FakeNode = { id: string; port: number; store: Map<string, string> };

async function fakeNode(id: string, behave: (app: express.Express, self: FakeNode) => void): Promise<FakeNode> {
  const app = express();
  const self: FakeNode = { id, port: 0, store: new Map() };
  behave(app, self);
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  self.port = (server.address() as AddressInfo).port;
  return self;
}

/** A leader: stores writes, serves reads. */
const leaderLike = (app: express.Express, self: FakeNode) => {
  app.put('/db/:key', express.text({ type: () => true }), (req, res) => {
    self.store.set(String(req.params.key), req.body as string);
    res.json({ key: req.params.key, index: self.store.size, epoch: 103, node: self.id });
  });
  app.get('/db/:key', (req, res) => {
    const value = self.store.get(String(req.params.key));
    if (value === undefined) res.status(404).json({ error: `key ${JSON.stringify(req.params.key)} not found` });
    else res.set('X-Clusterlab-Index', '7').type('text/plain').send(value);
  });
  app.get('/db', (_req, res) => {
    res.json({ node: self.id, appliedIndex: self.store.size, truncated: false, entries: [...self.store].sort().map(([k, v]) => [k, { value: v, index: 1 }]) });
  });
};

/** A follower: redirects writes to `leader`, serves reads from its own (empty) store. */
const followerOf = (leader: () => FakeNode) => (app: express.Express, self: FakeNode) => {
  app.put('/db/:key', (req, res) => {
    res.status(307).set('Location', `http://127.0.0.1:${leader().port}/db/${encodeURIComponent(String(req.params.key))}`).json({ error: 'not the leader' });
  });
  leaderLike(app, self);
};

function directory(nodes: FakeNode[], patch: Record<string, Partial<NodeView>> = {}, leader: string | null = null): NodeDirectory {
  const views: NodeView[] = nodes.map((n) => ({
    id: n.id,
    ...UNKNOWN_FACTS,
    status: 'running',
    pid: 1,
    port: n.port,
    url: `http://127.0.0.1:${n.port}`,
    startedAt: 0,
    exit: null,
    ...patch[n.id],
  }));
  return { nodes: () => views, leader: () => leader };
}

const options = { timeoutMs: 500, maxHops: 3 };

describe('the key/value proxy', () => {
  it('writes through the leader by default and reads the value back with its index', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const dir = directory([n1], {}, 'n1');
    const write = await proxyKv(dir, { method: 'PUT', key: 'a b/c', value: 'héllo' }, options);
    expect(write.result).toEqual({ key: 'a b/c', servedBy: 'n1', redirectedFrom: null, status: 200, index: 1 });
    expect(n1.store.get('a b/c')).toBe('héllo');
    const read = await proxyKv(dir, { method: 'GET', key: 'a b/c' }, options);
    expect(read.result).toEqual({ key: 'a b/c', servedBy: 'n1', redirectedFrom: null, status: 200, value: 'héllo', index: 7 });
  });

  it('follows a follower’s redirect to the leader and says so', async () => {
    let leader: FakeNode | undefined;
    const n1 = await fakeNode('n1', followerOf(() => leader as FakeNode));
    leader = await fakeNode('n2', leaderLike);
    const { result } = await proxyKv(directory([n1, leader]), { method: 'PUT', key: 'k', value: 'v', via: 'n1' }, options);
    expect(result).toMatchObject({ servedBy: 'n2', redirectedFrom: 'n1', status: 200 });
  });

  it('mirrors a missing key as 404 with value null', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const { result } = await proxyKv(directory([n1], {}, 'n1'), { method: 'GET', key: 'nope' }, options);
    expect(result).toMatchObject({ status: 404, value: null, error: 'key "nope" not found' });
  });

  it('passes on "no leader" with its Retry-After', async () => {
    const n1 = await fakeNode('n1', (app) => app.put('/db/:key', (_req, res) => res.status(503).set('Retry-After', '1').json({ error: 'no leader' })));
    const answer = await proxyKv(directory([n1]), { method: 'PUT', key: 'k', value: 'v' }, options);
    expect(answer).toEqual({ result: { key: 'k', servedBy: 'n1', redirectedFrom: null, status: 503, error: 'no leader' }, retryAfter: '1' });
  });

  it('answers 502 quickly for a node that is known to be paused or stopped', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const started = Date.now();
    const paused = await proxyKv(directory([n1], { n1: { status: 'paused' } }), { method: 'GET', key: 'k', via: 'n1' }, options);
    expect(paused.result).toMatchObject({ status: 502, servedBy: 'n1', error: expect.stringMatching(/paused/) });
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('sends nothing on a cut link from the clients to a node: 504 at once, naming the fault', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const links = clientLinks([{ id: 'cut-1', fault: { kind: 'cut', from: 'client', to: 'n1' } }]);
    const { result } = await proxyKv(directory([n1], {}, 'n1'), { method: 'PUT', key: 'k', value: 'v' }, { ...options, links });
    expect(result).toMatchObject({ status: 504, servedBy: 'n1', error: 'the request to n1 was cut by cut-1, so n1 never received it' });
    expect(n1.store.has('k')).toBe(false);
  });

  it('carries out a write whose answer is cut on its way back, and says it may have been done', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    // A partition cuts the request already: nothing is written.
    const links = clientLinks([{ id: 'partition-1', fault: { kind: 'partition', groups: [['client'], ['n1']] } }]);
    // A one-way cut of n1's answers: the write is done, and the client never hears so.
    const oneWay = clientLinks([{ id: 'cut-2', fault: { kind: 'cut', from: 'n1', to: 'client' } }]);
    expect((await proxyKv(directory([n1], {}, 'n1'), { method: 'PUT', key: 'k', value: 'v' }, { ...options, links })).result.status).toBe(504);
    expect(n1.store.has('k')).toBe(false);
    const { result } = await proxyKv(directory([n1], {}, 'n1'), { method: 'PUT', key: 'k', value: 'v' }, { ...options, links: oneWay });
    expect(result).toMatchObject({ status: 504, error: 'the answer from n1 was cut by cut-2: n1 may have done what was asked' });
    expect(n1.store.get('k')).toBe('v');
  });

  it('waits out a delay on the clients’ links, both ways', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const links = clientLinks([{ id: 'delay-1', fault: { kind: 'delay', from: 'client', ms: 80, jitterMs: 0 } }, { id: 'delay-2', fault: { kind: 'delay', to: 'client', ms: 80, jitterMs: 0 } }]);
    const started = Date.now();
    const { result } = await proxyKv(directory([n1], {}, 'n1'), { method: 'PUT', key: 'k', value: 'v' }, { ...options, links });
    expect(result.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(155);
  });

  it('answers 502 after the deadline when a node never answers', async () => {
    const n1 = await fakeNode('n1', (app) => app.get('/db/:key', () => {}));
    const { result } = await proxyKv(directory([n1]), { method: 'GET', key: 'k', via: 'n1' }, { timeoutMs: 200, maxHops: 3 });
    expect(result).toMatchObject({ status: 502, error: expect.stringMatching(/did not answer in time/) });
  });

  it('answers 502 when nothing listens at the node’s port', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const dir = directory([n1]);
    const gone = servers.pop() as Server;
    gone.closeAllConnections();
    await new Promise((resolve) => gone.close(resolve));
    const { result } = await proxyKv(dir, { method: 'GET', key: 'k', via: 'n1' }, options);
    expect(result).toMatchObject({ status: 502, error: expect.stringMatching(/could not reach n1/) });
  });

  it('never follows a redirect out of the cluster', async () => {
    const n1 = await fakeNode('n1', (app) => app.put('/db/:key', (_req, res) => res.status(307).set('Location', 'http://example.com/db/k').end()));
    const { result } = await proxyKv(directory([n1]), { method: 'PUT', key: 'k', value: 'v', via: 'n1' }, options);
    expect(result).toMatchObject({ status: 502, error: expect.stringMatching(/not a node of this cluster/) });
  });

  it('gives up on a redirect loop', async () => {
    const n1 = await fakeNode('n1', (app, self) => app.put('/db/:key', (_req, res) => res.status(307).set('Location', `http://127.0.0.1:${self.port}/db/k`).end()));
    const { result } = await proxyKv(directory([n1]), { method: 'PUT', key: 'k', value: 'v', via: 'n1' }, options);
    expect(result).toMatchObject({ status: 502, error: expect.stringMatching(/gave up after 3 redirects/) });
  });

  it('says so when no node is running at all', async () => {
    const { result } = await proxyKv({ nodes: () => [], leader: () => null }, { method: 'GET', key: 'k' }, options);
    expect(result).toMatchObject({ status: 503, servedBy: null });
  });

  it('reads from every running node side by side', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const n2 = await fakeNode('n2', leaderLike);
    const n3 = await fakeNode('n3', leaderLike);
    n1.store.set('k', 'v');
    const all = await readAll(directory([n1, n2, n3], { n3: { status: 'paused' } }), 'k', { timeoutMs: 500, maxHops: 0 });
    expect(all.reads.map((r) => [r.servedBy, r.status, r.value])).toEqual([
      ['n1', 200, 'v'],
      ['n2', 404, null],
    ]);
  });

  it('merges every node’s keys, showing which node lacks which key', async () => {
    const n1 = await fakeNode('n1', leaderLike);
    const n2 = await fakeNode('n2', leaderLike);
    const n3 = await fakeNode('n3', (app) => app.get('/db', (_req, res) => res.status(500).send('boom')));
    n1.store.set('a', '1');
    n1.store.set('b', '2');
    n2.store.set('b', '2');
    const table = await keysTable(directory([n1, n2, n3]), 10, { timeoutMs: 500, maxBodyBytes: 1 << 20 });
    expect(table.nodes).toEqual([
      { id: 'n1', appliedIndex: 2, reachable: true },
      { id: 'n2', appliedIndex: 1, reachable: true },
      { id: 'n3', appliedIndex: 0, reachable: false },
    ]);
    expect(table.keys).toEqual([
      { key: 'a', values: { n1: { value: '1', index: 1 }, n2: null } },
      { key: 'b', values: { n1: { value: '2', index: 1 }, n2: { value: '2', index: 1 } } },
    ]);
    expect(table.truncated).toBe(false);
    const capped = await keysTable(directory([n1, n2]), 1, { timeoutMs: 500, maxBodyBytes: 1 << 20 });
    expect(capped).toMatchObject({ truncated: true, keys: [{ key: 'a' }] });
  });
});

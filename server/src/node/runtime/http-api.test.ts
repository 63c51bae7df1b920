import http from 'node:http';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES, type KvListing, type NodeStatus } from '@clusterlab/shared';
import { useOneNodeCluster } from '../../test-utils/one-node-cluster';
import { postPeer, signedFetch } from '../../test-utils/test-secret';

/**
 * A real one-node cluster on loopback (the registry and the node in this process, talking
 * HTTP): what a client of the node's API sees, good requests and bad.
 */
const cluster = useOneNodeCluster();
const events = cluster.events;
let base: string;
beforeAll(() => {
  base = cluster.base;
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function errorOf(res: Response): Promise<string> {
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: string };
  expect(typeof body.error).toBe('string');
  return body.error;
}

describe("a node's client API", () => {
  it('a write is acknowledged with its index and then read back as the raw value', async () => {
    const put = await fetch(`${base}/db/greeting`, { method: 'PUT', body: 'hello, world' });
    expect(put.status).toBe(200);
    const ack = (await put.json()) as { key: string; index: number; node: string };
    expect(ack).toMatchObject({ key: 'greeting', node: 'n1' });
    const get = await fetch(`${base}/db/greeting`);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('hello, world');
    expect(get.headers.get('x-clusterlab-index')).toBe(String(ack.index));
  });

  it('POST writes like PUT, keys may hold any characters, and DELETE removes', async () => {
    const key = encodeURIComponent('user/42 ünïcødé?');
    const posted = await fetch(`${base}/db/${key}`, { method: 'POST', body: 'v' });
    expect(posted.status).toBe(200);
    // A write names the version it made; a delete leaves no version to name.
    expect(posted.headers.get('etag')).toBe(`"${((await posted.json()) as { index: number }).index}"`);
    expect(await (await fetch(`${base}/db/${key}`)).text()).toBe('v');
    const deleted = await fetch(`${base}/db/${key}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.headers.get('etag')).toBeNull();
    const gone = await fetch(`${base}/db/${key}`);
    expect(gone.status).toBe(404);
    expect(await errorOf(gone)).toContain('not found on n1');
  });

  it('lists keys in order, and /status says who leads', async () => {
    await fetch(`${base}/db/b`, { method: 'PUT', body: '2' });
    await fetch(`${base}/db/a`, { method: 'PUT', body: '1' });
    const list = (await (await fetch(`${base}/db?limit=2`)).json()) as { entries: [string, { value: string }][]; truncated: boolean };
    expect(list.entries.map(([k]) => k)).toEqual(['a', 'b']);
    expect(list.truncated).toBe(true);
    const status = (await (await fetch(`${base}/status`)).json()) as NodeStatus;
    expect(status).toMatchObject({ id: 'n1', role: 'leader', leader: 'n1' });
  });

  it('an empty key is a 400, an over-long key a 414, an over-large value a 413', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const empty = await fetch(`${base}/db/`, { method, body: method === 'PUT' ? 'x' : undefined });
      expect(empty.status).toBe(400);
      expect(await errorOf(empty)).toContain('the key is empty');
    }
    const long = await fetch(`${base}/db/${'k'.repeat(MAX_KEY_BYTES + 1)}`, { method: 'PUT', body: 'x' });
    expect(long.status).toBe(414);
    expect(await errorOf(long)).toContain(`${MAX_KEY_BYTES} bytes`);
    const big = await fetch(`${base}/db/big`, { method: 'PUT', body: 'x'.repeat(MAX_VALUE_BYTES + 1) });
    expect(big.status).toBe(413);
    await errorOf(big);
    expect((await fetch(`${base}/db/big`)).status).toBe(404); // nothing half-written
  });

  it('bad percent-encoding is a 400 with a message', async () => {
    const res = await fetch(`${base}/db/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toContain('percent-encoding');
  });

  it('a wrong method is a 405 that says which methods are allowed', async () => {
    const res = await fetch(`${base}/db/greeting`, { method: 'PATCH', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, POST, DELETE');
    await errorOf(res);
    const status = await fetch(`${base}/status`, { method: 'DELETE' });
    expect(status.status).toBe(405);
    expect(status.headers.get('allow')).toBe('GET, HEAD');
  });

  it('an unknown path is a 404 JSON error', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toContain('no such endpoint');
  });

  it('malformed or misaddressed peer messages are refused and the node keeps serving', async () => {
    const garbage = await postPeer(base, '{"not json');
    expect(garbage.status).toBe(400);
    expect(await errorOf(garbage)).toContain('not valid JSON');
    const wrongShape = await postPeer(base, { id: 'x', from: 'n2', to: 'n1', algorithm: 'bully', msg: { type: 'heartbeat' } });
    expect(wrongShape.status).toBe(400);
    expect(await errorOf(wrongShape)).toContain('not a bully message');
    const notMine = await postPeer(base, { id: 'x', from: 'n2', to: 'n7', algorithm: 'bully', msg: { type: 'hello', epoch: 0 } });
    expect(notMine.status).toBe(421);
    for (const from of ['evil', 'n1']) {
      const forged = await postPeer(base, { id: `f-${from}`, from, to: 'n1', algorithm: 'bully', msg: { type: 'hello', epoch: 0 } });
      expect(forged.status, from).toBe(400);
      expect(await errorOf(forged)).toContain('comes from another node');
    }
    const nonsense = await postPeer(base, { id: 'big', from: 'n2', to: 'n1', algorithm: 'bully', msg: { type: 'hello', epoch: 2 ** 53 - 1 } });
    expect(nonsense.status).toBe(400);
    expect(await errorOf(nonsense)).toMatch(/not a bully message: epoch: Too big/);
    expect((await fetch(`${base}/db/greeting`)).status).toBe(200);
  });

  it('drops, unread, a signed peer message that arrives on a cut link, so a one-way cut holds against a sender that ignores it', async () => {
    cluster.setFaults([{ id: 'cut-9', fault: { kind: 'cut', from: 'n2', to: 'n1' } }]);
    try {
      const cut = await postPeer(base, { id: 'across-the-cut', from: 'n2', to: 'n1', algorithm: 'bully', msg: { type: 'hello', epoch: 0 } });
      // As if taken: on a cut link the bytes never arrive, and the sender is not told otherwise.
      expect(cut.status).toBe(204);
      await waitUntil(async () => events.some((e) => e.kind === 'message.lost' && e.data.id === 'across-the-cut'));
      const dropped = events.find((e) => e.kind === 'message.lost' && e.data.id === 'across-the-cut');
      expect(dropped).toMatchObject({ node: 'n1', data: { to: 'n1', type: 'hello', reason: expect.stringContaining('cut-9') } });
      expect(events.some((e) => e.kind === 'message.received' && e.data.id === 'across-the-cut')).toBe(false);
    } finally {
      cluster.setFaults([]);
    }
    // Healed, the same message is read again (and refused for what it is: n2 is no node this one knows).
    const healed = await postPeer(base, { id: 'after-the-heal', from: 'n2', to: 'n1', algorithm: 'bully', msg: { type: 'hello', epoch: 0 } });
    expect(healed.status).toBe(403);
  });

  it('takes no requests from web pages: a cross-site text/plain write is refused and nothing is written', async () => {
    const crossSite = await fetch(`${base}/db/csrf`, { method: 'POST', body: 'pwned', headers: { 'content-type': 'text/plain', origin: 'http://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(await errorOf(crossSite)).toContain('node n1 takes no requests from web pages');
    const membership = await fetch(`${base}/members/n5`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(membership.status).toBe(403);
    expect((await fetch(`${base}/db/csrf`)).status).toBe(404);
    // DNS rebinding: a page's own name pointed at 127.0.0.1 still says so in Host.
    const port = new URL(base).port;
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/status', headers: { host: `evil.example:${port}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).error).toContain('refused Host "evil.example');
  });

  it('refuses a peer message not signed with the cluster secret (401), without reading it, and says so', async () => {
    const before = (await (await fetch(`${base}/status`)).json()) as NodeStatus;
    const heartbeat = { id: 'forged', from: 'n2', to: 'n1', algorithm: 'bully', msg: { type: 'heartbeat', epoch: 9_007_199_254_740_702, commitIndex: 0 } };
    const unsigned = await fetch(`${base}/peer`, { method: 'POST', body: JSON.stringify(heartbeat) });
    expect(unsigned.status).toBe(401);
    expect(await errorOf(unsigned)).toContain('only members of this cluster');
    const wrongKey = await fetch(`${base}/peer`, { method: 'POST', body: JSON.stringify(heartbeat), headers: { 'x-clusterlab-signature': `t=${Date.now()},sig=${'0'.repeat(64)}` } });
    expect(wrongKey.status).toBe(401);
    expect(events.some((e) => e.kind === 'auth.refused' && e.data.request === 'POST /peer')).toBe(true);
    expect(events.some((e) => e.kind === 'message.received' && e.data.id === 'forged')).toBe(false);
    expect((await (await fetch(`${base}/status`)).json()) as NodeStatus).toMatchObject({ role: 'leader', term: before.term });
  });

  it('refuses a signed message from a node the registry never listed (403), and leader traffic its epoch cannot come from', async () => {
    const stranger = await postPeer(base, { id: 's1', from: 'n42', to: 'n1', algorithm: 'bully', msg: { type: 'hello', epoch: 0 } });
    expect(stranger.status).toBe(403);
    expect(await errorOf(stranger)).toContain('does not know a node n42');
    // Epoch 1·n3 (103) can only have been won by n3: a heartbeat for it from n2 is impossible.
    const impostor = await postPeer(base, { id: 's2', from: 'n2', to: 'n1', algorithm: 'bully', msg: { type: 'heartbeat', epoch: 103, commitIndex: 0 } });
    expect(impostor.status).toBe(403);
    expect(await errorOf(impostor)).toContain('can only come from n3, not n2');
  });

  it('takes a batch of peer messages whole and in order, or refuses it whole', async () => {
    // n1 takes messages only from nodes it has heard of: n9 registers (at a port nobody answers on), and leaves after.
    const n9 = JSON.stringify({ id: 'n9', host: '127.0.0.1', port: 9 });
    expect((await signedFetch(cluster.registry, '/register', { method: 'POST', body: n9 })).status).toBe(200);
    const batch = (messages: unknown[]) => ({ from: 'n9', to: 'n1', algorithm: 'bully', messages: messages.map((msg, i) => ({ id: `batch-${i}-${JSON.stringify(msg).length}`, msg })) });
    const good = batch([{ type: 'hello', epoch: 0 }, { type: 'hello', epoch: 0 }, { type: 'election.ping', epoch: 0 }]);
    try {
      expect((await postPeer(base, good)).status).toBe(204);
    } finally {
      await signedFetch(cluster.registry, '/nodes/n9', { method: 'DELETE' });
    }
    const received = () => events.flatMap((e) => (e.kind === 'message.received' && e.data.id.startsWith('batch-') ? [e.data.id] : []));
    await waitUntil(async () => received().length === 3);
    expect(received()).toEqual(good.messages.map((m) => m.id));
    const mixed = batch([{ type: 'hello', epoch: 1 }, { type: 'heartbeat' }]);
    const refused = await postPeer(base, mixed);
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toContain('not a bully message');
    expect(received()).toHaveLength(3);
  });

  it('a node of another algorithm is refused by name, with an event, and changes nothing', async () => {
    const before = (await (await fetch(`${base}/status`)).json()) as NodeStatus;
    const vote = { type: 'request_vote', term: before.term + 50, pre: false, lastLogIndex: 999, lastLogTerm: before.term + 49 };
    const foreign = await postPeer(base, { id: 'r1', from: 'n2', to: 'n1', algorithm: 'raft', msg: vote });
    expect(foreign.status).toBe(400);
    expect(await errorOf(foreign)).toContain('a cluster cannot mix algorithms');
    // Dressed up as bully, a Raft message is still not a bully message.
    const disguised = await postPeer(base, { id: 'r2', from: 'n2', to: 'n1', algorithm: 'bully', msg: vote });
    expect(disguised.status).toBe(400);
    expect(events.filter((e) => e.kind === 'message.refused').map((e) => (e.kind === 'message.refused' ? e.data.id : ''))).toEqual(expect.arrayContaining(['r1', 'r2']));
    const after = (await (await fetch(`${base}/status`)).json()) as NodeStatus;
    expect(after).toMatchObject({ role: 'leader', term: before.term });
  });

  it('reads say how fresh they must be: bully serves local and leader reads, and refuses linearizable ones with why', async () => {
    expect((await fetch(`${base}/db/greeting?read=local`)).status).toBe(200);
    expect((await fetch(`${base}/db/greeting?read=leader`)).status).toBe(200);
    const linearizable = await fetch(`${base}/db/greeting?read=linearizable`);
    expect(linearizable.status).toBe(400);
    expect(await errorOf(linearizable)).toContain('bully cannot promise a linearizable read');
    const nonsense = await fetch(`${base}/db/greeting?read=eventually`);
    expect(nonsense.status).toBe(400);
    expect(await errorOf(nonsense)).toContain('read must be one of local, leader, linearizable');
  });

  it('a value that is not UTF-8 text is refused, not stored mangled', async () => {
    const res = await fetch(`${base}/db/bytes`, { method: 'PUT', body: new Uint8Array([0x66, 0xff, 0xfe, 0x6f]) });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toContain('not valid UTF-8');
    expect((await fetch(`${base}/db/bytes`)).status).toBe(404);
  });

  it('a key with a NUL in it is refused', async () => {
    const res = await fetch(`${base}/db/a%00b`, { method: 'PUT', body: 'v' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toContain('NUL');
  });

  it('a chunked body past the limit gets a 413 with a message, not a reset connection', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${base}/db/huge`, { method: 'PUT' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 48; i++) req.write(chunk); // 3 MiB, no Content-Length
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringContaining('larger than') });
  });

  it("what Node's HTTP parser refuses is answered in JSON too: a malformed request, headers too large", async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => socket.end(text));
        let got = '';
        socket.on('data', (c: Buffer) => (got += c.toString()));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
      });
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: expect.stringContaining('malformed HTTP request') });
    const huge = await raw(`GET /status HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('application/json');
    expect((await fetch(`${base}/status`)).status).toBe(200);
  });

  it('membership changes are for algorithms that keep membership: bully says so with a 400', async () => {
    const add = await fetch(`${base}/members/n4`, { method: 'POST' });
    expect(add.status).toBe(400);
    expect(await errorOf(add)).toContain("registry's list");
    const bad = await fetch(`${base}/members/evil`, { method: 'DELETE' });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toContain('node id like n4');
    const undecodable = await fetch(`${base}/members/%`, { method: 'POST' });
    expect(undecodable.status).toBe(400);
    expect(await errorOf(undecodable)).toContain('node id like n4');
  });

  it('the key listing pages on after a key', async () => {
    for (const key of ['page-a', 'page-b', 'page-c']) expect((await fetch(`${base}/db/${key}`, { method: 'PUT', body: key })).status).toBe(200);
    const first = (await (await fetch(`${base}/db?limit=2&after=page-`)).json()) as KvListing;
    expect(first.entries.map(([k]) => k)).toEqual(['page-a', 'page-b']);
    expect(first.truncated).toBe(true);
    const next = (await (await fetch(`${base}/db?limit=2&after=page-b`)).json()) as KvListing;
    expect(next.entries.map(([k]) => k)).toEqual(['page-c']);
  });

  it('reports what it does as events', () => {
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ['node.ready', 'leader.elected', 'kv.write', 'kv.acked', 'replication.applied']) expect(kinds).toContain(kind);
  });
});

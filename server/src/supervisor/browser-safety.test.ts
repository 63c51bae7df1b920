import { describe, expect, it } from 'vitest';
import type { ClusterView, NodeView, ServerFrame } from '@clusterlab/shared';
import { action, call, json, kvWrite } from '../test-utils/http';
import { rawRequest, tryWebSocket } from '../test-utils/raw-http';
import { useSupervisor, type TestCluster } from '../test-utils/test-supervisor';

/**
 * The dashboard server is on the learner's machine, and so is every web page they visit.
 * Those pages must not be able to drive it: not by a cross-site form post, not from another
 * origin, not by pointing a DNS name of their own at 127.0.0.1 — and, when the supervisor is
 * bound beyond loopback, nobody without its token.
 */

const EVIL = 'http://evil.example';

const n1Of = (view: ClusterView): NodeView => {
  const n1 = view.nodes.find((n) => n.id === 'n1');
  if (!n1) throw new Error('no n1 in the cluster view');
  return n1;
};

/** n1 is the process it was: still running, same pid. */
async function expectStillRunning(lab: TestCluster, before: NodeView): Promise<void> {
  expect(n1Of(await lab.cluster())).toMatchObject({ status: 'running', pid: before.pid });
}

describe('other web pages cannot drive a supervisor on loopback', () => {
  const lab = useSupervisor({ nodes: 1 }, 'all');
  const ws = (query = '') => `${lab.supervisor.url.replace(/^http/, 'ws')}ws${query}`;
  const ownOrigin = () => lab.supervisor.url.replace(/\/$/, '');

  it('needs no token on loopback, and says so', async () => {
    expect(lab.supervisor.token).toBeNull();
    expect(lab.supervisor.dashboardUrl).toBe(lab.supervisor.url);
  });

  it('refuses a text/plain POST (what a cross-site form can send) with 415 naming application/json, and n1 keeps running', async () => {
    const before = n1Of(await lab.waitForCluster((v) => (n1Of(v).status === 'running' ? v : null), { what: 'n1 running' }));
    const answer = await call<{ error: string }>(lab.api('/nodes/n1/kill'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(answer.status).toBe(415);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(answer.body.error).toMatch(/needs Content-Type: application\/json \(got "text\/plain"\)/);
    const bare = await call<{ error: string }>(lab.api('/nodes/n1/kill'), { method: 'POST' });
    expect(bare.status).toBe(415);
    expect(bare.body.error).toMatch(/got none/);
    await expectStillRunning(lab, before);
  });

  it('refuses a cross-origin text/plain POST, as a browser sends it from another site, and n1 keeps running', async () => {
    const before = n1Of(await lab.cluster());
    const answer = await call<{ error: string }>(lab.api('/nodes/n1/kill'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: EVIL },
      body: '',
    });
    expect([403, 415]).toContain(answer.status);
    expect(answer.body.error).toEqual(expect.any(String));
    await expectStillRunning(lab, before);
  });

  it('refuses a request from another origin with 403, JSON or not, and n1 keeps running', async () => {
    const before = n1Of(await lab.cluster());
    const kill = await call<{ error: string }>(lab.api('/nodes/n1/kill'), { ...action(), headers: { 'content-type': 'application/json', origin: EVIL } });
    expect(kill.status).toBe(403);
    expect(kill.body.error).toMatch(/refused a request from the web page at "http:\/\/evil\.example"/);
    const read = await call<{ error: string }>(lab.api('/cluster'), { headers: { origin: EVIL } });
    expect(read.status).toBe(403);
    // A CORS preflight from there gets no permission either.
    const preflight = await call(lab.api('/nodes/n1/kill'), { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await expectStillRunning(lab, before);
  });

  it("takes writes from the dashboard's own origin, JSON with a charset included", async () => {
    await lab.waitForLeader();
    const headers = { 'content-type': 'application/json; charset=utf-8', origin: ownOrigin() };
    const put = await call<{ status: number; value: string | null }>(lab.api('/kv/greeting'), { method: 'PUT', headers, body: JSON.stringify({ value: 'hello' }) });
    expect(put.status).toBe(200);
    const read = await call<{ value: string | null }>(lab.api('/kv/greeting'), { headers: { origin: ownOrigin() } });
    expect(read.body.value).toBe('hello');
    expect((await call(lab.api('/kv/greeting'), { ...action('DELETE'), headers }))).toMatchObject({ status: 200 });
  });

  it('refuses a Host that is not a name of this machine\'s loopback (DNS rebinding) with 421 JSON, and answers its own names', async () => {
    const port = lab.supervisor.port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
      const answer = await rawRequest(lab.api('/cluster'), { headers: { host } });
      expect(answer.status, host).toBe(421);
      expect(answer.headers['content-type']).toMatch(/application\/json/);
      expect(answer.json().error).toContain(`refused Host ${JSON.stringify(host)}`);
    }
    // The dashboard's own files too: a rebinding page reads nothing here.
    expect((await rawRequest(lab.supervisor.url, { headers: { host: 'evil.example' } })).status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawRequest(lab.api('/cluster'), { headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses /ws for a foreign Host with 421 before sending anything', async () => {
    const attempt = await tryWebSocket(ws(), { headers: { host: 'evil.example' } });
    if (attempt.opened) throw new Error('the stream opened for Host evil.example');
    expect(attempt.status).toBe(421);
    expect(JSON.parse(attempt.body).error).toContain('refused Host "evil.example"');
    expect(attempt.messagesBeforeRefusal).toBe(0);
  });

  it('refuses /ws from another origin with 403 before any frame, and opens it for its own', async () => {
    const foreign = await tryWebSocket(ws(), { origin: EVIL });
    if (foreign.opened) throw new Error('the stream opened for Origin http://evil.example');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatch(/evil\.example/);
    expect(foreign.messagesBeforeRefusal).toBe(0);

    const own = await tryWebSocket(ws(), { origin: ownOrigin() });
    if (!own.opened) throw new Error(`the stream refused its own origin: ${own.status} ${own.body}`);
    expect((own.firstFrame as ServerFrame).type).toBe('snapshot');
    own.ws.terminate();
  });

  it('takes key writes as JSON { value }, and says so to a raw text body', async () => {
    await lab.waitForLeader();
    const raw = await call<{ error: string }>(lab.api('/kv/k'), { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'v' });
    expect(raw.status).toBe(415);
    const notAnObject = await call<{ error: string }>(lab.api('/kv/k'), json('PUT', 'v'));
    expect(notAnObject).toMatchObject({ status: 400, body: { error: expect.stringMatching(/expected a JSON body \{ "value": "<text>" \}/) } });
    expect((await call(lab.api('/kv/k'), kvWrite('v'))).status).toBe(200);
  });
});

describe('a supervisor bound beyond loopback', () => {
  const lab = useSupervisor({ nodes: 1, host: '0.0.0.0' }, 'all');
  const ws = (query = '') => `${lab.supervisor.url.replace(/^http/, 'ws')}ws${query}`;

  it('makes a token and puts it in the URL to open', () => {
    const { token, dashboardUrl, url } = lab.supervisor;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(dashboardUrl).toBe(`${url}?token=${token}`);
  });

  it('answers the API only with the token: 401 JSON without it or with a wrong one, 200 with it', async () => {
    const none = await call<{ error: string }>(lab.api('/cluster'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body.error).toMatch(/listens on 0\.0\.0\.0.*needs its token.*Authorization: Bearer/);
    const wrong = await call<{ error: string }>(lab.api('/cluster'), { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/not this supervisor's token/);
    const right = await call<ClusterView>(lab.api('/cluster'), { headers: lab.auth() });
    expect(right.status).toBe(200);
    expect(right.body.nodes.map((n) => n.id)).toEqual(['n1']);
  });

  it('refuses a write without the token, and n1 keeps running', async () => {
    const before = n1Of(await lab.waitForCluster((v) => (n1Of(v).status === 'running' ? v : null), { what: 'n1 running' }));
    expect((await call(lab.api('/nodes/n1/kill'), action())).status).toBe(401);
    await expectStillRunning(lab, before);
  });

  it('serves the page itself without the token: the page has to load to read it from its URL', async () => {
    expect((await call(lab.supervisor.dashboardUrl)).status).toBe(200);
    expect((await call(lab.supervisor.url)).status).toBe(200);
  });

  it('takes any Host with the token (other machines use names it cannot know), and none without it', async () => {
    expect((await rawRequest(lab.api('/cluster'), { headers: { host: 'mybox.local:4000', ...lab.auth() } })).status).toBe(200);
    expect((await rawRequest(lab.api('/cluster'), { headers: { host: 'evil.example' } })).status).toBe(401);
  });

  it('opens /ws only with the token, as ?token= or as a header', async () => {
    const none = await tryWebSocket(ws());
    if (none.opened) throw new Error('the stream opened without the token');
    expect(none.status).toBe(401);
    expect(none.messagesBeforeRefusal).toBe(0);
    const wrong = await tryWebSocket(ws('?token=not-the-token-at-all'));
    expect(wrong.opened).toBe(false);

    const query = await tryWebSocket(ws(`?token=${lab.supervisor.token}`));
    if (!query.opened) throw new Error(`refused with the token: ${query.status} ${query.body}`);
    expect((query.firstFrame as ServerFrame).type).toBe('snapshot');
    query.ws.terminate();
    const header = await tryWebSocket(ws(), { headers: lab.auth() });
    expect(header.opened).toBe(true);
    if (header.opened) header.ws.terminate();
  });
});

describe('a supervisor given a token on loopback', () => {
  const lab = useSupervisor({ nodes: 0, token: 'a-token-chosen-by-its-user' }, 'all');

  it('requires it, with the Host check still on', async () => {
    expect(lab.supervisor.dashboardUrl).toBe(`${lab.supervisor.url}?token=a-token-chosen-by-its-user`);
    expect((await call(lab.api('/cluster'))).status).toBe(401);
    expect((await call(lab.api('/cluster'), { headers: lab.auth() })).status).toBe(200);
    expect((await rawRequest(lab.api('/cluster'), { headers: { host: 'evil.example', ...lab.auth() } })).status).toBe(421);
  });
});

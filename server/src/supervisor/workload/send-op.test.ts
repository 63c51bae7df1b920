import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActiveFault, NodeView } from '@clusterlab/shared';
import { linkRules } from '../../net/link-rules';
import type { NodeDirectory } from '../kv-proxy';
import { sendOp, type OpCall, type SendOptions } from './send-op';

/**
 * What a workload client concludes from each kind of answer, against real HTTP servers that
 * answer as a node would: only what definitely did not happen may be retried, and anything
 * that may have happened ends unknown.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nobody listens on: bound, then closed. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

function directory(urls: Record<string, string>, leader: string | null = null): NodeDirectory {
  const nodes = Object.entries(urls).map(([id, url]) => ({ id, url, status: 'running' }) as unknown as NodeView);
  return { nodes: () => nodes, leader: () => leader };
}

function options(dir: NodeDirectory, more: Partial<SendOptions> = {}): SendOptions {
  return { directory: dir, first: 'n1', stickToFirst: false, read: 'local', readTimeoutMs: 500, writeTimeoutMs: 500, draw: () => 0.5, sleep: async () => {}, ...more };
}

const WRITE: OpCall = { kind: 'write', key: 'k', value: 'c1-1' };
const READ: OpCall = { kind: 'read', key: 'k', value: null };

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('a workload client reading what a node answered', () => {
  it('follows a redirect to the leader, and learns who leads', async () => {
    const leader = await serve((_req, res) => json(res, 200, { index: 7 }));
    const follower = await serve((_req, res) => json(res, 307, { leader: 'n2' }, { location: `${leader}/db/k` }));
    const result = await sendOp(WRITE, options(directory({ n1: follower, n2: leader })));
    expect(result).toMatchObject({ outcome: 'ok', node: 'n2', leader: 'n2' });
    expect(result.reply).toContain('index 7');
  });

  it('retries a write a node says it did not take, at another node, then gives up as failed', async () => {
    let asked = 0;
    const busy = await serve((_req, res) => {
      asked++;
      json(res, 503, { error: 'no leader', maybeApplied: false });
    });
    const result = await sendOp(WRITE, options(directory({ n1: busy, n2: busy })));
    expect(result.outcome).toBe('fail');
    expect(asked).toBe(5);
  });

  it('never retries a write that may still happen', async () => {
    let asked = 0;
    const maybe = await serve((_req, res) => {
      asked++;
      json(res, 503, { error: 'lost leadership before the write was acknowledged', maybeApplied: true });
    });
    expect((await sendOp(WRITE, options(directory({ n1: maybe })))).outcome).toBe('unknown');
    const late = await serve((_req, res) => json(res, 504, { error: 'not acknowledged in time', index: 3 }));
    expect((await sendOp(WRITE, options(directory({ n1: late })))).outcome).toBe('unknown');
    expect(asked).toBe(1);
  });

  it('takes a refused connection as not done, and a silent or vanishing node as maybe done', async () => {
    const ok = await serve((_req, res) => json(res, 200, { index: 1 }));
    const refused = await sendOp(WRITE, options(directory({ n1: await deadUrl(), n2: ok })));
    expect(refused).toMatchObject({ outcome: 'ok', node: 'n2' });

    const silent = await serve(() => {});
    expect((await sendOp(WRITE, options(directory({ n1: silent })))).reply).toMatch(/no answer from n1 within 500 ms/);
    const vanishing = await serve((req) => req.socket.destroy());
    expect((await sendOp(WRITE, options(directory({ n1: vanishing })))).outcome).toBe('unknown');
  });

  it('reads a 404 as the key being absent, and a 400 as failed', async () => {
    const absent = await serve((_req, res) => json(res, 404, { error: 'not found' }));
    expect(await sendOp(READ, options(directory({ n1: absent })))).toMatchObject({ outcome: 'ok', value: null });
    const refuses = await serve((_req, res) => json(res, 400, { error: 'bully cannot read linearizably' }));
    expect(await sendOp(READ, options(directory({ n1: refuses })))).toMatchObject({ outcome: 'fail' });
  });

  it('ends an op whose request a fault cut as unknown, naming the fault, without sending it', async () => {
    let asked = 0;
    const node = await serve((_req, res) => {
      asked++;
      json(res, 200, { index: 1 });
    });
    const active: ActiveFault[] = [{ id: 'cut-1', fault: { kind: 'cut', from: 'c1', to: 'n1' } }];
    const links = (n: string) => ({ there: linkRules(active, 'c1', n), back: linkRules(active, n, 'c1') });
    const result = await sendOp(WRITE, options(directory({ n1: node }), { links }));
    expect(result).toMatchObject({ outcome: 'unknown', lostTo: 'cut by cut-1' });
    expect(asked).toBe(0);
  });
});

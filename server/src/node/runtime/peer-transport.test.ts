import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOLS, type EventBody, type PeerBatch, type PeerMessage, type Protocol } from '@clusterlab/shared';
import { waitFor } from '../../test-utils/wait-for';
import { PeerTransport } from './peer-transport';
import { testSigner } from '../../test-utils/test-secret';

/** A peer that records what arrives, on a real socket, answering each POST when told to. */
async function peer(delayMs = 0) {
  const received: { ids: string[]; bodies: number } = { ids: [], bodies: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.bodies++;
      const parsed = JSON.parse(body) as PeerBatch;
      received.ids.push(...parsed.messages.map((m) => m.id));
      setTimeout(() => res.writeHead(204).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const servers: http.Server[] = [];
const transports: PeerTransport[] = [];
afterEach(() => {
  for (const t of transports.splice(0)) t.close();
  for (const s of servers.splice(0)) s.close();
});

function transport(events: EventBody[], undeliverable: string[] = []) {
  const t = new PeerTransport({
    self: 'n1',
    algorithm: 'bully',
    protocol: PROTOCOLS.bully as Protocol,
    timeoutMs: 1000,
    maxQueuedPerPeer: 1000,
    maxBatchBytes: 64 * 1024,
    onUndeliverable: (to) => undeliverable.push(to),
    emit: (e) => events.push(e),
    signer: testSigner,
  });
  transports.push(t);
  return t;
}

const hello = (epoch: number): PeerMessage => ({ type: 'hello', epoch });
const sentIds = (events: EventBody[]) => events.flatMap((e) => (e.kind === 'message.sent' ? [e.data.id] : []));

describe('the peer transport', () => {
  it('delivers one peer its messages in the order they were sent, batching what queues up behind the one in flight', async () => {
    const { received, url } = await peer(5);
    const events: EventBody[] = [];
    const t = transport(events);
    t.setAddresses([['n2', url]]);
    for (let i = 0; i < 300; i++) t.send('n2', hello(i));
    await waitFor(() => received.ids.length === 300, { what: 'all 300 messages', timeoutMs: 5000 });
    expect(received.ids).toEqual(sentIds(events));
    expect(received.bodies).toBeLessThan(20);
  });

  it('reports every message of a batch that cannot be delivered, each with a dropped event', async () => {
    const events: EventBody[] = [];
    const undeliverable: string[] = [];
    const t = transport(events, undeliverable);
    t.setAddresses([['n2', 'http://127.0.0.1:9']]); // nobody listens there
    for (let i = 0; i < 5; i++) t.send('n2', hello(i));
    await waitFor(() => undeliverable.length === 5, { what: 'five undeliverable reports', timeoutMs: 5000 });
    expect(events.filter((e) => e.kind === 'message.dropped')).toHaveLength(5);
  });
});

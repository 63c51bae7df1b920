import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOLS, type EventBody, type PeerBatch, type PeerMessage, type Protocol } from '@clusterlab/shared';
import { waitFor } from '../../test-utils/wait-for';
import { PeerTransport } from './peer-transport';
import { LinkFaults } from './link-faults';
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

function transport(events: EventBody[], undeliverable: string[] = [], faults?: LinkFaults, timeoutMs = 1000) {
  const t = new PeerTransport({
    self: 'n1',
    bootId: 'b1',
    algorithm: 'bully',
    protocol: PROTOCOLS.bully as Protocol,
    rules: faults ? (to) => faults.to(to) : undefined,
    timeoutMs,
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
    expect(events.filter((e) => e.kind === 'message.lost')).toHaveLength(5);
  });

  it('drops what it sends on a cut link at once, naming the fault, and reports it undeliverable only when a request would have timed out', async () => {
    const { received, url } = await peer();
    const events: EventBody[] = [];
    const undeliverable: string[] = [];
    const faults = new LinkFaults('n1', [{ id: 'partition-1', fault: { kind: 'partition', groups: [['n1'], ['n2']] } }]);
    const t = transport(events, undeliverable, faults, 300);
    t.setAddresses([['n2', url]]);
    const sentAt = Date.now();
    t.send('n2', hello(1));
    const dropped = events.find((e) => e.kind === 'message.lost');
    expect(dropped).toMatchObject({ data: { to: 'n2', reason: 'cut by partition-1' } });
    expect(undeliverable).toEqual([]);
    await waitFor(() => undeliverable.length === 1, { what: 'the undeliverable report', timeoutMs: 2000 });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(290);
    expect(received.bodies).toBe(0);
    // The cut is one link: healed, the next message goes.
    faults.set([]);
    t.send('n2', hello(2));
    await waitFor(() => received.ids.length === 1, { what: 'the message after the heal', timeoutMs: 2000 });
  });

  it('holds each message for a steady delay and keeps their order; a duplicate arrives twice under one id', async () => {
    const { received, url } = await peer();
    const events: EventBody[] = [];
    const faults = new LinkFaults('n1', [{ id: 'delay-1', fault: { kind: 'delay', from: 'n1', to: 'n2', ms: 150, jitterMs: 0 } }]);
    const t = transport(events, [], faults);
    t.setAddresses([['n2', url]]);
    const sentAt = Date.now();
    for (let i = 0; i < 20; i++) t.send('n2', hello(i));
    await waitFor(() => received.ids.length === 20, { what: 'the 20 delayed messages', timeoutMs: 3000 });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(145);
    expect(received.ids).toEqual(sentIds(events));

    faults.set([{ id: 'duplicate-1', fault: { kind: 'duplicate', rate: 1 } }]);
    t.send('n2', hello(99));
    await waitFor(() => received.ids.length === 22, { what: 'both copies', timeoutMs: 3000 });
    expect(received.ids.slice(20)).toEqual([sentIds(events).at(-1), sentIds(events).at(-1)]);
  });

  it('loses a delayed message to a cut that begins while it waits', async () => {
    const { received, url } = await peer();
    const events: EventBody[] = [];
    const faults = new LinkFaults('n1', [{ id: 'delay-1', fault: { kind: 'delay', ms: 200, jitterMs: 0 } }]);
    const t = transport(events, [], faults);
    t.setAddresses([['n2', url]]);
    t.send('n2', hello(1));
    faults.set([...faults.list(), { id: 'cut-1', fault: { kind: 'cut', from: 'n1', to: 'n2' } }]);
    await waitFor(() => events.some((e) => e.kind === 'message.lost'), { what: 'the drop', timeoutMs: 2000 });
    expect(events.find((e) => e.kind === 'message.lost')).toMatchObject({ data: { reason: 'cut-1 cut it in flight' } });
    expect(received.bodies).toBe(0);
  });

  it('holds back no more messages behind a delay than a lane may queue', () => {
    const events: EventBody[] = [];
    const undeliverable: string[] = [];
    const faults = new LinkFaults('n1', [{ id: 'delay-1', fault: { kind: 'delay', ms: 600_000, jitterMs: 0 } }]);
    const t = transport(events, undeliverable, faults);
    t.setAddresses([['n2', 'http://127.0.0.1:9']]);
    for (let i = 0; i <= 1000; i++) t.send('n2', hello(i));
    const dropped = events.filter((e) => e.kind === 'message.lost');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ data: { reason: '1000 messages already held back by a delay for n2' } });
    expect(undeliverable).toEqual(['n2']);
  });
});

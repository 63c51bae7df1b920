import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BullyMessage,
  MAX_KEY_BYTES,
  MAX_LOG_INDEX,
  MAX_PEER_MESSAGE_BYTES,
  MAX_TERM,
  MAX_VALUE_BYTES,
  PROTOCOLS,
  RaftMessage,
  type AlgorithmId,
  type EventBody,
  type PeerMessage,
  type Protocol,
} from '@clusterlab/shared';
import { useOneNodeCluster } from '../../test-utils/one-node-cluster';
import { postPeer } from '../../test-utils/test-secret';
import { testSigner } from '../../test-utils/test-secret';
import { waitFor } from '../../test-utils/wait-for';
import { PeerTransport } from './peer-transport';

/**
 * The cap on POST /peer bodies (MAX_PEER_MESSAGE_BYTES, shared/src/limits.ts, where the
 * arithmetic is) is what the largest legitimate message needs: one write of a 1 KiB key and a
 * 1 MiB value made of control characters, which JSON writes as six bytes each, in whichever
 * message carries it. Here are those messages, framed by the real transport; each fits, and
 * a body one byte over the cap is refused before it is read.
 */
const cluster = useOneNodeCluster();

const KEY = '\u0001'.repeat(MAX_KEY_BYTES);
const VALUE = '\u0001'.repeat(MAX_VALUE_BYTES);
const T = MAX_TERM;
/** The largest bully epoch n99 can lead (an epoch is round·100 + rank): its leader traffic is not refused for its sender. */
const E = MAX_TERM - (MAX_TERM % 100) - 1;
const I = MAX_LOG_INDEX;
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `n${from + i}`);

const WORST: { algorithm: AlgorithmId; what: string; msg: PeerMessage }[] = [
  {
    algorithm: 'bully',
    what: 'a bully append of one maximal write',
    msg: BullyMessage.parse({ type: 'append', epoch: E, prevIndex: I, prevEpoch: E, entries: [{ index: I, epoch: E, op: { type: 'put', key: KEY, value: VALUE } }], commitIndex: I }),
  },
  {
    algorithm: 'bully',
    what: 'a bully snapshot chunk of one maximal pair',
    msg: BullyMessage.parse({ type: 'snapshot', epoch: E, index: I, indexEpoch: E, offset: I, data: [[KEY, { value: VALUE, index: I }]], done: true, commitIndex: I }),
  },
  {
    algorithm: 'raft',
    what: 'a Raft append of one maximal write',
    msg: RaftMessage.parse({ type: 'append_entries', term: T, prevLogIndex: I, prevLogTerm: T, entries: [{ index: I, term: T, command: { type: 'put', key: KEY, value: VALUE } }], leaderCommit: I, round: I }),
  },
  {
    algorithm: 'raft',
    what: 'a Raft snapshot chunk of one maximal pair, with the largest configuration',
    msg: RaftMessage.parse({
      type: 'install_snapshot',
      term: T,
      lastIncludedIndex: I,
      lastIncludedTerm: T,
      config: { voters: ids(1, 50), learners: ids(51, 99) },
      offset: I,
      data: [[KEY, { value: VALUE, index: I }]],
      done: true,
    }),
  },
];

const servers: http.Server[] = [];
const transports: PeerTransport[] = [];
afterAll(() => {
  for (const t of transports) t.close();
  for (const s of servers) s.close();
});

function transport(algorithm: AlgorithmId, events: EventBody[]): PeerTransport {
  const t = new PeerTransport({
    self: 'n99', // the longest id a sender can have
    bootId: 'zzzzzzzzzzzz', // as long as a process's boot id gets (pid and time in base 36)
    algorithm,
    protocol: PROTOCOLS[algorithm] as Protocol,
    timeoutMs: 10_000,
    maxQueuedPerPeer: 100,
    maxBatchBytes: 1024 * 1024,
    onUndeliverable: () => {},
    emit: (e) => events.push(e),
    signer: testSigner,
  });
  transports.push(t);
  return t;
}

/** A peer that only measures what arrives. */
async function measuringPeer(): Promise<{ url: string; bodies: number[] }> {
  const bodies: number[] = [];
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on('data', (c: Buffer) => (size += c.length));
    req.on('end', () => {
      bodies.push(size);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

describe('the cap on peer bodies', () => {
  it('is about 6 MiB, not 64', () => {
    expect(MAX_PEER_MESSAGE_BYTES).toBe(6_363_392);
  });

  for (const { algorithm, what, msg } of WORST) {
    it(`fits ${what}, as the transport frames it (with small messages queued around it)`, async () => {
      const peer = await measuringPeer();
      const t = transport(algorithm, []);
      t.setAddresses([['n98', peer.url]]);
      const small: PeerMessage = algorithm === 'bully' ? { type: 'hello', epoch: 1 } : { type: 'request_vote', term: 1, pre: true, lastLogIndex: 0, lastLogTerm: 0 };
      t.send('n98', small); // in flight while the rest queues
      t.send('n98', small);
      t.send('n98', msg);
      t.send('n98', small);
      await waitFor(() => peer.bodies.length >= 3, { what: 'every body to arrive', timeoutMs: 10_000 });
      const largest = Math.max(...peer.bodies);
      expect(largest).toBeGreaterThan(6 * MAX_VALUE_BYTES); // it really is the worst case
      expect(largest).toBeLessThanOrEqual(MAX_PEER_MESSAGE_BYTES);
    });
  }

  it('a node takes the worst bully message whole (it refuses the sender only after reading it), and answers 413 one byte past the cap', async () => {
    const events: EventBody[] = [];
    const t = transport('bully', events);
    t.setAddresses([['n1', cluster.base]]);
    t.send('n1', WORST[0]!.msg);
    const dropped = await waitFor(() => events.find((e) => e.kind === 'message.lost'), { what: 'the answer to the worst message', timeoutMs: 10_000 });
    // n99 is no node the registry ever listed: that is checked after the body is read, parsed and found to be a bully message.
    expect(dropped).toMatchObject({ data: { reason: 'n1 answered HTTP 403' } });
    expect(cluster.events.some((e) => e.kind === 'message.refused' && /n99 is not a node this one knows of/.test(e.data.reason))).toBe(true);

    const atCap = await postPeer(cluster.base, 'x'.repeat(MAX_PEER_MESSAGE_BYTES));
    expect(atCap.status).toBe(400); // read whole: it is just not JSON
    const over = await postPeer(cluster.base, 'x'.repeat(MAX_PEER_MESSAGE_BYTES + 1));
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: string }).error).toMatch(`larger than ${MAX_PEER_MESSAGE_BYTES} bytes`);
  });
});

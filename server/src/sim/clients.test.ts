import { describe, expect, it } from 'vitest';
import type { NodeId } from '@clusterlab/shared';
import type { ClientRequest } from '../node/core/types';
import { SimClient, type Answer, type ClientHost, type ClientOptions } from './clients';
import { EventQueue } from './event-queue';
import { HistoryRecorder } from './history-recorder';
import { RegisterWork, type RegisterWorkOptions } from './register-work';
import { Rng } from '@clusterlab/shared';

/** A world for one client: requests are not delivered anywhere; the test answers them. */
class FakeHost implements ClientHost {
  readonly queue = new EventQueue();
  readonly sent: { to: NodeId; request: ClientRequest; answer: (a: Answer) => void }[] = [];
  get now() {
    return this.queue.now;
  }
  after(delayMs: number, run: () => void) {
    this.queue.after(delayMs, run);
  }
  nodes() {
    return ['n1', 'n2', 'n3'];
  }
  request(_client: string, to: NodeId, request: ClientRequest, onAnswer: (a: Answer) => void) {
    this.sent.push({ to, request, answer: onAnswer });
  }
  /** Run until the client has sent `count` requests in all (or time is up). */
  until(count: number, maxMs = 60_000) {
    while (this.sent.length < count && this.queue.size > 0 && this.queue.nextAt() <= maxMs) this.queue.runNext();
  }
  last() {
    return this.sent.at(-1)!;
  }
}

/** One client that only writes, so every op is a put. */
function setup(overrides: Partial<ClientOptions & RegisterWorkOptions> = {}) {
  const host = new FakeHost();
  const history = new HistoryRecorder();
  const rng = new Rng(1);
  const work = new RegisterWork('c1', rng, history, { keys: ['k'], readMode: 'local', readShare: 0, deleteShare: 0, casShare: 0, ...overrides });
  const client = new SimClient('c1', host, rng, work, { thinkMeanMs: 10, timeoutMs: 1000, maxAttempts: 4, backoffMs: 50, readFrom: 'home', ...overrides });
  client.start();
  host.until(1);
  const op = () => history.history()[0]!;
  return { host, history, client, op };
}

const reply = (node: NodeId, r: Extract<Answer, { type: 'reply' }>['reply']): Answer => ({ type: 'reply', node, reply: r });

describe('a simulated client', () => {
  it('follows a redirect to the leader within the same op, and keeps the leader as its home', () => {
    const { host, op } = setup();
    const first = host.last();
    first.answer(reply(first.to, { type: 'redirect', leader: 'n3' }));
    expect(host.last().to).toBe('n3');
    expect(host.last().request).toEqual(first.request);
    host.last().answer(reply('n3', { type: 'ok', index: 1, term: 3 }));
    expect(op()).toMatchObject({ kind: 'write', outcome: 'ok', node: 'n3', value: 'c1-1' });
    host.until(3);
    expect(host.last().to).toBe('n3'); // the next op goes straight to the leader
    expect(host.last().request).toMatchObject({ value: 'c1-2' }); // every write's value is unique
  });

  it('retries elsewhere after an answer that proves the write was not applied, and fails when out of attempts', () => {
    const { host, op } = setup();
    for (let attempt = 1; attempt <= 4; attempt++) {
      host.until(attempt);
      expect(host.sent).toHaveLength(attempt);
      host.last().answer(reply(host.last().to, { type: 'unavailable', reason: 'no leader', maybeApplied: false }));
    }
    expect(op()).toMatchObject({ outcome: 'fail' });
    expect(op().completeMs).not.toBeNull();
  });

  it('a refused connection (the node is down) also means not applied: retried at another node', () => {
    const { host, op } = setup();
    const down = host.last().to;
    host.last().answer({ type: 'refused', node: down });
    host.until(2);
    expect(host.sent).toHaveLength(2);
    expect(host.last().to).not.toBe(down);
    expect(op().outcome).toBe('unknown'); // not finished yet
  });

  it.each([
    ['a timeout reply', reply('n1', { type: 'timeout', index: 4 })],
    ['unavailable that may have applied', reply('n1', { type: 'unavailable', reason: 'lost leadership', maybeApplied: true })],
    ['a connection reset by a dying node', { type: 'reset', node: 'n1' } as Answer],
  ])('%s makes the op unknown, and it is never retried (a retry could apply it twice)', (_what, answer) => {
    const { host, op } = setup();
    host.last().answer(answer);
    expect(op()).toMatchObject({ outcome: 'unknown', completeMs: null });
    host.until(2);
    expect(host.sent[1]?.request).not.toEqual(host.sent[0]!.request); // the next request is a new op
  });

  it('no answer within the client timeout: unknown, and the next op tries another node', () => {
    const { host, op } = setup();
    host.last().answer(reply(host.last().to, { type: 'redirect', leader: 'n3' }));
    host.until(3, 999);
    expect(host.sent).toHaveLength(2);
    expect(op().outcome).toBe('unknown');
    host.until(3, 1001);
    expect(op()).toMatchObject({ outcome: 'unknown', completeMs: null });
    host.until(3);
    expect(host.last().to).not.toBe('n3');
  });

  it('an answer that comes after the client gave up is ignored', () => {
    const { host, op } = setup();
    const late = host.last();
    host.until(2); // the timeout fires and a new op starts
    late.answer(reply(late.to, { type: 'ok', index: 1, term: 1 }));
    expect(op().outcome).toBe('unknown');
  });

  it('a read records the value the node returned, absent as null', () => {
    const { host, history } = setup({ readShare: 1 });
    host.last().answer(reply('n2', { type: 'value', value: { value: 'v', index: 3 } }));
    host.until(2);
    host.last().answer(reply('n2', { type: 'value', value: null }));
    expect(history.history().map((o) => [o.kind, o.value, o.outcome])).toEqual([
      ['read', 'v', 'ok'],
      ['read', null, 'ok'],
    ]);
  });

  it('stops starting ops when told, but finishes the one in flight', () => {
    const { host, client, op } = setup();
    client.stop();
    host.last().answer(reply(host.last().to, { type: 'ok', index: 1, term: 1 }));
    expect(op().outcome).toBe('ok');
    host.until(2);
    expect(host.sent).toHaveLength(1);
    expect(client.busy).toBe(false);
  });
});

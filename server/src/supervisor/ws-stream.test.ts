import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_SETTINGS, type ClusterEvent, type ClusterView, type ServerFrame } from '@clusterlab/shared';
import { EventLog } from './event-log';
import { attachEventStream } from './ws-stream';
import { call, json } from '../test-utils/http';
import { waitFor } from '../test-utils/wait-for';
import { useSupervisor } from '../test-utils/test-supervisor';
import { signedFetch, TEST_SECRET } from '../test-utils/test-secret';

/** The /ws stream over a real socket: a snapshot first, batched frames after, and resume without gaps. */

type Stream = { ws: WebSocket; frames: ServerFrame[]; seqs(): number[] };
const open: WebSocket[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.terminate();
});

async function connect(baseUrl: string, since?: number, boot?: string): Promise<Stream> {
  const query = since === undefined ? '' : `?since=${since}${boot === undefined ? '' : `&boot=${boot}`}`;
  const url = `${baseUrl.replace(/^http/, 'ws')}ws${query}`;
  const ws = new WebSocket(url);
  open.push(ws);
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const seqs = () => frames.flatMap((f) => (f.type === 'cluster' ? [] : f.events.map((e) => e.seq)));
  return { ws, frames, seqs };
}

describe('the live stream at /ws', () => {
  const lab = useSupervisor({ nodes: 0, secret: TEST_SECRET, settings: { registryTtlMs: 60_000 } });

  /** Each fake registration makes the registry emit one registry.registered event. */
  const register = async (id: string) => {
    const { registry } = await lab.cluster();
    const answer = await signedFetch(registry.url as string, '/register', { method: 'POST', body: JSON.stringify({ id, host: '127.0.0.1', port: 6000 }) });
    expect(answer.status).toBe(200);
  };
  const registeredIn = (events: ClusterEvent[], id: string) => events.some((e) => e.kind === 'registry.registered' && e.data.id === id);
  const seen = (stream: Stream, id: string) =>
    stream.frames.some((f) => f.type !== 'cluster' && registeredIn(f.events, id));

  it('opens with a snapshot of the cluster and recent events, then streams new events in batches', async () => {
    await lab.waitForEvent('registry.ready');
    const stream = await connect(lab.supervisor.url);
    await waitFor(() => stream.frames.length > 0, { what: 'the first frame' });
    const first = stream.frames[0];
    if (first?.type !== 'snapshot') throw new Error(`expected a snapshot first, got ${first?.type}`);
    expect(first.cluster.registry.status).toBe('running');
    expect(first.events.at(-1)?.seq ?? 0).toBe(first.lastSeq);
    expect(first.events[0]).toMatchObject({ seq: 1, kind: 'cluster.started' });

    for (const id of ['n1', 'n2', 'n3', 'n4', 'n5']) await register(id);
    await waitFor(() => seen(stream, 'n5'), { what: 'n5 registered, on the stream' });
    // Batched: five registrations do not need five frames, and the view follows in `cluster` frames.
    await waitFor(() => stream.frames.some((f) => f.type === 'cluster' && f.cluster.registry.nodes.length === 5), {
      what: 'a cluster frame listing five registered nodes',
    });
    const seqs = stream.seqs();
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('resumes from ?since with exactly the missed events: no duplicates, no gaps', async () => {
    const first = await connect(lab.supervisor.url);
    await register('n1');
    await waitFor(() => seen(first, 'n1'), { what: 'n1 registered, on the first stream' });
    first.ws.close();
    const snapshot = first.frames[0];
    if (snapshot?.type !== 'snapshot') throw new Error('the first frame must be a snapshot');
    // What this browser saw before it went away (a frame still in flight does not count).
    const seenFirst = first.seqs();
    const lastSeen = Math.max(...seenFirst);

    // Things happen while the browser is away…
    for (const id of ['n2', 'n3', 'n4']) await register(id);
    await waitFor(async () => registeredIn((await lab.events(lastSeen)).events, 'n4'), { what: 'n4 registered while away' });

    // …and come back as one `events` frame, not a snapshot, followed by the live stream.
    const second = await connect(lab.supervisor.url, lastSeen, snapshot.bootId);
    await waitFor(() => second.frames.length >= 2, { what: 'the resume frames' });
    expect(second.frames[0]?.type).toBe('events');
    expect(second.frames[1]?.type).toBe('cluster');
    await register('n5');
    await waitFor(() => seen(second, 'n5'), { what: 'n5 registered, on the second stream' });

    const all = [...seenFirst, ...second.seqs()];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    const history = (await lab.events()).events.map((e) => e.seq);
    expect(history.slice(0, all.length)).toEqual(all);
  });

  it('sends a fresh snapshot to a client resuming from another supervisor run (sequence numbers restart)', async () => {
    await register('n6');
    const elsewhere = await connect(lab.supervisor.url, 1, 'a-previous-run');
    await waitFor(() => elsewhere.frames.length > 0, { what: 'a frame' });
    expect(elsewhere.frames[0]?.type).toBe('snapshot');
  });

  it('sends a fresh snapshot to a client whose seq it cannot vouch for', async () => {
    const fromTheFuture = await connect(lab.supervisor.url, 999_999);
    await waitFor(() => fromTheFuture.frames.length > 0, { what: 'a frame' });
    expect(fromTheFuture.frames[0]?.type).toBe('snapshot');
    const garbage = await connect(`${lab.supervisor.url}`, Number.NaN);
    await waitFor(() => garbage.frames.length > 0, { what: 'a frame' });
    expect(garbage.frames[0]?.type).toBe('snapshot');
  });

  it('refuses a WebSocket on any other path', async () => {
    const ws = new WebSocket(`${lab.supervisor.url.replace(/^http/, 'ws')}elsewhere`);
    open.push(ws);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.once('error', (err) => resolve(err.message));
    });
    expect(outcome).toMatch(/404/);
  });
});

describe('a browser that cannot keep up', () => {
  it('is dropped rather than buffered without end', async () => {
    const log = new EventLog(5000);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const view = (): ClusterView => ({
      leader: null,
      term: 0,
      settings: DEFAULT_SETTINGS,
      nodes: [],
      registry: { status: 'running', pid: null, port: null, url: null, ttlMs: 1000, nodes: [] },
      now: Date.now(),
    });
    const lines: string[] = [];
    const stream = attachEventStream({ server, log, view, logLine: (l) => lines.push(l), eventsIntervalMs: 10, maxBufferedBytes: 256 * 1024, dropGraceMs: 200 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`);
      open.push(ws);
      await new Promise((resolve) => ws.once('open', resolve));
      await waitFor(() => stream.clientCount() === 1, { what: 'the client to be counted' });
      // The browser stops reading (a frozen tab); the supervisor keeps producing.
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const reason = 'x'.repeat(10_000);
      await waitFor(
        () => {
          for (let i = 0; i < 200; i += 1) log.append({ node: 'n1', time: i, lamport: i, kind: 'kv.failed', data: { key: 'k', index: null, reason } });
          return stream.clientCount() === 0;
        },
        { what: 'the slow client to be dropped', timeoutMs: 20_000, intervalMs: 20 },
      );
      expect(lines.some((l) => /dropping a client/.test(l))).toBe(true);
    } finally {
      stream.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

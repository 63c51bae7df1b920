import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClusterView, ServerFrame } from '@clusterlab/shared';
import type { EventLog } from './event-log';
import { rawJsonResponse } from '../http/parser-errors';

/**
 * The live stream to browsers at /ws. A browser gets one snapshot, then batched frames a few
 * times a second — everything new as one `events` frame, and a `cluster` frame when the view
 * changed — never a frame per event. A browser that reconnects with ?since=<seq> gets just
 * what it missed, if the ring buffer still holds all of it, so it sees every event once.
 */

export type EventStreamOptions = {
  server: Server;
  log: EventLog;
  /** The cluster view as of now. */
  view(): ClusterView;
  logLine(line: string): void;
  path?: string;
  eventsIntervalMs?: number;
  clusterIntervalMs?: number;
  /** Events in a snapshot: enough to draw recent history, not the whole buffer. */
  snapshotEvents?: number;
  /** A client this far behind is not keeping up; it is dropped rather than buffered without end. */
  maxBufferedBytes?: number;
  maxClients?: number;
  pingIntervalMs?: number;
};

type Client = { ws: WebSocket; cursor: number; alive: boolean };

export type EventStream = { clientCount(): number; close(): void };

export function attachEventStream(options: EventStreamOptions): EventStream {
  const {
    server,
    log,
    view,
    logLine,
    path = '/ws',
    eventsIntervalMs = 100,
    clusterIntervalMs = 200,
    snapshotEvents = 2000,
    maxBufferedBytes = 16 * 1024 * 1024,
    maxClients = 200,
    pingIntervalMs = 20_000,
  } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<Client>();
  const bootId = randomUUID();
  /** The seq up to which every up-to-date client has been sent events. */
  let sentSeq = log.lastSeq;
  let lastClusterJson = '';
  let lastClusterAt = 0;

  const send = (client: Client, data: string): void => {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    if (client.ws.bufferedAmount > maxBufferedBytes) {
      logLine(`[ws] dropping a client that is ${client.ws.bufferedAmount} bytes behind`);
      client.ws.terminate();
      clients.delete(client);
      return;
    }
    client.ws.send(data);
  };
  const frame = (f: ServerFrame): string => JSON.stringify(f);

  /** An upgrade refused is answered like every other error: a JSON `{ error }`. */
  const refuse = (socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void => {
    socket.on('error', () => socket.destroy());
    socket.once('finish', () => socket.destroy());
    socket.end(rawJsonResponse(status, message, headers));
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Nothing catches what an 'upgrade' listener throws: a target that is no URL must not.
    if (!URL.canParse(req.url ?? '/', 'http://localhost')) {
      refuse(socket, 400, 'the request target is not a valid URL');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      refuse(socket, 404, `there is no WebSocket at ${url.pathname.slice(0, 200)}; the event stream is at ${path}`);
      return;
    }
    if (clients.size >= maxClients) {
      refuse(socket, 503, `the event stream already has ${maxClients} clients`, { 'retry-after': '5' });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => welcome(ws, url.searchParams.get('since'), url.searchParams.get('boot')));
  };
  // A handshake ws refuses (not GET, no key, an unknown version…) would get a text/html answer.
  wss.on('wsClientError', (err, socket, req) => {
    if (req.method !== 'GET') refuse(socket, 405, `${err.message}: a WebSocket opens with GET`, { allow: 'GET' });
    else refuse(socket, 400, err.message, /version/i.test(err.message) ? { 'sec-websocket-version': '13, 8' } : {});
  });

  const welcome = (ws: WebSocket, sinceParam: string | null, boot: string | null): void => {
    const client: Client = { ws, cursor: sentSeq, alive: true };
    clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => clients.delete(client));
    ws.on('error', () => clients.delete(client));
    // The stream only sends. A client that talks is not the dashboard, and is told so (1003:
    // data this endpoint does not take) rather than left to wonder where its words went.
    ws.on('message', () => ws.close(1003, 'this stream only sends; it takes no messages'));

    const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;
    const cluster = view();
    // Resume only within this supervisor's life (its boot id) and what has been streamed.
    if (since !== null && boot === bootId && since <= sentSeq && log.hasAllAfter(since)) {
      send(client, frame({ type: 'events', events: log.after(since, Number.POSITIVE_INFINITY, sentSeq) }));
      send(client, frame({ type: 'cluster', cluster }));
      return;
    }
    send(client, frame({ type: 'snapshot', cluster, events: log.snapshot(snapshotEvents, snapshotEvents, sentSeq), lastSeq: sentSeq, bootId }));
  };

  const flushEvents = (): void => {
    const upTo = log.lastSeq;
    if (upTo === sentSeq) return;
    const shared = frame({ type: 'events', events: log.after(sentSeq, Number.POSITIVE_INFINITY, upTo) });
    for (const client of clients) {
      if (client.cursor === sentSeq) send(client, shared);
      else if (client.cursor < upTo) send(client, frame({ type: 'events', events: log.after(client.cursor, Number.POSITIVE_INFINITY, upTo) }));
      client.cursor = upTo;
    }
    sentSeq = upTo;
  };

  const flushCluster = (now: number): void => {
    if (now - lastClusterAt < clusterIntervalMs) return;
    if (clients.size === 0) {
      lastClusterJson = '';
      return;
    }
    const cluster = view();
    // `now` changes every time; only a change in what the cluster is doing is news.
    const json = JSON.stringify({ ...cluster, now: 0 });
    if (json === lastClusterJson) return;
    lastClusterJson = json;
    lastClusterAt = now;
    const data = frame({ type: 'cluster', cluster });
    for (const client of clients) send(client, data);
  };

  const tick = setInterval(() => {
    try {
      flushEvents();
      flushCluster(Date.now());
    } catch (err) {
      logLine(`[ws] broadcast failed: ${(err as Error).message}`);
    }
  }, eventsIntervalMs);

  const ping = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.ws.terminate();
        clients.delete(client);
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, pingIntervalMs);

  server.on('upgrade', onUpgrade);

  return {
    clientCount: () => clients.size,
    close() {
      clearInterval(tick);
      clearInterval(ping);
      server.off('upgrade', onUpgrade);
      for (const client of clients) client.ws.terminate();
      clients.clear();
      wss.close();
    },
  };
}

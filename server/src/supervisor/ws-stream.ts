import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { WS_CLOSE_FELL_BEHIND, type ClusterView, type ServerFrame } from '@clusterlab/shared';
import { refuseUpgrade } from '../http/upgrade-refusal';
import type { EventLog } from './event-log';
import type { Refusal } from '../http/guards/refusal';

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
  /**
   * Bytes a client may leave unread beyond its opening frame before it is dropped (closed
   * with WS_CLOSE_FELL_BEHIND and a reason that says how far behind it was). Default 1 MiB.
   */
  maxBufferedBytes?: number;
  /** How long a dropped client has to read its close frame before its socket is destroyed. */
  dropGraceMs?: number;
  maxClients?: number;
  pingIntervalMs?: number;
  /** Checks an upgrade request before anything is sent; a refusal is answered as HTTP. */
  admit?(req: IncomingMessage): Refusal | null;
};

/** `allowance`: the opening frame's size, which may be large and is not falling behind. */
type Client = { ws: WebSocket; cursor: number; alive: boolean; allowance: number };

/** clientCount counts every socket the stream still holds, those being dropped included. */
export type EventStream = { clientCount(): number; close(): void };

const MiB = 1024 * 1024;

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
    maxBufferedBytes = MiB,
    dropGraceMs = 5000,
    maxClients = 200,
    pingIntervalMs = 20_000,
    admit = () => null,
  } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  /** Clients we stream to. */
  const clients = new Set<Client>();
  /** Every socket still open, streamed to or being dropped: what memory holds. */
  const sockets = new Set<WebSocket>();
  const bootId = randomUUID();
  /** The seq up to which every up-to-date client has been sent events. */
  let sentSeq = log.lastSeq;
  let lastClusterJson = '';
  let lastClusterAt = 0;

  const send = (client: Client, data: string): void => {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    const waiting = client.ws.bufferedAmount;
    if (waiting > maxBufferedBytes + client.allowance) {
      drop(client, waiting);
      return;
    }
    client.ws.send(data);
  };

  /**
   * Nothing more is queued for it; the close frame goes out behind what is waiting, so a
   * browser that catches up learns why, and a socket that never reads is destroyed after the grace.
   */
  const drop = (client: Client, waiting: number): void => {
    clients.delete(client);
    const reason = `you fell behind: ${(waiting / MiB).toFixed(1)} MiB of events were waiting unread`;
    logLine(`[ws] dropping a client that fell behind: ${waiting} bytes waiting unread`);
    client.ws.close(WS_CLOSE_FELL_BEHIND, reason);
    const timer = setTimeout(() => client.ws.terminate(), dropGraceMs);
    timer.unref();
    client.ws.once('close', () => clearTimeout(timer));
  };
  const frame = (f: ServerFrame): string => JSON.stringify(f);

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Nothing catches what an 'upgrade' listener throws: a target that is no URL must not.
    if (!URL.canParse(req.url ?? '/', 'http://localhost')) {
      refuseUpgrade(socket, 400, 'the request target is not a valid URL');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      refuseUpgrade(socket, 404, `no WebSocket at ${url.pathname}; the live stream is at ${path}`);
      return;
    }
    const refusal = admit(req);
    if (refusal) {
      refuseUpgrade(socket, refusal.status, refusal.error, refusal.headers);
      return;
    }
    if (sockets.size >= maxClients) {
      refuseUpgrade(socket, 503, `the live stream already has ${maxClients} clients; close a tab and retry`, { 'retry-after': '5' });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => welcome(ws, url.searchParams.get('since'), url.searchParams.get('boot')));
  };
  // A handshake ws refuses (not GET, no key, an unknown version…) would get a text/html answer.
  wss.on('wsClientError', (err, socket, req) => {
    if (req.method !== 'GET') refuseUpgrade(socket, 405, `${err.message}: a WebSocket opens with GET`, { allow: 'GET' });
    else refuseUpgrade(socket, 400, err.message, /version/i.test(err.message) ? { 'sec-websocket-version': '13, 8' } : {});
  });

  const welcome = (ws: WebSocket, sinceParam: string | null, boot: string | null): void => {
    const client: Client = { ws, cursor: sentSeq, alive: true, allowance: 0 };
    clients.add(client);
    sockets.add(ws);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => {
      clients.delete(client);
      sockets.delete(ws);
    });
    ws.on('error', () => clients.delete(client));
    // The stream only sends. A client that talks is not the dashboard, and is told so (1003:
    // data this endpoint does not take) rather than left to wonder where its words went.
    ws.on('message', () => ws.close(1003, 'this stream only sends; it takes no messages'));

    const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;
    const cluster = view();
    // Resume only within this supervisor's life (its boot id) and what has been streamed.
    const opening =
      since !== null && boot === bootId && since <= sentSeq && log.hasAllAfter(since)
        ? [frame({ type: 'events', events: log.after(since, Number.POSITIVE_INFINITY, sentSeq) }), frame({ type: 'cluster', cluster })]
        : [frame({ type: 'snapshot', cluster, events: log.snapshot(snapshotEvents, snapshotEvents, sentSeq), lastSeq: sentSeq, bootId })];
    client.allowance = opening.reduce((bytes, data) => bytes + Buffer.byteLength(data), 0);
    for (const data of opening) send(client, data);
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
    clientCount: () => sockets.size,
    close() {
      clearInterval(tick);
      clearInterval(ping);
      server.off('upgrade', onUpgrade);
      for (const ws of sockets) ws.terminate();
      clients.clear();
      sockets.clear();
      wss.close();
    },
  };
}

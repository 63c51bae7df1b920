import http from 'node:http';
import type { AlgorithmId, EventBody, MessageFamily, NodeId, PeerEnvelope, PeerMessage } from '@clusterlab/shared';

export type PeerTransportOptions = {
  self: NodeId;
  /** Named in every envelope, so a node of another cluster's algorithm refuses it by name. */
  algorithm: AlgorithmId;
  termOf: (msg: PeerMessage) => number;
  familyOf: (msg: PeerMessage) => MessageFamily;
  /** A message not answered in this time counts as lost (a paused peer accepts but never answers). */
  timeoutMs: number;
  /** Messages in flight to one peer before further ones are dropped rather than queued without end. */
  maxInflightPerPeer: number;
  onUndeliverable: (to: NodeId, msg: PeerMessage) => void;
  emit: (event: EventBody) => void;
};

/**
 * Peer messages over HTTP: each one a POST /peer on a kept-alive connection, answered 204
 * as soon as it is received. Replies are messages of their own, so the core never waits
 * on a socket; a refused connection or a timeout is reported back as "undeliverable".
 */
export class PeerTransport {
  private readonly addresses = new Map<NodeId, URL>();
  private readonly inflight = new Map<NodeId, number>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  /** Unique per process, so a restarted node's message ids do not collide with its old ones. */
  private readonly bootId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  private seq = 0;

  constructor(private readonly opts: PeerTransportOptions) {}

  setAddresses(addresses: Iterable<[NodeId, string]>): void {
    for (const [id, url] of addresses) this.addresses.set(id, new URL('/peer', url));
  }

  send(to: NodeId, msg: PeerMessage): void {
    const id = `${this.opts.self}-${this.bootId}-${(this.seq++).toString(36)}`;
    this.opts.emit({ kind: 'message.sent', data: { id, to, type: msg.type, term: this.opts.termOf(msg), family: this.opts.familyOf(msg) } });
    const url = this.addresses.get(to);
    const busy = this.inflight.get(to) ?? 0;
    if (!url || busy >= this.opts.maxInflightPerPeer) {
      this.lost(id, to, msg, url ? `${busy} messages already in flight to ${to}` : `no address known for ${to}`);
      return;
    }
    this.inflight.set(to, busy + 1);
    const body = JSON.stringify({ id, from: this.opts.self, to, algorithm: this.opts.algorithm, msg } satisfies PeerEnvelope);
    let settled = false;
    const settle = (error: string | null) => {
      if (settled) return;
      settled = true;
      this.inflight.set(to, (this.inflight.get(to) ?? 1) - 1);
      if (error) this.lost(id, to, msg, error);
    };
    const req = http.request(url, {
      method: 'POST',
      agent: this.agent,
      timeout: this.opts.timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      settle(res.statusCode === 204 ? null : `${to} answered HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => {
      req.destroy();
      settle(`no answer from ${to} within ${this.opts.timeoutMs} ms`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => settle(err.code ?? err.message));
    req.end(body);
  }

  close(): void {
    this.agent.destroy();
  }

  private lost(id: string, to: NodeId, msg: PeerMessage, reason: string): void {
    this.opts.emit({ kind: 'message.dropped', data: { id, to, type: msg.type, reason, family: this.opts.familyOf(msg) } });
    this.opts.onUndeliverable(to, msg);
  }
}

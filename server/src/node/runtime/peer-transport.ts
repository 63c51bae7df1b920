import http from 'node:http';
import { MAX_MESSAGES_PER_BATCH, type AlgorithmId, type EventBody, type NodeId, type PeerMessage, type Protocol } from '@clusterlab/shared';
import { SIGNATURE_HEADER, type RequestSigner } from '../../auth/request-signature';
import { messageFate, type LinkRules, type MessageFate } from '../../net/link-rules';

export type PeerTransportOptions = {
  self: NodeId;
  /** Unique per process, in every message id (`<self>-<boot>-<n>`): the runtime's, which its trace names too. */
  bootId: string;
  /** Named in every batch, so a node of another cluster's algorithm refuses it by name. */
  algorithm: AlgorithmId;
  /** What message events say of a message: its term and family. */
  protocol: Pick<Protocol, 'termOf' | 'familyOf'>;
  /** A request not answered in this time counts as lost (a paused peer accepts but never answers). */
  timeoutMs: number;
  /** Messages waiting for one peer before further ones are dropped rather than queued without end. */
  maxQueuedPerPeer: number;
  /** A batch stops growing past this many bytes of body (one larger message still goes, alone). */
  maxBatchBytes: number;
  onUndeliverable: (to: NodeId, msg: PeerMessage) => void;
  /** Says a message event; answers with its Lamport time, which a sent message carries. */
  emit: (event: EventBody, cause?: string) => number;
  /** Signs every batch with the cluster's secret: peers refuse anything unsigned. */
  signer: RequestSigner;
  /** The rules of the link from this node to a peer, from the faults in force (link-faults.ts); left out, every link works. */
  rules?: (to: NodeId) => LinkRules;
  /** Uniform draws in [0, 1) for losses, duplicates and jitter; Math.random by default. */
  draw?: () => number;
};

/** `bytes`: of the message's JSON in UTF-8, what it adds to a body (the cap on bodies is in bytes, not characters). */
type Outgoing = { id: string; lamport: number; msg: PeerMessage; json: string; bytes: number };

/** The fate of a message when no fault is in force: one copy, on time. */
const ON_TIME: MessageFate = { lost: false, extraMs: [0] };

/** One peer's lane: at most one request in flight, and what waits behind it, in order; and how many messages a delay fault holds back for it. */
type Lane = { url: URL | null; queue: Outgoing[]; busy: boolean; delayed: number };

/**
 * Peer messages over HTTP, in order per peer. Each peer has one lane: one POST /peer in
 * flight at a time, answered 204 as soon as the receiver has read it; messages sent
 * meanwhile queue up and go together in the next POST, as a batch. So a follower receives its
 * leader's appends in the order they were sent (several requests on parallel sockets would
 * overtake one another, and every overtaken append costs a rejection and a retry), and a
 * busy leader pays one request for many messages.
 *
 * Replies are messages of their own, so the core never waits on a socket; a refused
 * connection or a timeout is reported back as "undeliverable", for each message of the batch.
 *
 * The faults in force decide each message's fate as it is sent, by the same pure function the
 * simulator's network uses (messageFate): a message on a cut link, or taken by a loss, is
 * dropped at once (message.lost names the fault) and reported undeliverable only after
 * `timeoutMs`, because a partition looks to the sender like a request that is never answered,
 * not like a refused connection; a delayed message waits on its own timer and then joins its
 * lane, so with a steady delay messages keep their order and only jitter lets one overtake
 * another (as the fault says); a duplicated one joins its lane twice. A cut that begins while a
 * message waits out its delay takes it too.
 */
export class PeerTransport {
  private readonly lanes = new Map<NodeId, Lane>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private seq = 0;
  private closed = false;
  /** Timers of delayed messages and of losses not yet reported: cleared on close. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly draw: () => number;

  constructor(private readonly opts: PeerTransportOptions) {
    this.draw = opts.draw ?? Math.random;
  }

  setAddresses(addresses: Iterable<[NodeId, string]>): void {
    for (const [id, url] of addresses) this.lane(id).url = new URL('/peer', url);
  }

  /** `cause`: the message whose receipt this one answers, if any (said with message.sent). */
  send(to: NodeId, msg: PeerMessage, cause?: string): void {
    const id = `${this.opts.self}-${this.opts.bootId}-${(this.seq++).toString(36)}`;
    const lamport = this.opts.emit({ kind: 'message.sent', data: { id, to, type: msg.type, term: this.opts.protocol.termOf(msg), family: this.opts.protocol.familyOf(msg) } }, cause);
    const fate: MessageFate = this.opts.rules ? messageFate(this.opts.rules(to), this.draw) : ON_TIME;
    if (fate.lost) {
      this.lostToFault(id, to, msg, fate.reason, this.opts.timeoutMs);
      return;
    }
    const json = JSON.stringify(msg);
    const out: Outgoing = { id, lamport, msg, json, bytes: Buffer.byteLength(json) };
    const lane = this.lane(to);
    fate.extraMs.forEach((extraMs, copy) => {
      if (extraMs <= 0) {
        this.enqueue(to, out, copy);
        return;
      }
      // A long delay on a busy link holds back as many messages as a lane may queue, no more.
      if (lane.delayed >= this.opts.maxQueuedPerPeer) {
        if (copy === 0) this.lost(id, to, msg, `${lane.delayed} messages already held back by a delay for ${to}`);
        return;
      }
      lane.delayed++;
      this.after(extraMs, () => {
        lane.delayed--;
        const cutter = this.opts.rules?.(to).cutBy[0];
        if (cutter === undefined) this.enqueue(to, out, copy);
        else if (copy === 0) this.lostToFault(id, to, msg, `${cutter} cut it in flight`, this.opts.timeoutMs - extraMs);
      });
    });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.agent.destroy();
  }

  /** A message (or, `copy` > 0, its duplicate) joins its peer's lane. */
  private enqueue(to: NodeId, out: Outgoing, copy: number): void {
    if (this.closed) return;
    const lane = this.lane(to);
    if (!lane.url || lane.queue.length >= this.opts.maxQueuedPerPeer) {
      // A duplicate that finds no room is simply not made: the message itself went.
      if (copy === 0) this.lost(out.id, to, out.msg, lane.url ? `${lane.queue.length} messages already waiting for ${to}` : `no address known for ${to}`);
      return;
    }
    lane.queue.push(out);
    this.flush(to, lane);
  }

  /** Lost to a fault: said now, where it happened; the core hears of it when its request would have timed out. */
  private lostToFault(id: string, to: NodeId, msg: PeerMessage, reason: string, reportAfterMs: number): void {
    this.opts.emit({ kind: 'message.lost', data: { id, from: this.opts.self, to, type: msg.type, reason, family: this.opts.protocol.familyOf(msg) } });
    this.after(Math.max(0, reportAfterMs), () => this.opts.onUndeliverable(to, msg));
  }

  private after(ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    this.timers.add(timer);
  }

  private lane(to: NodeId): Lane {
    let lane = this.lanes.get(to);
    if (!lane) this.lanes.set(to, (lane = { url: null, queue: [], busy: false, delayed: 0 }));
    return lane;
  }

  /** Sends what waits for `to` (as much as one batch holds) and, once it is answered, the rest. */
  private flush(to: NodeId, lane: Lane): void {
    if (this.closed || lane.busy || lane.queue.length === 0 || !lane.url) return;
    let bytes = 0;
    let count = 0;
    while (count < lane.queue.length && count < MAX_MESSAGES_PER_BATCH) {
      const next = lane.queue[count]!;
      const size = next.bytes + next.id.length + 40; // {"id":"…","lamport":…,"msg":…},
      if (count > 0 && bytes + size > this.opts.maxBatchBytes) break;
      bytes += size;
      count++;
    }
    const batch = lane.queue.splice(0, count);
    lane.busy = true;
    const head = `{"from":${JSON.stringify(this.opts.self)},"to":${JSON.stringify(to)},"algorithm":"${this.opts.algorithm}","messages":[`;
    const body = head + batch.map((m) => `{"id":${JSON.stringify(m.id)},"lamport":${m.lamport},"msg":${m.json}}`).join(',') + ']}';
    let settled = false;
    const settle = (error: string | null) => {
      if (settled) return;
      settled = true;
      // Losses first (what the core sends on hearing of them queues behind), then the next batch.
      if (error) for (const m of batch) this.lost(m.id, to, m.msg, error);
      lane.busy = false;
      this.flush(to, lane);
    };
    const req = http.request(lane.url, {
      method: 'POST',
      agent: this.agent,
      timeout: this.opts.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        [SIGNATURE_HEADER]: this.opts.signer.sign({ method: 'POST', target: lane.url.pathname, body }, Date.now()),
      },
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

  private lost(id: string, to: NodeId, msg: PeerMessage, reason: string): void {
    this.opts.emit({ kind: 'message.lost', data: { id, from: this.opts.self, to, type: msg.type, reason, family: this.opts.protocol.familyOf(msg) } });
    this.opts.onUndeliverable(to, msg);
  }
}

import type { ClusterEvent, LastingFault, MessageFamily } from '@clusterlab/shared';

/*
 * The space-time diagram's memory: the last events of the run, time-sorted, with sends paired
 * to their receipts and losses by message id, the lanes seen so far and the lasting faults'
 * spans. Incremental (one ingest per feed frame) and bounded; no React, no canvas, so it is
 * tested as plain data and fed from the WebSocket outside the store.
 *
 * What it keeps: at most `maxEvents` events (30,000 by default) and none older than `maxAgeMs`
 * (2 minutes) behind the newest, whichever bound bites first; the oldest go first, and a
 * message whose send has gone keeps its receipt and its send's time (its arrow still starts
 * where it did) until the receipt goes too.
 * What it drops: events of no lane (the supervisor's own bookkeeping) beyond the few it marks
 * on a node's lane, and payloads (the events never carried them).
 */

export const DEFAULT_MAX_EVENTS = 30_000;
export const DEFAULT_MAX_AGE_MS = 120_000;

/** One peer message, as its events tell it. */
export type Message = {
  id: string;
  from: string;
  to: string;
  type: string;
  term: number;
  family: MessageFamily;
  sent: ClusterEvent | null;
  /** When it was sent, kept after the send itself has left the buffer so its arrow still starts there. */
  sentMs: number | null;
  received: ClusterEvent | null;
  lost: ClusterEvent | null;
  /** Receipts after the first (a duplicating link delivers twice). */
  duplicates: number;
};

/** A lasting fault's span: `toMs` null while it is in force. */
export type FaultSpan = { id: string; fault: LastingFault; description: string; fromMs: number; toMs: number | null };

/** What a lane mark says. */
export type MarkKind = 'election' | 'leader' | 'follow' | 'stepdown' | 'commit' | 'kv' | 'fault' | 'exit' | 'start';

/** Which lane an event is drawn on: the emitter, or for the supervisor's events the node they are about. */
export function laneOf(e: ClusterEvent): string | null {
  if (e.node !== 'supervisor') return e.node;
  switch (e.kind) {
    case 'node.spawned':
    case 'node.exited':
    case 'node.removed':
    case 'node.rebuilt':
      return e.data.id;
    case 'fault.injected':
      return e.data.target;
    case 'registry.ready':
    case 'registry.exited':
      return 'registry';
    default:
      return null;
  }
}

/** The glyph an event gets on its lane, or null for none (messages are arrows, the rest is not drawn). */
export function markOf(e: ClusterEvent): MarkKind | null {
  switch (e.kind) {
    case 'election.timeout':
    case 'election.started':
      return 'election';
    case 'leader.elected':
      return 'leader';
    case 'leader.followed':
      return 'follow';
    case 'leader.stepped_down':
      return 'stepdown';
    case 'replication.committed':
      return 'commit';
    case 'kv.write':
    case 'kv.acked':
    case 'kv.failed':
      return 'kv';
    case 'fault.injected':
      return 'fault';
    case 'node.exited':
    case 'registry.exited':
      return 'exit';
    case 'node.spawned':
    case 'node.ready':
    case 'registry.ready':
      return 'start';
    default:
      return null;
  }
}

/** n1, n2, …, n10 in rank order; the client lane first and the registry last. */
export function compareLanes(a: string, b: string): number {
  const rank = (l: string) => (l === 'client' ? 0 : l === 'registry' ? 2 : 1);
  const na = /^n(\d+)$/.exec(a);
  const nb = /^n(\d+)$/.exec(b);
  return rank(a) - rank(b) || (na && nb ? Number(na[1]) - Number(nb[1]) : 0) || a.localeCompare(b);
}

/** An array that drops from the front cheaply: a head index, compacted now and then. */
class Queue<T> {
  items: T[] = [];
  head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  at(i: number): T | undefined {
    return this.items[this.head + i];
  }
  first(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    const x = this.items[this.head];
    if (x === undefined) return undefined;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

export class SpaceTimeBuffer {
  /** Every kept event, by time (ties in sequence order). */
  private readonly byTime = new Queue<ClusterEvent>();
  /** Each lane's events in sequence order: the order its process emitted them. */
  private readonly lanes = new Map<string, Queue<ClusterEvent>>();
  private readonly messages = new Map<string, Message>();
  private readonly causes = new Map<string, ClusterEvent[]>();
  private readonly faults: FaultSpan[] = [];
  private lastSeq = 0;
  /** Bumped on every change, so a drawing knows when to draw again. */
  version = 0;

  constructor(
    readonly maxEvents = DEFAULT_MAX_EVENTS,
    readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
  ) {}

  get size(): number {
    return this.byTime.length;
  }
  get oldestMs(): number | null {
    return this.byTime.first()?.time ?? null;
  }
  get newestMs(): number | null {
    return this.byTime.at(this.byTime.length - 1)?.time ?? null;
  }

  /**
   * The lanes with something kept on them (a process that left, e.g. a removed node, loses
   * its lane once its last event is dropped), in rank order; always the client and the registry.
   */
  laneIds(): string[] {
    const ids = new Set(['client', 'registry']);
    for (const [id, q] of this.lanes) if (q.length > 0) ids.add(id);
    return [...ids].sort(compareLanes);
  }

  /** A new run (the supervisor restarted): forget the old one. */
  clear(): void {
    this.byTime.items = [];
    this.byTime.head = 0;
    this.lanes.clear();
    this.messages.clear();
    this.causes.clear();
    this.faults.length = 0;
    this.lastSeq = 0;
    this.version++;
  }

  /** Takes events in sequence order; ones already seen (a resumed feed) are skipped. */
  ingest(events: readonly ClusterEvent[]): void {
    let changed = false;
    for (const e of events) {
      if (e.seq <= this.lastSeq) continue;
      this.lastSeq = e.seq;
      this.add(e);
      changed = true;
    }
    if (!changed) return;
    this.trim();
    this.version++;
  }

  private add(e: ClusterEvent): void {
    // Wall times from different processes may arrive a little out of order: insert from the back.
    const q = this.byTime;
    q.items.push(e);
    for (let i = q.items.length - 1; i > q.head && q.items[i - 1]!.time > e.time; i--) {
      q.items[i] = q.items[i - 1]!;
      q.items[i - 1] = e;
    }
    const lane = laneOf(e);
    if (lane !== null) {
      let lq = this.lanes.get(lane);
      if (!lq) this.lanes.set(lane, (lq = new Queue()));
      lq.items.push(e);
    }
    if (e.cause !== undefined) {
      const list = this.causes.get(e.cause);
      if (list) list.push(e);
      else this.causes.set(e.cause, [e]);
    }
    switch (e.kind) {
      case 'message.sent': {
        const m = this.message(e.data.id, e.node, e.data.to, e.data.type, e.data.term, e.data.family);
        m.sent = e;
        m.sentMs = e.time;
        this.touchLane(e.data.to);
        break;
      }
      case 'message.received': {
        const m = this.message(e.data.id, e.data.from, e.node, e.data.type, e.data.term, e.data.family);
        if (m.received) m.duplicates++;
        else m.received = e;
        this.touchLane(e.data.from);
        break;
      }
      case 'message.lost': {
        const m = this.message(e.data.id, e.data.from, e.data.to, e.data.type, 0, e.data.family);
        if (!m.lost) m.lost = e;
        this.touchLane(e.data.from);
        this.touchLane(e.data.to);
        break;
      }
      case 'fault.network':
        this.faults.push({ id: e.data.id, fault: e.data.fault, description: e.data.description, fromMs: e.time, toMs: null });
        break;
      case 'fault.healed': {
        const open = this.faults.find((f) => f.id === e.data.id && f.toMs === null);
        if (open) open.toMs = e.time;
        break;
      }
    }
  }

  private touchLane(lane: string): void {
    if (!this.lanes.has(lane)) this.lanes.set(lane, new Queue());
  }

  private message(id: string, from: string, to: string, type: string, term: number, family: MessageFamily | undefined): Message {
    let m = this.messages.get(id);
    if (!m) {
      m = { id, from, to, type, term, family: family ?? 'other', sent: null, sentMs: null, received: null, lost: null, duplicates: 0 };
      this.messages.set(id, m);
    }
    return m;
  }

  private trim(): void {
    const newest = this.newestMs ?? 0;
    const q = this.byTime;
    while (q.length > this.maxEvents || (q.length > 0 && q.first()!.time < newest - this.maxAgeMs)) this.drop(q.shift()!);
    const oldest = this.oldestMs ?? newest;
    // Healed faults entirely before what is kept are of no use to any view.
    for (let i = this.faults.length - 1; i >= 0; i--) if (this.faults[i]!.toMs !== null && this.faults[i]!.toMs! < oldest) this.faults.splice(i, 1);
  }

  private drop(e: ClusterEvent): void {
    const lane = laneOf(e);
    const lq = lane === null ? undefined : this.lanes.get(lane);
    // A lane's events go in emission order, which is time order for one process: drop up to this one.
    if (lq) while (lq.length > 0 && lq.first()!.seq <= e.seq) lq.shift();
    if (e.cause !== undefined) {
      const list = this.causes.get(e.cause);
      const i = list?.indexOf(e) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
      if (list?.length === 0) this.causes.delete(e.cause);
    }
    if (e.kind === 'message.sent' || e.kind === 'message.received' || e.kind === 'message.lost') {
      const m = this.messages.get(e.data.id);
      if (!m) return;
      if (m.sent === e) m.sent = null;
      if (m.received === e) m.received = null;
      if (m.lost === e) m.lost = null;
      if (!m.sent && !m.received && !m.lost) this.messages.delete(m.id);
    }
  }

  /** Index of the first kept event at or after `ms` (binary search on the time-sorted buffer). */
  lowerBound(ms: number): number {
    const q = this.byTime;
    let lo = 0;
    let hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (q.at(mid)!.time < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** The i-th kept event by time. */
  eventAt(i: number): ClusterEvent | undefined {
    return this.byTime.at(i);
  }

  messageById(id: string): Message | undefined {
    return this.messages.get(id);
  }
  /** The message an event of one is about. */
  messageOf(e: ClusterEvent): Message | undefined {
    return e.kind === 'message.sent' || e.kind === 'message.received' || e.kind === 'message.lost' ? this.messages.get(e.data.id) : undefined;
  }
  /** The events a message caused: emitted while its receiver was answering it. */
  causedBy(id: string): readonly ClusterEvent[] {
    return this.causes.get(id) ?? [];
  }
  faultSpans(): readonly FaultSpan[] {
    return this.faults;
  }
  /**
   * The causal past of an event: what happened before it. A lane's past is a prefix of it (what
   * its process did earlier), so the answer is, per lane, the last sequence number in the past;
   * the walk goes back along a lane and across each receipt to its send, and gives up after
   * `maxSteps` events (the answer is then a subset: nothing outside the past is ever in it).
   */
  causalPast(start: ClusterEvent, maxSteps = 5000): Map<string, number> {
    const cut = new Map<string, number>();
    const startLane = laneOf(start);
    if (startLane === null) return cut;
    const work: { lane: string; seq: number }[] = [{ lane: startLane, seq: start.seq }];
    let steps = 0;
    while (work.length > 0 && steps < maxSteps) {
      const { lane, seq: upTo } = work.pop()!;
      const before = cut.get(lane) ?? -1;
      if (before >= upTo) continue;
      cut.set(lane, upTo);
      const lq = this.lanes.get(lane);
      if (!lq) continue;
      let i = lq.length - 1;
      while (i >= 0 && lq.at(i)!.seq > upTo) i--;
      // Only what an earlier visit to this lane did not already cover.
      for (; i >= 0 && lq.at(i)!.seq > before && steps < maxSteps; i--, steps++) {
        const e = lq.at(i)!;
        if (e.kind !== 'message.received') continue;
        const sent = this.messages.get(e.data.id)?.sent;
        const from = sent ? laneOf(sent) : null;
        if (sent && from !== null) work.push({ lane: from, seq: sent.seq });
      }
    }
    return cut;
  }
}

/** Is this event in a causal past (from causalPast)? */
export function inPast(past: ReadonlyMap<string, number>, e: ClusterEvent): boolean {
  const lane = laneOf(e);
  return lane !== null && e.seq <= (past.get(lane) ?? -1);
}

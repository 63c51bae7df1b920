import { DEFAULT_SETTINGS, type ClusterSettings, type EventBody, type NodeId, type PeerMessage } from '@clusterlab/shared';
import type { Algorithm, ClientReply, ClientRequest, Core, CoreOutput, LogPosition } from './types';

/**
 * A tiny deterministic cluster for the cores' unit tests, for any algorithm: instant in-order
 * delivery, a 1 ms clock, crash/restart with what each node persisted, and cut links. (The
 * simulator in server/src/sim is the full version, with delays, drops, reordering and random
 * faults.) The first nodes are the cluster's initial voters; nodes added later join empty.
 */
export class TestCluster<M extends PeerMessage = PeerMessage, R = unknown, D = unknown> {
  now = 0;
  readonly cores = new Map<NodeId, Core<M, R, D>>();
  readonly disks = new Map<NodeId, D>();
  readonly down = new Set<NodeId>();
  /** Directed links that silently drop messages, as "from>to". */
  readonly cut = new Set<string>();
  /** Drops chosen messages, for scenarios a link cut cannot express. */
  drop: (from: NodeId, to: NodeId, msg: M) => boolean = () => false;
  /** Every message delivered, in order (for tests that read the conversation). */
  readonly delivered: { from: NodeId; to: NodeId; msg: M; at: number }[] = [];
  readonly events: { node: NodeId; at: number; event: EventBody }[] = [];
  readonly replies = new Map<number, ClientReply>();
  readonly initialVoters: NodeId[];
  private queue: { from: NodeId; to: NodeId; msg: M }[] = [];
  private nextRequestId = 1;

  constructor(
    readonly algorithm: Algorithm<M, R, D>,
    ids: NodeId[],
    readonly settings: ClusterSettings = { ...DEFAULT_SETTINGS, algorithm: algorithm.id },
  ) {
    this.initialVoters = [...ids];
    for (const id of ids) this.boot(id);
    this.refreshPeers();
  }

  private boot(id: NodeId): void {
    const voters = this.initialVoters.includes(id) ? this.initialVoters : [];
    const core = this.algorithm.create({ id, settings: this.settings, seed: Number(id.slice(1)) * 7919, initialVoters: voters }, this.disks.get(id));
    if (!this.disks.has(id)) this.disks.set(id, this.algorithm.emptyDisk());
    this.cores.set(id, core);
    this.down.delete(id);
    this.handle(id, core.step({ type: 'start', now: this.now }));
  }

  core(id: NodeId): Core<M, R, D> {
    const core = this.cores.get(id);
    if (!core) throw new Error(`no node ${id} in this test cluster`);
    return core;
  }

  up(): NodeId[] {
    return [...this.cores.keys()].filter((id) => !this.down.has(id));
  }

  /** The registry's view: every node that is up. */
  refreshPeers(): void {
    for (const id of this.up()) {
      this.handle(id, this.core(id).step({ type: 'peers', now: this.now, peers: this.up().filter((p) => p !== id) }));
    }
    this.deliver();
  }

  crash(id: NodeId): void {
    this.down.add(id);
  }

  restart(id: NodeId): void {
    this.boot(id);
    this.refreshPeers();
  }

  add(id: NodeId): void {
    this.boot(id);
    this.refreshPeers();
  }

  partition(a: NodeId[], b: NodeId[]): void {
    for (const x of a) for (const y of b) this.cut.add(`${x}>${y}`).add(`${y}>${x}`);
  }

  heal(): void {
    this.cut.clear();
  }

  request(via: NodeId, request: ClientRequest): number {
    const requestId = this.nextRequestId++;
    this.handle(via, this.core(via).step({ type: 'client', now: this.now, requestId, request }));
    this.deliver();
    return requestId;
  }

  put(via: NodeId, key: string, value: string): number {
    return this.request(via, { type: 'put', key, value });
  }

  get(via: NodeId, key: string, read: 'local' | 'leader' | 'linearizable' = 'local'): number {
    return this.request(via, { type: 'get', key, read });
  }

  /** Advance the clock 1 ms at a time, ticking nodes whose timers are due and delivering everything. */
  advance(ms: number): void {
    const end = this.now + ms;
    while (this.now < end) {
      this.now += 1;
      for (const id of this.up()) {
        const core = this.core(id);
        if (core.nextWakeAt() <= this.now) this.handle(id, core.step({ type: 'tick', now: this.now }));
      }
      this.deliver();
    }
  }

  /** Advance until `condition` holds; fail loudly if it does not within `maxMs`. */
  until(condition: () => boolean, maxMs = 5000, what = 'condition'): void {
    const end = this.now + maxMs;
    while (!condition()) {
      if (this.now >= end) throw new Error(`timed out after ${maxMs} ms waiting for ${what}`);
      this.advance(1);
    }
  }

  leaders(): NodeId[] {
    return this.up().filter((id) => this.core(id).status().role === 'leader');
  }

  eventsOf<K extends EventBody['kind']>(kind: K): { node: NodeId; at: number; event: Extract<EventBody, { kind: K }> }[] {
    return this.events.filter((e): e is { node: NodeId; at: number; event: Extract<EventBody, { kind: K }> } => e.event.kind === kind);
  }

  private deliver(): void {
    for (let guard = 0; this.queue.length > 0; guard++) {
      if (guard > 1_000_000) throw new Error('message storm: a node keeps answering itself');
      const { from, to, msg } = this.queue.shift()!;
      if (this.down.has(from) || this.cut.has(`${from}>${to}`) || this.drop(from, to, msg)) continue;
      if (this.down.has(to) || !this.cores.has(to)) {
        // A crashed process refuses the connection: the sender learns at once.
        this.handle(from, this.core(from).step({ type: 'undeliverable', now: this.now, to, msg }));
        continue;
      }
      this.delivered.push({ from, to, msg, at: this.now });
      this.handle(to, this.core(to).step({ type: 'message', now: this.now, from, msg }));
    }
  }

  /** The disk is instant: a record the core asked about is durable as soon as its step is carried out. */
  private handle(id: NodeId, outputs: CoreOutput<M, R>[]): void {
    const durable: LogPosition[] = [];
    for (const out of outputs) {
      switch (out.type) {
        case 'send':
          this.queue.push({ from: id, to: out.to, msg: out.msg });
          break;
        case 'persist':
          this.disks.set(id, this.algorithm.fold(this.disks.get(id) ?? this.algorithm.emptyDisk(), structuredClone(out.record)));
          if (out.whenDurable) durable.push(out.whenDurable);
          break;
        case 'reply':
          this.replies.set(out.requestId, out.reply);
          break;
        case 'event':
          this.events.push({ node: id, at: this.now, event: out.event });
          break;
      }
    }
    for (const position of durable) {
      if (!this.down.has(id)) this.handle(id, this.core(id).step({ type: 'durable', now: this.now, position }));
    }
  }
}

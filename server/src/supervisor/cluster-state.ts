import { beliefsFromStatus, changesBeliefs, LamportClock, type ClusterEvent, type EmittedEvent, type EventBody, type NodeId, type NodeBeliefs, type NodeStatus, type RegistryEntry } from '@clusterlab/shared';
import { CausalOrder } from './causal-order';
import { reduceFacts, UNKNOWN_FACTS, type FactsById } from './cluster-view';
import { EventLog } from './event-log';

/**
 * The supervisor's running state of the cluster: the event log and what the events say about
 * each node, plus the registry's list as last polled. Process facts are not here — the
 * process manager owns those first-hand.
 *
 * Events from the children go through a causal order (causal-order.ts) before they are
 * numbered, so the log never shows a message received before it was sent. The supervisor is a
 * process with a Lamport clock too: it hears every event, so what it says itself (a kill, an
 * exit, a fault) comes after everything it had heard, and a node it starts begins its clock
 * from the supervisor's (`lamportNow`).
 */
export class ClusterState {
  readonly log: EventLog;
  private current: FactsById = {};
  /** Per node, how many belief-changing events we have seen: a /status answer asked for before the latest one is stale. */
  private readonly beliefVersions = new Map<NodeId, number>();
  registryTtlMs: number;
  registryNodes: RegistryEntry[] = [];
  /** Who wants every event as it is stamped (a running workload watching faults and drops). */
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private readonly clock = new LamportClock();
  private readonly order: CausalOrder;
  private expiry: NodeJS.Timeout | null = null;

  constructor(options: { capacity?: number; registryTtlMs: number; causalHoldMs?: number }) {
    this.log = new EventLog(options.capacity);
    this.registryTtlMs = options.registryTtlMs;
    this.order = new CausalOrder(options.causalHoldMs ?? 500);
  }

  /** The supervisor's Lamport time: a process it starts now begins after it. */
  get lamportNow(): number {
    return this.clock.now;
  }

  get facts(): FactsById {
    return this.current;
  }

  /** An event a child said: numbered once everything that happened before it has been. */
  ingest(event: EmittedEvent): void {
    this.clock.witness(event.lamport);
    this.appendAll(this.order.accept(event, Date.now()));
  }

  /** An event the supervisor says itself (about itself, or about a node or the registry it watches), numbered now. */
  say(node: string, body: EventBody): ClusterEvent {
    const stamped = this.append({ node, time: Date.now(), lamport: this.clock.tick(), ...body } as EmittedEvent);
    // An exited process says nothing more: nobody waits for its unsent events.
    if (body.kind === 'node.exited') this.appendAll(this.order.gone(body.data.id, Date.now()));
    if (body.kind === 'registry.exited') this.appendAll(this.order.gone('registry', Date.now()));
    return stamped;
  }

  /** Stops the timer that lets waiting events through. */
  close(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }

  private appendAll(events: EmittedEvent[]): void {
    for (const event of events) this.append(event);
    this.armExpiry();
  }

  private armExpiry(): void {
    const at = this.order.nextDeadline();
    if (at === null || this.expiry) return;
    this.expiry = setTimeout(() => {
      this.expiry = null;
      this.appendAll(this.order.expire(Date.now()));
    }, Math.max(0, at - Date.now()));
    this.expiry.unref();
  }

  private append(event: EmittedEvent): ClusterEvent {
    const stamped = this.log.append(event);
    this.current = reduceFacts(this.current, event);
    if (changesBeliefs(event)) this.beliefVersions.set(event.node, this.beliefVersion(event.node) + 1);
    for (const listener of this.listeners) listener(stamped);
    return stamped;
  }

  /** Calls `listener` with every event from now on, until the returned function is called. */
  onEvent(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  beliefVersion(id: NodeId): number {
    return this.beliefVersions.get(id) ?? 0;
  }

  /**
   * Heals the view from a node's own GET /status — unless an event about its beliefs arrived
   * while we were asking, in which case the event is the fresher truth.
   */
  applyStatus(id: NodeId, status: NodeStatus, versionWhenAsked: number): boolean {
    if (status.id !== id || this.beliefVersion(id) !== versionWhenAsked) return false;
    const before = this.current[id] ?? UNKNOWN_FACTS;
    const after = beliefsFromStatus(before, status);
    if (sameBeliefs(before, after)) return false;
    this.current = { ...this.current, [id]: after };
    return true;
  }
}

/** Equal in everything a /status answer tells (the last heartbeat it does not). */
function sameBeliefs(a: NodeBeliefs, b: NodeBeliefs): boolean {
  return (Object.keys(a) as (keyof NodeBeliefs)[]).every((k) => k === 'lastHeartbeatAt' || a[k] === b[k]);
}

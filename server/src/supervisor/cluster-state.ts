import { beliefsFromStatus, changesBeliefs, type ClusterEvent, type EmittedEvent, type NodeId, type NodeBeliefs, type NodeStatus, type RegistryEntry } from '@clusterlab/shared';
import { reduceFacts, UNKNOWN_FACTS, type FactsById } from './cluster-view';
import { EventLog } from './event-log';

/**
 * The supervisor's running state of the cluster: the event log and what the events say about
 * each node, plus the registry's list as last polled. Process facts are not here — the
 * process manager owns those first-hand.
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

  constructor(options: { capacity?: number; registryTtlMs: number }) {
    this.log = new EventLog(options.capacity);
    this.registryTtlMs = options.registryTtlMs;
  }

  get facts(): FactsById {
    return this.current;
  }

  ingest(event: EmittedEvent): ClusterEvent {
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

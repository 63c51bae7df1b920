import type { ClusterEvent, ClusterSettings, ClusterView, NodeId, NodeView, RegistryView } from '@clusterlab/shared';
import { beliefsAfter, believerOf } from '@clusterlab/shared/beliefs';
import { compareNodeIds } from '@clusterlab/shared/ids';

/**
 * The cluster as the page shows it. Normalised (ids + records) and structurally shared:
 * a node whose fields did not change keeps its object, so its card does not re-render.
 */
export type ClusterState = {
  loaded: boolean;
  nodeIds: NodeId[];
  nodes: Record<NodeId, NodeView>;
  registry: RegistryView | null;
  leader: NodeId | null;
  term: number;
  settings: ClusterSettings | null;
  /** Supervisor clock minus browser clock, from the last view; times on screen use the former. */
  clockOffsetMs: number;
  /**
   * How late events reach this page (nodes and supervisor both batch), smoothed. A heartbeat
   * age read here is that much higher than the node's own, so "late" colours allow for it.
   */
  feedLagMs: number;
};

export const initialCluster: ClusterState = {
  loaded: false,
  nodeIds: [],
  nodes: {},
  registry: null,
  leader: null,
  term: 0,
  settings: null,
  clockOffsetMs: 0,
  feedLagMs: 0,
};

export function applyClusterView(prev: ClusterState, view: ClusterView, receivedAt: number): ClusterState {
  const nodes: Record<NodeId, NodeView> = {};
  for (const incoming of view.nodes) {
    const old = prev.nodes[incoming.id];
    nodes[incoming.id] = old ? mergeNode(old, incoming) : incoming;
  }
  const ids = view.nodes.map((n) => n.id).sort(safeCompareIds);
  return {
    loaded: true,
    nodeIds: sameList(prev.nodeIds, ids) ? prev.nodeIds : ids,
    nodes,
    registry: prev.registry && sameRegistry(prev.registry, view.registry) ? prev.registry : view.registry,
    leader: view.leader,
    term: view.term,
    settings: prev.settings && shallowEqual(prev.settings, view.settings) ? prev.settings : view.settings,
    clockOffsetMs: view.now - receivedAt,
    feedLagMs: prev.feedLagMs,
  };
}

/** Smoothed, rounded to 10 ms so it changes (and re-renders its readers) rarely. */
export function updateFeedLag(prev: ClusterState, newestEventTime: number, receivedAt: number): ClusterState {
  const sample = Math.max(0, receivedAt + prev.clockOffsetMs - newestEventTime);
  const smoothed = prev.feedLagMs === 0 ? sample : prev.feedLagMs * 0.8 + sample * 0.2;
  const feedLagMs = Math.round(smoothed / 10) * 10;
  return feedLagMs === prev.feedLagMs ? prev : { ...prev, feedLagMs };
}

/**
 * Between two views, events keep the cards live: what each node believes (role, term,
 * indexes, last heartbeat — the same fold the supervisor runs) and what its process does.
 * The next view overwrites whatever these guesses got wrong.
 */
export function applyEventsToCluster(prev: ClusterState, events: readonly ClusterEvent[]): ClusterState {
  if (!prev.loaded || events.length === 0) return prev;
  let nodes = prev.nodes;
  let nodeIds = prev.nodeIds;
  let registry = prev.registry;
  let leader = prev.leader;
  let term = prev.term;

  const patch = (id: NodeId, change: Partial<NodeView>) => {
    const old = nodes[id];
    if (!old) return;
    const next = { ...old, ...change };
    if (shallowEqual(old, next)) return;
    if (nodes === prev.nodes) nodes = { ...prev.nodes };
    nodes[id] = next;
  };
  const patchRegistry = (change: (r: RegistryView) => RegistryView) => {
    if (registry) registry = change(registry);
  };

  for (const e of events) {
    const believer = believerOf(e);
    const old = believer === null ? undefined : nodes[believer];
    if (old) {
      const beliefs = beliefsAfter(old, e);
      if (beliefs !== old) patch(old.id, beliefs);
    }
    switch (e.kind) {
      case 'leader.elected':
        if (e.data.term > term) {
          term = e.data.term;
          leader = e.node;
        }
        break;
      case 'node.spawned':
        patch(e.data.id, { status: 'starting', pid: e.data.pid, exit: null });
        break;
      case 'node.ready':
        patch(e.data.id, { status: 'running', pid: e.data.pid, port: e.data.port, url: `http://127.0.0.1:${e.data.port}` });
        break;
      case 'node.exited':
        patch(e.data.id, { status: 'stopped', pid: null, exit: { code: e.data.code, signal: e.data.signal } });
        if (leader === e.data.id) leader = null;
        break;
      case 'node.removed':
        if (nodes[e.data.id]) {
          nodes = { ...nodes };
          delete nodes[e.data.id];
          nodeIds = nodeIds.filter((id) => id !== e.data.id);
        }
        break;
      case 'fault.injected':
        if (e.data.action === 'pause') patch(e.data.target, { status: 'paused' });
        if (e.data.action === 'resume') patch(e.data.target, { status: 'running' });
        if (e.data.target === 'registry' && registry) {
          if (e.data.action === 'pause') patchRegistry((r) => ({ ...r, status: 'paused' }));
          if (e.data.action === 'resume') patchRegistry((r) => ({ ...r, status: 'running' }));
        }
        break;
      case 'registry.registered': {
        const entry = { id: e.data.id, host: e.data.host, port: e.data.port, lastSeenAt: e.time, expiresAt: e.time + (registry?.ttlMs ?? 0) };
        patchRegistry((r) => ({ ...r, nodes: [...r.nodes.filter((n) => n.id !== entry.id), entry].sort((a, b) => safeCompareIds(a.id, b.id)) }));
        break;
      }
      case 'registry.expired':
      case 'registry.deregistered': {
        const id = e.data.id;
        patchRegistry((r) => ({ ...r, nodes: r.nodes.filter((n) => n.id !== id) }));
        break;
      }
      case 'registry.ready':
        patchRegistry((r) => ({ ...r, status: 'running', pid: e.data.pid, port: e.data.port, url: `http://127.0.0.1:${e.data.port}` }));
        break;
      case 'registry.exited':
        patchRegistry((r) => ({ ...r, status: 'stopped', pid: null, nodes: [] }));
        break;
      default:
        break;
    }
  }
  if (nodes === prev.nodes && nodeIds === prev.nodeIds && registry === prev.registry && leader === prev.leader && term === prev.term) {
    return prev;
  }
  return { ...prev, nodes, nodeIds, registry, leader, term };
}

function mergeNode(old: NodeView, incoming: NodeView): NodeView {
  // The view can be a moment older than the events already applied; within one process
  // lifetime the last heartbeat only moves forward, so never show it going back.
  let next = incoming;
  if (old.startedAt === incoming.startedAt && old.lastHeartbeatAt !== null && (incoming.lastHeartbeatAt ?? 0) < old.lastHeartbeatAt) {
    next = { ...incoming, lastHeartbeatAt: old.lastHeartbeatAt };
  }
  return shallowEqual(old, next) ? old : next;
}

function sameRegistry(a: RegistryView, b: RegistryView): boolean {
  if (a.status !== b.status || a.pid !== b.pid || a.port !== b.port || a.url !== b.url || a.ttlMs !== b.ttlMs) return false;
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => shallowEqual(n, b.nodes[i]!));
}

function safeCompareIds(a: NodeId, b: NodeId): number {
  try {
    return compareNodeIds(a, b);
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Equal own fields; nested objects (a node's `exit`) compare by their fields too. */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof T)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && shallowEqual(x, y)) continue;
    return false;
  }
  return true;
}

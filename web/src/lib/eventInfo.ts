import type { ClusterEvent, EventFamily, EventKind } from '@clusterlab/shared';

/**
 * Every family, in the order the log's filter shows them (the keys' order). A record, so a
 * family added to the shared schema fails the type check here until it has its place (and its
 * colour in log.css).
 */
const FAMILIES: Record<EventFamily, true> = {
  cluster: true,
  node: true,
  registry: true,
  election: true,
  leader: true,
  membership: true,
  replication: true,
  kv: true,
  fault: true,
  message: true,
  auth: true,
  workload: true,
  lesson: true,
};
export const EVENT_FAMILIES = Object.keys(FAMILIES) as readonly EventFamily[];

/**
 * Same rule as shared's eventFamily; repeated here because shared/events.ts imports zod at
 * runtime and the browser only needs this one-liner.
 */
export function familyOf(kind: EventKind): EventFamily {
  return kind.slice(0, kind.indexOf('.')) as EventFamily;
}

/**
 * Heartbeats are most of the traffic (a leader of 9 nodes sends 160 a second at 50 ms), so the
 * log hides them by default and keeps a second buffer without them.
 */
export function isHeartbeatMessage(e: ClusterEvent): boolean {
  if (e.kind !== 'message.sent' && e.kind !== 'message.received' && e.kind !== 'message.lost') return false;
  return (e.data.family ?? (e.data.type === 'heartbeat' ? 'heartbeat' : 'other')) === 'heartbeat';
}

/** Nodes an event is about: its emitter plus any node named in its data (target, peer, id). */
export function involvesNode(e: ClusterEvent, node: string): boolean {
  if (e.node === node) return true;
  const d = e.data as Record<string, unknown>;
  return d.id === node || d.target === node || d.to === node || d.from === node;
}

const searchTextCache = new WeakMap<ClusterEvent, string>();

/** Lower-cased text a search box matches against; cached because the log filters on each frame. */
export function searchText(e: ClusterEvent): string {
  let text = searchTextCache.get(e);
  if (text === undefined) {
    text = `#${e.seq} ${e.node} ${e.kind} ${JSON.stringify(e.data)}`.toLowerCase();
    searchTextCache.set(e, text);
  }
  return text;
}

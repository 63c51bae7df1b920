import type { ClusterEvent, ClusterView } from '@clusterlab/shared';
import { isHeartbeatMessage } from '../lib/eventInfo';
import { foldLeadership, initialLeadership, seedFromView, type LeadershipState } from '../lib/failover';

/** Events kept per buffer. The leader timeline and failovers are folded as events arrive, so they outlive the cap. */
export const EVENT_CAP = 5000;

export type EventsState = {
  /** Every event, oldest first. */
  all: ClusterEvent[];
  /** The same without heartbeat messages, so hiding heartbeats still shows a long history. */
  notable: ClusterEvent[];
  /** Highest sequence number applied; the resume point after a reconnect. */
  lastSeq: number;
  /** Events the supervisor no longer had when we resumed (its buffer moved on while we were away). */
  missed: number;
  /** Every emitter seen (n1…, registry, supervisor), sorted, for the log's node filter. */
  sources: string[];
  leadership: LeadershipState;
};

export const initialEvents: EventsState = {
  all: [],
  notable: [],
  lastSeq: 0,
  missed: 0,
  sources: [],
  leadership: initialLeadership,
};

/**
 * Appends events in sequence order, dropping any already applied (a resumed stream may repeat
 * the tail we saw before the drop). Returns the same object when nothing new arrived.
 */
export function appendEvents(prev: EventsState, incoming: readonly ClusterEvent[], cap = EVENT_CAP): EventsState {
  const fresh: ClusterEvent[] = [];
  let last = prev.lastSeq;
  for (const e of incoming) {
    if (e.seq > last) {
      fresh.push(e);
      last = e.seq;
    }
  }
  if (fresh.length === 0) return prev;

  const quiet = fresh.filter((e) => !isHeartbeatMessage(e));
  let sources = prev.sources;
  for (const e of fresh) {
    if (!sources.includes(e.node)) sources = [...sources, e.node].sort(compareSources);
  }
  return {
    all: appendCapped(prev.all, fresh, cap),
    notable: quiet.length ? appendCapped(prev.notable, quiet, cap) : prev.notable,
    lastSeq: last,
    missed: prev.missed,
    sources,
    leadership: foldLeadership(prev.leadership, fresh),
  };
}

/**
 * A snapshot opens every connection. After a reconnect (we asked for events since `lastSeq`) it
 * continues our history; if its sequence is behind ours the supervisor itself restarted, and
 * the old history belongs to a cluster that no longer exists.
 */
export function applySnapshotEvents(
  prev: EventsState,
  frame: { events: ClusterEvent[]; lastSeq: number; cluster: ClusterView },
  receivedAt: number,
): EventsState {
  const base = frame.lastSeq < prev.lastSeq ? initialEvents : prev;
  let next = appendEvents(base, frame.events);
  const first = frame.events.find((e) => e.seq > base.lastSeq);
  if (base.lastSeq > 0 && first && first.seq > base.lastSeq + 1) {
    next = { ...next, missed: next.missed + (first.seq - base.lastSeq - 1) };
  }
  if (frame.lastSeq > next.lastSeq) next = { ...next, lastSeq: frame.lastSeq };
  // Without the election in our history, the leader has led at least since our oldest event.
  const firstSeenAt = next.all[0]?.time ?? frame.cluster.now ?? receivedAt;
  const seeded = seedFromView(next.leadership, frame.cluster, Math.min(firstSeenAt, frame.cluster.now ?? receivedAt));
  return seeded === next.leadership ? next : { ...next, leadership: seeded };
}

function appendCapped<T>(list: readonly T[], more: readonly T[], cap: number): T[] {
  const total = list.length + more.length;
  if (total <= cap) return list.concat(more);
  if (more.length >= cap) return more.slice(more.length - cap);
  return list.slice(total - cap).concat(more);
}

/** Nodes in rank order (n2 before n10), then the registry and supervisor. */
function compareSources(a: string, b: string): number {
  const ra = /^n(\d+)$/.exec(a);
  const rb = /^n(\d+)$/.exec(b);
  if (ra && rb) return Number(ra[1]) - Number(rb[1]);
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

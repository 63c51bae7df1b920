import type { ClusterEvent } from './events';
import type { NodeId } from './ids';
import { ClusterSettings } from './settings';

/** Every HTTP error body, from every process. */
export type ApiError = { error: string };

export type NodeRole = 'leader' | 'follower' | 'candidate' | 'unknown';
export type ProcessStatus = 'starting' | 'running' | 'paused' | 'stopped';

/** A node's own answer to GET /status. */
export type NodeStatus = {
  id: NodeId;
  role: NodeRole;
  epoch: number;
  leader: NodeId | null;
  peers: NodeId[];
  lastIndex: number;
  commitIndex: number;
  appliedIndex: number;
  keyCount: number;
  writeAck: string;
};

/** One node as the supervisor shows it (GET /api/cluster). */
export type NodeView = {
  id: NodeId;
  role: NodeRole;
  status: ProcessStatus;
  pid: number | null;
  port: number | null;
  /** http://127.0.0.1:port, once the node is listening. */
  url: string | null;
  epoch: number;
  leader: NodeId | null;
  commitIndex: number;
  appliedIndex: number;
  keyCount: number;
  /** Wall time (ms) this node last received a heartbeat or append from a leader. */
  lastHeartbeatAt: number | null;
  startedAt: number | null;
  exit: { code: number | null; signal: string | null } | null;
};

export type RegistryEntry = { id: NodeId; host: string; port: number; lastSeenAt: number; expiresAt: number };

export type RegistryView = {
  status: ProcessStatus;
  pid: number | null;
  port: number | null;
  url: string | null;
  ttlMs: number;
  nodes: RegistryEntry[];
};

export type ClusterView = {
  /** The leader of the highest epoch any running node follows, or null while there is none. */
  leader: NodeId | null;
  epoch: number;
  settings: ClusterSettings;
  nodes: NodeView[];
  registry: RegistryView;
  /** Supervisor wall time when this view was taken, so a browser can correct for its own clock. */
  now: number;
};

/** The answer of PUT|GET|DELETE /api/kv/:key. `status` is the serving node's HTTP status. */
export type KvResult = {
  key: string;
  /** The node that finally answered (after following a redirect). */
  servedBy: NodeId | null;
  /** The node the request was first sent to, when a redirect was followed. */
  redirectedFrom: NodeId | null;
  status: number;
  value?: string | null;
  index?: number;
  error?: string;
};

/** GET /api/kv/:key?via=all — one read per running node, side by side. */
export type KvReadAll = { key: string; reads: KvResult[] };

/** GET /api/keys — every key each running node holds, with the index that last wrote it. */
export type KeysTable = {
  nodes: { id: NodeId; appliedIndex: number; reachable: boolean }[];
  keys: { key: string; values: Record<NodeId, { value: string; index: number } | null> }[];
  /** True when more keys exist than the table returns. */
  truncated: boolean;
};

/** PUT /api/settings body: applied by restarting the cluster with the new settings. */
export const SettingsUpdate = ClusterSettings;

/**
 * Frames on the /ws stream (server → browser). Connect with ?since=<last seq seen>&boot=<bootId
 * of the snapshot it came from> to resume; sequence numbers restart with the supervisor, so a
 * resume is only honoured by the same supervisor run.
 */
export type ServerFrame =
  | { type: 'snapshot'; cluster: ClusterView; events: ClusterEvent[]; lastSeq: number; bootId: string }
  | { type: 'events'; events: ClusterEvent[] }
  | { type: 'cluster'; cluster: ClusterView };

/** GET /api/events?since=<seq>&limit=N — events after `since`, oldest first; `lastSeq` is the newest there is. */
export type EventsPage = { events: ClusterEvent[]; lastSeq: number };

/** POST /api/cluster/reset body: wipe all data and start a fresh cluster (default: as many nodes as now). */
export type ResetRequest = { nodes?: number };

import { z } from 'zod';
import type { ClusterEvent } from './events';
import type { FaultId, LastingFault, ProcessFault } from './faults';
import type { NodeId } from './ids';
import { StoredValue } from './kv';
import { ALGORITHM_SETTING_KEYS, AlgorithmId, ClusterSettings } from './settings';

/** Every HTTP error body, from every process. */
export type ApiError = { error: string };

/** A pre-candidate (Raft with PreVote) asks whether it would win before it stands. */
export const NodeRole = z.enum(['leader', 'follower', 'candidate', 'pre-candidate', 'unknown']);
export type NodeRole = z.infer<typeof NodeRole>;
/** Whether a node votes (Raft); bully has no membership beyond the registry's list. */
export const Membership = z.enum(['voter', 'learner', 'none']);
export type Membership = z.infer<typeof Membership>;
export type ProcessStatus = 'starting' | 'running' | 'paused' | 'stopped';

/**
 * A node's own answer to GET /status, in every algorithm's common words: `term` orders
 * leaderships (a bully epoch, a Raft term). Raft adds whom it voted for and its membership.
 */
const count = z.number().int().nonnegative();
const ids = z.array(z.string().max(64)).max(1000);

/**
 * How late a node's event loop ran in its last completed window (about a second), in ms: a
 * node stalled past an election timeout misses heartbeats and looks dead to its peers.
 */
export const EventLoopLag = z.object({
  p50: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  max: z.number().nonnegative(),
  windowMs: z.number().nonnegative(),
  /** Wall time the window closed (ms since the epoch): tells one window from the next. */
  endedAt: z.number().nonnegative(),
});
export type EventLoopLag = z.infer<typeof EventLoopLag>;
export const NodeStatus = z.object({
  id: z.string().max(64),
  algorithm: AlgorithmId,
  role: NodeRole,
  term: count,
  leader: z.string().max(64).nullable(),
  peers: ids,
  lastIndex: count,
  commitIndex: count,
  appliedIndex: count,
  keyCount: count,
  writeAck: z.string().max(32),
  votedFor: z.string().max(64).nullable().optional(),
  membership: Membership.optional(),
  voters: ids.optional(),
  learners: ids.optional(),
  /** Set by a node's runtime, not its core (the simulator has no event loop). */
  eventLoopLagMs: EventLoopLag.nullable().optional(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

/** GET /db on a node: the keys it holds, in key order (page on with ?after=<last key>). */
export const KvListing = z.object({
  node: z.string().max(64),
  appliedIndex: count,
  entries: z.array(z.tuple([z.string(), StoredValue])),
  truncated: z.boolean(),
});
export type KvListing = z.infer<typeof KvListing>;

/** What the supervisor can do to a process (POST /api/nodes/:id/<action>, POST /api/registry/<action>). */
export const PROCESS_ACTIONS = ['kill', 'stop', 'pause', 'resume', 'restart'] as const;
export type ProcessAction = (typeof PROCESS_ACTIONS)[number];

/** One node as the supervisor shows it (GET /api/cluster). */
export type NodeView = {
  id: NodeId;
  role: NodeRole;
  status: ProcessStatus;
  pid: number | null;
  port: number | null;
  /** http://127.0.0.1:port, once the node is listening. */
  url: string | null;
  term: number;
  leader: NodeId | null;
  lastIndex: number;
  commitIndex: number;
  appliedIndex: number;
  keyCount: number;
  /** Wall time (ms) this node last received a heartbeat or append from a leader. */
  lastHeartbeatAt: number | null;
  /** Raft: whom this node voted for in its term, and whether it votes at all. */
  votedFor: NodeId | null;
  membership: Membership;
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
  /** The leader of the highest term any running node follows, or null while there is none. */
  leader: NodeId | null;
  term: number;
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
  /**
   * The key's version (the index that last wrote it, its ETag): what a read found or a put
   * made, or, on a 412, what it is now (0: the key does not exist).
   */
  version?: number;
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

/**
 * PUT /api/settings body: applied by restarting the cluster with the new settings. The common
 * timings are required; `algorithm`, `fsync` and each algorithm's own knobs may be left out,
 * and keep what the cluster runs with now (so a body written before Raft existed still works).
 */
export function parseSettingsUpdate(current: ClusterSettings, body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ClusterSettings.safeParse(body);
  const kept: Record<string, unknown> = { algorithm: current.algorithm, fsync: current.fsync };
  for (const key of Object.values(ALGORITHM_SETTING_KEYS).flat()) kept[key] = current[key as keyof ClusterSettings];
  return ClusterSettings.safeParse({ ...kept, ...body });
}

/**
 * Frames on the /ws stream (server → browser). Connect with ?since=<last seq seen>&boot=<bootId
 * of the snapshot it came from> to resume; sequence numbers restart with the supervisor, so a
 * resume is only honoured by the same supervisor run.
 */
export type ServerFrame =
  | { type: 'snapshot'; cluster: ClusterView; events: ClusterEvent[]; lastSeq: number; bootId: string }
  | { type: 'events'; events: ClusterEvent[] }
  | { type: 'cluster'; cluster: ClusterView };

/**
 * The close code of a /ws client that left more unread than the supervisor will hold for it;
 * the close reason says how much ("you fell behind: 1.2 MiB of events were waiting unread").
 */
export const WS_CLOSE_FELL_BEHIND = 4008;

/** PUT|POST /api/kv/:key body (sent as application/json, like every write to the supervisor). */
export type KvWriteBody = { value: string };

/** GET /api/events?since=<seq>&limit=N — events after `since`, oldest first; `lastSeq` is the newest there is. */
export type EventsPage = { events: ClusterEvent[]; lastSeq: number };

/** POST /api/cluster/reset body: wipe all data and start a fresh cluster (default: as many nodes as now). */
export type ResetRequest = { nodes?: number };

/**
 * A lasting fault in force (GET /api/faults lists them; POST /api/faults answers one with 201):
 * its id to heal it by, the fault, the sentence naming the links it cuts or slows, and when it
 * began (wall time, ms since the Unix epoch, and the seq of its fault.network event).
 */
export type FaultView = { id: FaultId; fault: LastingFault; description: string; since: number; sinceSeq: number };
export type FaultsPage = { faults: FaultView[] };
/** POST /api/faults with a process fault: done once (200), nothing to heal, the node as it is afterwards. */
export type ProcessFaultDone = { fault: ProcessFault; description: string; node: NodeView };

import type { ClusterSettings, EventBody, LogEntry, NodeId, PeerMessage, StoredValue } from '@clusterlab/shared';

/**
 * The core's whole interface with the world. Every input carries the time, read by the
 * caller; the core never reads a clock, draws unseeded randomness or touches a socket.
 */
export type CoreInput =
  | { type: 'start'; now: number }
  | { type: 'tick'; now: number }
  | { type: 'message'; now: number; from: NodeId; msg: PeerMessage }
  /** The transport could not deliver a message (connection refused, timed out). */
  | { type: 'undeliverable'; now: number; to: NodeId; msg: PeerMessage }
  /** The live nodes the registry lists, not counting this one. */
  | { type: 'peers'; now: number; peers: NodeId[] }
  | { type: 'client'; now: number; requestId: number; request: ClientRequest };

export type ClientRequest =
  | { type: 'get'; key: string }
  | { type: 'put'; key: string; value: string }
  | { type: 'delete'; key: string };

export type ClientReply =
  | { type: 'value'; value: StoredValue | null }
  | { type: 'ok'; index: number; epoch: number }
  | { type: 'redirect'; leader: NodeId }
  /** No leader known, too many writes waiting, or leadership lost before acknowledgement. */
  | { type: 'unavailable'; reason: string; maybeApplied: boolean }
  /** Not acknowledged within writeTimeoutMs; the entry stays in the log and may still commit. */
  | { type: 'timeout'; index: number };

/** What must reach disk before anything that follows it in the same output list. */
export type PersistRecord =
  | { type: 'entries'; entries: LogEntry[] }
  | { type: 'commit'; index: number }
  | { type: 'epoch'; epoch: number }
  /** The log was replaced by a snapshot of the key/value state as of `index`. */
  | { type: 'snapshot'; index: number; epoch: number; data: [string, StoredValue][] };

export type CoreOutput =
  | { type: 'send'; to: NodeId; msg: PeerMessage }
  | { type: 'persist'; record: PersistRecord }
  | { type: 'reply'; requestId: number; reply: ClientReply }
  | { type: 'event'; event: EventBody };

export type CoreConfig = {
  id: NodeId;
  settings: ClusterSettings;
  /** Seeds the PRNG that draws election timeouts. */
  seed: number;
};

/** What a node finds on disk when it starts again. */
export type RestoredState = {
  epoch: number;
  snapshot: { index: number; epoch: number; data: [string, StoredValue][] } | null;
  entries: LogEntry[];
  commitIndex: number;
};

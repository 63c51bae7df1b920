import type { ClusterSettings, EventBody, KvListing, NodeId, NodeStatus, PeerMessage, Protocol, StoredValue, Txn, TxnOutcome } from '@clusterlab/shared';

/**
 * The seam between an algorithm and its hosts (the node runtime, the simulator, the unit-test
 * cluster). A core is a pure state machine: every input carries the time, read by the
 * caller; the core never reads a clock, draws unseeded randomness or touches a socket.
 * `M` is the algorithm's peer message, `R` a record it persists, `D` what its disk folds to.
 */
export type CoreInput<M = PeerMessage> =
  | { type: 'start'; now: number }
  | { type: 'tick'; now: number }
  | { type: 'message'; now: number; from: NodeId; msg: M }
  /** The transport could not deliver a message (connection refused, timed out). */
  | { type: 'undeliverable'; now: number; to: NodeId; msg: M }
  /** The live nodes the registry lists, not counting this one: an address book, not a membership. */
  | { type: 'peers'; now: number; peers: NodeId[] }
  | { type: 'client'; now: number; requestId: number; request: ClientRequest }
  /** A record persisted with `whenDurable` is on disk now (the host echoes the position it named). */
  | { type: 'durable'; now: number; position: LogPosition };

/** An entry's place in a log: its index and the term it was written in. */
export type LogPosition = { index: number; term: number };

/**
 * How fresh a read must be. `local`: this node's copy, maybe stale. `leader`: the leader's
 * copy without checking it still leads (stale after a partition). `linearizable`: the leader
 * confirms with a heartbeat round that it still leads before it answers (ReadIndex).
 */
export type ReadMode = 'local' | 'leader' | 'linearizable';
export const READ_MODES: readonly ReadMode[] = ['local', 'leader', 'linearizable'];

export type ClientRequest =
  | { type: 'get'; key: string; read: ReadMode }
  | { type: 'put'; key: string; value: string }
  | { type: 'delete'; key: string }
  /** Compares and the ops of the branch they choose, as one log entry (shared/src/txn.ts). */
  | { type: 'txn'; txn: Txn }
  /** Membership changes, for algorithms that keep membership in their log (Raft). */
  | { type: 'member.add'; id: NodeId }
  | { type: 'member.remove'; id: NodeId };

export type ClientReply =
  | { type: 'value'; value: StoredValue | null }
  /** A write (or membership change) is committed at `index`, logged in `term`; a transaction's outcome as it was applied. */
  | { type: 'ok'; index: number; term: number; txn?: TxnOutcome }
  | { type: 'redirect'; leader: NodeId }
  /** No leader known, too many writes waiting, or leadership lost before acknowledgement. */
  | { type: 'unavailable'; reason: string; maybeApplied: boolean }
  /** Not acknowledged within writeTimeoutMs; the entry stays in the log and may still commit. */
  | { type: 'timeout'; index: number }
  /** A request this algorithm cannot honour as asked (bully and linearizable reads): a 400, with why. */
  | { type: 'invalid'; reason: string };

export type CoreOutput<M = PeerMessage, R = unknown> =
  | { type: 'send'; to: NodeId; msg: M }
  /**
   * Must reach the disk before anything that follows it in the same output list — unless
   * `lazy`: a record the node may lose in a power cut without breaking a promise, because it
   * learns it again from its peers (a commit index). It is written, and nothing waits for it.
   * With `whenDurable` as well, the host steps the core with a `durable` input naming that
   * position once the record is on disk: so a Raft leader can send its entries to the followers
   * while its own disk writes them (§10.2.1), and count itself only once they are there.
   */
  | { type: 'persist'; record: R; lazy?: true; whenDurable?: LogPosition }
  | { type: 'reply'; requestId: number; reply: ClientReply }
  | { type: 'event'; event: EventBody };

export type CoreConfig = {
  id: NodeId;
  settings: ClusterSettings;
  /** Seeds the PRNG that draws election timeouts. */
  seed: number;
  /**
   * The voters of a brand-new cluster (the nodes the supervisor starts together). A node that
   * joins a running cluster gets none and waits to be added. Ignored when the disk says more.
   */
  initialVoters: NodeId[];
  /**
   * Bytes of JSON per snapshot chunk; MAX_SNAPSHOT_CHUNK_BYTES unless a host says otherwise.
   * The simulator's states are a few keys, so it asks for tiny chunks to put the chunking
   * itself through every fault it draws. (Bully honours it; Raft keeps its constant.)
   */
  snapshotChunkBytes?: number;
};

export interface Core<M = PeerMessage, R = unknown, D = unknown> {
  readonly id: NodeId;
  step(input: CoreInput<M>): CoreOutput<M, R>[];
  /** The earliest time at which a tick could change anything: the host's next timer. */
  nextWakeAt(): number;
  status(): NodeStatus;
  /** Up to `limit` keys in key order, after `after` when given. */
  list(limit: number, after?: string): Omit<KvListing, 'node' | 'appliedIndex'>;
  /** What the storage adapter writes as a compact image: folding nothing onto it restores this node. */
  image(): D;
}

/** What the simulator checks after every step of every node, for one algorithm's promises. */
export interface StepChecker<M = PeerMessage, R = unknown> {
  afterStep(id: NodeId, incarnation: number, input: CoreInput<M>, outputs: readonly CoreOutput<M, R>[], status: NodeStatus, now: number): void;
}

/** How the simulator follows which (index, term) each node's state is built from. */
export type LineageEffect =
  | { type: 'entries'; entries: { index: number; term: number }[] }
  /** Entries after `index` are gone from this node's log. */
  | { type: 'truncate'; afterIndex: number }
  /** The state was replaced by a snapshot as of `index` (its lineage comes with the message). */
  | { type: 'snapshot'; index: number };

/** One algorithm, as every host sees it. One per folder under node/algorithms/. */
export interface Algorithm<M = PeerMessage, R = unknown, D = unknown> {
  readonly id: 'bully' | 'raft';
  readonly protocol: Protocol<M & PeerMessage>;
  create(config: CoreConfig, restored?: D): Core<M, R, D>;
  /** The disk of a node that never ran. */
  emptyDisk(): D;
  /** Replay of one durable record: the WAL on restart and the simulator's disk agree exactly. */
  fold(disk: D, record: R): D;
  /** A fresh checker of this algorithm's invariants for one simulated run. */
  checker(): StepChecker<M, R>;
  /**
   * Whether the algorithm promises that a write it acknowledged survives every fault it was
   * built for (Raft does; bully does not, and the checker's finding a loss is the lesson).
   * The simulator holds it to that promise against its own ground truth.
   */
  readonly keepsAcknowledgedWrites: boolean;
  lineage(record: R): LineageEffect | null;
  /** For a message that installs a snapshot: the index it is as of (its lineage travels with it). */
  snapshotIndex(msg: M): number | null;
}

export type AnyAlgorithm = Algorithm<PeerMessage, unknown, unknown>;
export type AnyCore = Core<PeerMessage, unknown, unknown>;

import { MAX_SNAPSHOT_CHUNK_BYTES, nodeRank, Rng, type ClusterSettings, type EventBody, type NodeId, type BullyMessage, type StoredValue, type TxnOutcome } from '@clusterlab/shared';
import { KvStore } from '../../core/kv-store';
import { ReplicationLog } from './replication-log';
import type { ClientReply, CoreConfig, CoreOutput } from '../../core/types';
import type { BullyRecord } from './types';

export type Role = 'follower' | 'candidate' | 'leader';

/** What the leader knows of one follower's log. At most one append, or one snapshot chunk, is in flight per follower. */
export type FollowerProgress = {
  matchIndex: number;
  nextIndex: number;
  inflight: { upTo: number; sentAt: number } | null;
  /** While set, the follower is sent its snapshot chunk by chunk instead of appends. */
  snapshot: SnapshotTransfer | null;
};

/**
 * The leader's key space as of one applied index, copied once so later writes cannot tear a
 * transfer in progress (the values themselves are never mutated). Every follower that needs a
 * snapshot meanwhile reads the same copy. `sizes` bound each pair's JSON, for cutting chunks.
 */
export type FrozenSnapshot = {
  index: number;
  indexEpoch: number;
  pairs: [string, StoredValue][];
  sizes: number[];
  chunks: number;
  bytes: number;
};

/** One follower's transfer: the next pair to send, and when the chunk in flight went (null: none in flight). */
export type SnapshotTransfer = { frozen: FrozenSnapshot; offset: number; sentAt: number | null };

/** A snapshot a follower is receiving, from the leader of `epoch`: the pairs so far, installed only when whole. */
export type IncomingSnapshot = { epoch: number; index: number; indexEpoch: number; pairs: [string, StoredValue][]; lastChunkAt: number };

/** `outcome`: a transaction's, set when its entry is applied, answered with the acknowledgement. */
export type PendingWrite = { requestId: number; key: string; index: number; startedAt: number; deadline: number; outcome?: TxnOutcome };

/** A bully election this node started: the higher nodes it still waits on, and who answered. */
export type Election = { epoch: number; waitingOn: Set<NodeId>; answeredBy: NodeId | null; deadline: number };

/**
 * All of a node's state, plus the list of outputs produced by the step in progress.
 * The role modules (election, leader, follower) read and change it; nothing else does.
 */
export class CoreState {
  readonly id: NodeId;
  readonly settings: ClusterSettings;
  readonly snapshotChunkBytes: number;
  private readonly rng: Rng;

  role: Role = 'follower';
  /**
   * The epoch of the leader this node last followed, or led. Durable. A claim made in an
   * election is not an epoch yet: until it wins, the node still accepts its old leader.
   */
  epoch = 0;
  /** The highest epoch seen anywhere, claims included, so a new claim always outbids them. */
  maxSeenEpoch = 0;
  leader: NodeId | null = null;
  /** Live peers as the registry lists them, sorted, without this node. */
  peers: NodeId[] = [];
  readonly log = new ReplicationLog();
  readonly kv = new KvStore();
  commitIndex = 0;
  appliedIndex = 0;
  startedAt = 0;
  /** Whether the registry has answered at least once (the peer list may still be empty). */
  heardFromRegistry = false;

  // As a follower.
  electionDeadline = Number.POSITIVE_INFINITY;
  lastLeaderContactAt: number | null = null;
  /** The epoch whose leader has confirmed our log is a prefix of its own; -1 for none. */
  syncedEpoch = -1;
  lastSyncRequestAt = Number.NEGATIVE_INFINITY;
  incoming: IncomingSnapshot | null = null;

  // As a candidate.
  election: Election | null = null;

  // As the leader.
  followers = new Map<NodeId, FollowerProgress>();
  /** Writes awaiting acknowledgement, in index order. */
  pending = new Map<number, PendingWrite>();
  nextHeartbeatAt = Number.POSITIVE_INFINITY;
  /** The snapshot transfers in progress read from; dropped once none does. */
  frozen: FrozenSnapshot | null = null;

  private out: CoreOutput<BullyMessage, BullyRecord>[] = [];

  constructor(config: CoreConfig) {
    this.id = config.id;
    this.settings = config.settings;
    this.snapshotChunkBytes = config.snapshotChunkBytes ?? MAX_SNAPSHOT_CHUNK_BYTES;
    this.rng = new Rng(config.seed);
  }

  send(to: NodeId, msg: BullyMessage): void {
    this.out.push({ type: 'send', to, msg });
  }
  /** `lazy`: written, but nothing that follows waits for it to reach the disk (see CoreOutput). */
  persist(record: BullyRecord, lazy = false): void {
    this.out.push(lazy ? { type: 'persist', record, lazy } : { type: 'persist', record });
  }
  emit(event: EventBody): void {
    this.out.push({ type: 'event', event });
  }
  reply(requestId: number, reply: ClientReply): void {
    this.out.push({ type: 'reply', requestId, reply });
  }
  drain(): CoreOutput<BullyMessage, BullyRecord>[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Raise the epoch (never lower it) and make it durable, so a restart cannot reuse an old one. */
  raiseEpoch(epoch: number): void {
    this.sawEpoch(epoch);
    if (epoch <= this.epoch) return;
    this.epoch = epoch;
    this.persist({ type: 'epoch', epoch });
  }

  sawEpoch(epoch: number): void {
    if (epoch > this.maxSeenEpoch) this.maxSeenEpoch = epoch;
  }

  /** Whether the leader this node follows spoke within the last two heartbeat intervals. */
  hearsLeader(now: number): boolean {
    return (
      this.role === 'follower' &&
      this.leader !== null &&
      this.lastLeaderContactAt !== null &&
      now - this.lastLeaderContactAt <= 2 * this.settings.heartbeatIntervalMs
    );
  }

  /** How long an unanswered append or snapshot chunk waits before it is sent again: heartbeat pace, not a tight loop. */
  get retryMs(): number {
    return Math.max(4 * this.settings.heartbeatIntervalMs, 200);
  }

  resetElectionTimer(now: number, extraMs = 0): void {
    const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = this.settings;
    this.electionDeadline = now + extraMs + this.rng.between(min, max);
  }

  /** The peers ranked above this node: the ones a bully election must ask. */
  higherPeers(): NodeId[] {
    const mine = nodeRank(this.id);
    return this.peers.filter((p) => nodeRank(p) > mine);
  }
}

import { Rng, type ClusterSettings, type EventBody, type NodeId, type RaftConfig, type RaftMessage, type StoredValue } from '@clusterlab/shared';
import { KvStore } from '../../core/kv-store';
import type { ClientReply, CoreConfig, CoreOutput } from '../../core/types';
import { ConfigLog } from './config-log';
import { RaftLog } from './raft-log';
import type { RaftRecord } from './records';

/** What the leader knows of one follower's (or learner's) log. */
export type Progress = {
  /** The highest index known to match the leader's log. */
  matchIndex: number;
  nextIndex: number;
  /**
   * probe: the leader does not know where the logs part, one append at a time until one is
   * accepted; replicate: appends are pipelined; snapshot: a snapshot transfer is under way.
   */
  mode: 'probe' | 'replicate' | 'snapshot';
  /** The last index of each append sent in replicate mode and not yet acknowledged, oldest first. */
  inflight: number[];
  /** A probe is on its way (only one, except the heartbeat's retry). */
  probeSent: boolean;
  /** Rejections of appends sent before this round are stale: they would undo a newer back-off. */
  rejectFloor: number;
  /** The highest append round this node has answered in the current term (ReadIndex). */
  ackedRound: number;
  /** When this node last answered anything in the current term (CheckQuorum). */
  lastHeardAt: number;
  snapshot: SnapshotSend | null;
};

/** The leader's state as of `index`, frozen for the followers that need it. */
export type FrozenSnapshot = { index: number; term: number; config: RaftConfig; pairs: [string, StoredValue][] };

/** One snapshot transfer: the next pair to send, and when the chunk in flight left (null: none). */
export type SnapshotSend = { frozen: FrozenSnapshot; offset: number; sentAt: number | null };

/** A snapshot arriving in chunks, on a follower. */
export type IncomingSnapshot = { index: number; term: number; config: RaftConfig; pairs: [string, StoredValue][]; nextOffset: number };

export type PendingWrite = { requestId: number; key: string; index: number; term: number; startedAt: number; deadline: number };

/** A linearizable read: answerable once a majority has answered round `round` or later, and readIndex is applied. */
export type PendingRead = { requestId: number; key: string; round: number; readIndex: number | null; deadline: number };

export type LeaderState = {
  role: 'leader';
  progress: Map<NodeId, Progress>;
  pending: Fifo<PendingWrite>;
  reads: Fifo<PendingRead>;
  /** The last append round sent; every append carries a new one. */
  round: number;
  /** This leader's noop: until it commits, the leader may not know what is committed (§6.4). */
  noopIndex: number;
  heartbeatDueAt: number;
  /** When CheckQuorum would next find the majority silent. */
  quorumCheckAt: number;
  /** The membership change this leader appended and has not yet seen committed. */
  change: { requestId: number | null; index: number } | null;
  /** The first round of the heartbeat broadcast made for reads and not yet confirmed. */
  readProbeRound: number | null;
  /** A read arrived after that broadcast left: another is needed once it is confirmed. */
  readWanted: boolean;
  frozen: FrozenSnapshot | null;
};

export type CandidateState = { role: 'candidate'; granted: Set<NodeId>; refused: Set<NodeId> };
/** Asks "would you vote for me in term + 1?" without changing any term (§9.6). */
export type PreCandidateState = { role: 'pre-candidate'; granted: Set<NodeId>; refused: Set<NodeId> };
export type FollowerState = { role: 'follower'; leader: NodeId | null; incoming: IncomingSnapshot | null };

export type RoleState = LeaderState | CandidateState | PreCandidateState | FollowerState;

export type RaftOutput = CoreOutput<RaftMessage, RaftRecord>;

/**
 * A node's state, shared by the role modules, plus the outputs of the step in progress.
 * Only the role-specific parts live in `role`, so a follower cannot hold a progress map nor
 * a leader a vote tally.
 */
export class RaftState {
  readonly id: NodeId;
  readonly settings: ClusterSettings;
  private readonly rng: Rng;

  /** Durable, with votedFor: the hard state. */
  term = 0;
  votedFor: NodeId | null = null;
  role: RoleState = { role: 'follower', leader: null, incoming: null };
  readonly log = new RaftLog();
  readonly config: ConfigLog;
  readonly kv = new KvStore();
  commitIndex = 0;
  appliedIndex = 0;
  /**
   * The end of the prefix of this node's log that is on its disk — or will be before anything
   * after it leaves the node. A leader counts itself towards a majority only this far: it sends
   * its new entries to the followers while its own disk writes them (§10.2.1).
   */
  durableIndex = 0;
  /** The registry's live nodes: an address book for status, never a membership. */
  peers: NodeId[] = [];
  started = false;
  startedAt = 0;
  electionDeadline = Number.POSITIVE_INFINITY;
  /** When a leader of the current term last spoke to us (the lease that keeps a rejoining node from disrupting). */
  lastLeaderContactAt = Number.NEGATIVE_INFINITY;
  /** The configuration index last reported committed, so each is reported once. */
  reportedConfigCommit = -1;

  private out: RaftOutput[] = [];

  constructor(config: CoreConfig) {
    this.id = config.id;
    this.settings = config.settings;
    this.rng = new Rng(config.seed);
    this.config = new ConfigLog({ voters: [...config.initialVoters], learners: [] });
  }

  send(to: NodeId, msg: RaftMessage): void {
    this.out.push({ type: 'send', to, msg });
  }
  persist(record: RaftRecord): void {
    this.out.push({ type: 'persist', record });
  }
  /** A record a power cut may take without breaking a promise: nothing that follows waits for it. */
  persistLazily(record: RaftRecord): void {
    this.out.push({ type: 'persist', record, lazy: true });
  }
  /** A record nothing waits for, whose arrival on disk the host reports with a `durable` input. */
  persistAndTell(record: RaftRecord, whenDurable: { index: number; term: number }): void {
    this.out.push({ type: 'persist', record, lazy: true, whenDurable });
  }
  emit(event: EventBody): void {
    this.out.push({ type: 'event', event });
  }
  reply(requestId: number, reply: ClientReply): void {
    this.out.push({ type: 'reply', requestId, reply });
  }
  drain(): RaftOutput[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  persistHardState(): void {
    this.persist({ type: 'hard_state', term: this.term, votedFor: this.votedFor });
  }

  resetElectionTimer(now: number): void {
    this.electionDeadline = now + this.rng.between(this.settings.electionTimeoutMinMs, this.settings.electionTimeoutMaxMs);
  }

  leader(): NodeId | null {
    if (this.role.role === 'leader') return this.id;
    return this.role.role === 'follower' ? this.role.leader : null;
  }
}

/** A first-in first-out queue that does not copy on every removal. */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

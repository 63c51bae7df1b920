import type { NodeId, PeerMessage } from '@clusterlab/shared';
import type { AnyAlgorithm, AnyCore, ClientRequest, LogPosition } from '../node/core/types';

/**
 * One simulated node process around a core: what a real process has that the core does
 * not — a life (up, paused, crashed), a disk, a socket buffer, one timer, a registry client.
 *
 * - The disk is the fold of every persist record (the algorithm's own fold), exactly what the
 *   WAL replays; a crash loses everything else, and a restart builds a new core from the disk.
 * - While paused (SIGSTOP) the process runs nothing: inputs wait in `inbox` as bytes wait in
 *   a kernel socket buffer, and on resume it works through them in arrival order.
 */
export type ProcessState = 'up' | 'paused' | 'crashed';

/** An input that reached a paused process and waits for it. */
export type Inbound =
  | { type: 'message'; envelope: Envelope }
  | { type: 'undeliverable'; to: NodeId; msg: PeerMessage }
  | { type: 'client'; requestId: number; request: ClientRequest }
  | { type: 'peers'; peers: NodeId[] }
  /** The disk reports a record the core asked about is durable (an fsync that returned). */
  | { type: 'durable'; position: LogPosition };

/** A peer message on the wire. `processed` lets the sender's transport tell "answered" from "timed out". */
export type Envelope = {
  id: string;
  /** The sender's Lamport time at its message.sent. */
  lamport: number;
  from: NodeId;
  /** The sender's incarnation: only the process that sent a message hears that it was lost. */
  fromIncarnation: number;
  to: NodeId;
  msg: PeerMessage;
  sentAt: number;
  processed: boolean;
  /** For a snapshot: the sender's lineage up to the snapshot's index (see NodeProcess.lineage). */
  lineage?: number[];
};

export class NodeProcess {
  state: ProcessState = 'crashed';
  /** Bumped on every start, so timers and answers meant for an earlier life are ignored. */
  incarnation = 0;
  core: AnyCore | null = null;
  private diskState: unknown;
  inbox: Inbound[] = [];
  /** When the one timer is set for (Infinity: none). */
  timerAt = Number.POSITIVE_INFINITY;
  /** A registry beat came due while paused; it runs on resume (a timer always ticks on resume). */
  beatMissed = false;
  /** A registration is in flight until then (the registry client skips a beat while busy). */
  registeringUntil = Number.NEGATIVE_INFINITY;
  /**
   * The simulator's ground truth about this node's log: lineage[i] is the term of the entry at
   * index i that its log (and so its state) is built from. Kept from the persist records — so a
   * restart keeps it, like the disk — and, for a snapshot, copied from the leader that sent it.
   * At the end, an acknowledged write whose (index, epoch) is not in the final leader's lineage
   * is really lost, whatever any read saw.
   */
  lineage: number[] = [0];
  /** Client requests this process has taken and not yet answered (a crash resets their connections). */
  readonly openRequests = new Set<number>();
  private messageSeq = 0;

  constructor(
    readonly id: NodeId,
    private readonly algorithm: AnyAlgorithm,
  ) {
    this.diskState = algorithm.emptyDisk();
  }

  persist(record: unknown, snapshotLineage?: number[]): void {
    const effect = this.algorithm.lineage(record);
    if (effect?.type === 'entries') for (const e of effect.entries) this.lineage[e.index] = e.term;
    else if (effect?.type === 'truncate') this.lineage.length = Math.min(this.lineage.length, effect.afterIndex + 1);
    else if (effect?.type === 'snapshot') {
      if (!snapshotLineage) throw new Error(`${this.id} installed a snapshot that came with no lineage`);
      this.lineage = snapshotLineage.slice(0, effect.index + 1);
    }
    // The disk keeps its own lists, so it cannot change when the core later changes the ones it
    // handed over. The entries and values in them are never mutated (a core replaces, never
    // edits, an entry or a StoredValue), so a shallow copy is a faithful one — and it is the
    // hot path of every write.
    this.diskState = this.algorithm.fold(this.diskState, shallowCopy(record));
  }

  /** What a new process would load (a copy, so the new core cannot write through to the disk). */
  loadDisk(): unknown {
    return structuredClone(this.diskState);
  }

  /** A message id unique across the run, like the real transport's `<node>-<boot>-<seq>`. */
  nextMessageId(): string {
    return `${this.id}-${this.incarnation}-${(this.messageSeq++).toString(36)}`;
  }

  liveCore(): AnyCore {
    if (!this.core) throw new Error(`${this.id} has no running core`);
    return this.core;
  }
}

/** A copy of the record and of the lists directly in it (entries, snapshot data). */
function shallowCopy(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record;
  const copy: Record<string, unknown> = { ...record };
  for (const [k, v] of Object.entries(copy)) if (Array.isArray(v)) copy[k] = [...v];
  return copy;
}

import type { HistoryOp, NodeId, Rng } from '@clusterlab/shared';
import type { ClientReply, ClientRequest, ReadMode } from '../node/core/types';
import type { ClientWork } from './clients';
import type { HistoryRecorder } from './history-recorder';

/**
 * One client's work on a few registers: each op a read, put or delete of a random key,
 * recorded in the history for the linearizability checker. Every write's value is unique
 * (`c3-17`), so a read's value names the write it came from.
 */
export type RegisterWorkOptions = {
  keys: string[];
  /** How fresh a read must be (the node's own copy, the leader's, or linearizable). */
  readMode: ReadMode;
  /** Shares of reads and deletes among ops; the rest are puts. */
  readShare: number;
  deleteShare: number;
};

export const DEFAULT_REGISTER_WORK: Omit<RegisterWorkOptions, 'keys'> = { readMode: 'local', readShare: 0.5, deleteShare: 0.1 };

export class RegisterWork implements ClientWork {
  private writes = 0;
  private op: HistoryOp | null = null;

  constructor(
    private readonly client: string,
    private readonly rng: Rng,
    private readonly history: HistoryRecorder,
    private readonly options: RegisterWorkOptions,
  ) {}

  next(now: number): ClientRequest {
    const o = this.options;
    const key = this.rng.pick(o.keys);
    const roll = this.rng.next();
    if (roll < o.readShare) {
      this.op = this.history.invoke(this.client, 'read', key, null, now);
      return { type: 'get', key, read: o.readMode };
    }
    if (roll < o.readShare + o.deleteShare) {
      this.op = this.history.invoke(this.client, 'delete', key, null, now);
      return { type: 'delete', key };
    }
    const value = `${this.client}-${++this.writes}`;
    this.op = this.history.invoke(this.client, 'write', key, value, now);
    return { type: 'put', key, value };
  }

  ended(outcome: HistoryOp['outcome'], node: NodeId, reply: ClientReply | null, now: number): void {
    const op = this.op!;
    if (reply?.type === 'ok') this.history.acknowledgedAt(op, reply.index, reply.term);
    this.history.complete(op, outcome, now, node, reply?.type === 'value' ? (reply.value?.value ?? null) : undefined);
    this.op = null;
  }
}

import type { HistoryOp, NodeId, Rng } from '@clusterlab/shared';
import { conditionalTxn, preconditionAt } from '../node/runtime/conditional-write';
import type { ClientReply, ClientRequest, ReadMode } from '../node/core/types';
import type { ClientWork } from './clients';
import type { HistoryRecorder } from './history-recorder';

/**
 * One client's work on a few registers: each op a read, put, delete or compare-and-set of a
 * random key, recorded in the history for the linearizability checker. Every write's value is
 * unique (`c3-17`), so a read's value names the write it came from.
 *
 * A compare-and-set is HTTP's: the client writes only if the key is still at the version it
 * last saw (If-Match; If-None-Match when it saw the key absent), as a one-compare transaction
 * judged when its entry applies. The history records it as a cas expecting the value the client
 * saw at that version — with unique values, the same condition. A key the client has not read
 * yet is read instead.
 */
export type RegisterWorkOptions = {
  keys: string[];
  /** How fresh a read must be (the node's own copy, the leader's, or linearizable). */
  readMode: ReadMode;
  /** Shares of reads, deletes and compare-and-sets among ops; the rest are puts. */
  readShare: number;
  deleteShare: number;
  casShare: number;
};

export const DEFAULT_REGISTER_WORK: Omit<RegisterWorkOptions, 'keys'> = { readMode: 'local', readShare: 0.5, deleteShare: 0.1, casShare: 0 };

/** What this client last saw of a key: its value (null: absent) and version (0: absent). */
type Seen = { value: string | null; version: number };

export class RegisterWork implements ClientWork {
  private writes = 0;
  private op: HistoryOp | null = null;
  private readonly seen = new Map<string, Seen>();

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
    if (roll < o.readShare + o.deleteShare + o.casShare) {
      const seen = this.seen.get(key);
      if (!seen) {
        this.op = this.history.invoke(this.client, 'read', key, null, now);
        return { type: 'get', key, read: o.readMode };
      }
      const value = `${this.client}-${++this.writes}`;
      this.op = this.history.invoke(this.client, 'cas', key, value, now, seen.value);
      // What a node makes of If-Match on the version seen (If-None-Match: * when it saw none).
      return { type: 'txn', txn: conditionalTxn(key, preconditionAt(key, seen.version), { put: key, value }) };
    }
    const value = `${this.client}-${++this.writes}`;
    this.op = this.history.invoke(this.client, 'write', key, value, now);
    return { type: 'put', key, value };
  }

  ended(outcome: HistoryOp['outcome'], node: NodeId, reply: ClientReply | null, now: number): void {
    const op = this.op!;
    this.op = null;
    if (reply?.type === 'value') this.seen.set(op.key, { value: reply.value?.value ?? null, version: reply.value?.index ?? 0 });
    if (op.kind === 'cas' && reply?.type === 'ok') {
      const txn = reply.txn;
      if (txn && !txn.succeeded) {
        // Refused: the key had moved on. Nothing was written; the failure branch says what it is now.
        const now2 = txn.results[0];
        if (now2?.type === 'get') this.seen.set(op.key, { value: now2.value, version: now2.version });
        this.history.complete(op, 'fail', now, node);
        return;
      }
      this.seen.set(op.key, { value: op.value, version: reply.index });
    }
    if (reply?.type === 'ok') this.history.acknowledgedAt(op, reply.index, reply.term);
    this.history.complete(op, outcome, now, node, reply?.type === 'value' ? (reply.value?.value ?? null) : undefined);
  }
}

import type { KvCommand, StoredValue, TxnOutcome } from '@clusterlab/shared';
import { applyTxn } from './txn-apply';

/**
 * The replicated state machine every algorithm drives: a map of key → value, changed only by
 * applying committed writes in log order.
 */
export class KvStore {
  private data = new Map<string, StoredValue>();

  get size(): number {
    return this.data.size;
  }

  get(key: string): StoredValue | undefined {
    return this.data.get(key);
  }

  /** Applies a committed entry; a transaction's outcome is returned, for the leader to answer with. */
  apply(index: number, op: KvCommand): TxnOutcome | null {
    switch (op.type) {
      case 'put':
        this.data.set(op.key, { value: op.value, index });
        return null;
      case 'delete':
        this.data.delete(op.key);
        return null;
      case 'txn':
        return applyTxn(this.data, index, op.txn);
    }
  }

  replace(pairs: Iterable<readonly [string, StoredValue]>): void {
    this.data = new Map(pairs);
  }

  /** Every pair, for a snapshot. The caller must not mutate the values. */
  entries(): [string, StoredValue][] {
    return [...this.data];
  }

  /** Up to `limit` pairs in key order, after `after` when given (for paging through a listing). */
  list(limit: number, after?: string): { entries: [string, StoredValue][]; truncated: boolean } {
    let keys = [...this.data.keys()].sort();
    if (after !== undefined) keys = keys.filter((k) => k > after);
    const chosen = keys.slice(0, limit);
    return { entries: chosen.map((k) => [k, this.data.get(k)!]), truncated: keys.length > limit };
  }
}

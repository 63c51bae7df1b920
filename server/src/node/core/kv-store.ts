import type { KvWrite, StoredValue } from '@clusterlab/shared';

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

  apply(index: number, op: KvWrite): void {
    if (op.type === 'put') this.data.set(op.key, { value: op.value, index });
    else this.data.delete(op.key);
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

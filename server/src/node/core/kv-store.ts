import type { LogEntry, StoredValue } from '@clusterlab/shared';

/** The replicated state machine: a map of key → value, changed only by applying log entries. */
export class KvStore {
  private data = new Map<string, StoredValue>();

  get size(): number {
    return this.data.size;
  }

  get(key: string): StoredValue | undefined {
    return this.data.get(key);
  }

  apply(entry: LogEntry): void {
    if (entry.op.type === 'put') this.data.set(entry.op.key, { value: entry.op.value, index: entry.index });
    else this.data.delete(entry.op.key);
  }

  replace(pairs: Iterable<readonly [string, StoredValue]>): void {
    this.data = new Map(pairs);
  }

  /** Every pair, for a snapshot. The caller must not mutate the values. */
  entries(): [string, StoredValue][] {
    return [...this.data];
  }

  /** Up to `limit` pairs in key order (for listing). */
  list(limit: number): { entries: [string, StoredValue][]; truncated: boolean } {
    const keys = [...this.data.keys()].sort();
    const chosen = keys.slice(0, limit);
    return { entries: chosen.map((k) => [k, this.data.get(k)!]), truncated: keys.length > limit };
  }
}

import { commandJsonBytes, MAX_APPEND_BYTES, MAX_APPEND_ENTRIES, type LogEntry } from '@clusterlab/shared';

/**
 * The replication log in memory: entries (base, lastIndex], where everything up to `base`
 * has been folded into the key/value state (a snapshot) and is no longer kept.
 *
 * Indexes are contiguous; an entry is identified by (index, epoch), and because an epoch has
 * only one possible leader, two logs holding the same (index, epoch) agree on everything
 * before it — the log-matching property that lets a follower trust a single check.
 */
export class ReplicationLog {
  private entries: LogEntry[] = [];
  private baseIndex = 0;
  private baseEpoch = 0;

  get firstIndex(): number {
    return this.baseIndex + 1;
  }
  get lastIndex(): number {
    return this.baseIndex + this.entries.length;
  }
  get lastEpoch(): number {
    return this.entries.at(-1)?.epoch ?? this.baseEpoch;
  }
  get base(): { index: number; epoch: number } {
    return { index: this.baseIndex, epoch: this.baseEpoch };
  }
  get length(): number {
    return this.entries.length;
  }

  /** The epoch of the entry at `index`, or undefined when it is not held (compacted or absent). */
  epochAt(index: number): number | undefined {
    if (index === this.baseIndex) return this.baseEpoch;
    return this.entryAt(index)?.epoch;
  }

  entryAt(index: number): LogEntry | undefined {
    return index > this.baseIndex ? this.entries[index - this.baseIndex - 1] : undefined;
  }

  append(entry: LogEntry): void {
    if (entry.index !== this.lastIndex + 1) {
      throw new Error(`log gap: appending index ${entry.index} after ${this.lastIndex}`);
    }
    if (entry.epoch < this.lastEpoch) {
      throw new Error(`log epochs must not decrease: ${entry.epoch} after ${this.lastEpoch}`);
    }
    this.entries.push(entry);
  }

  /**
   * Entries from `fromIndex` on, at most `maxEntries` and `maxBytes` of JSON (a single larger
   * entry alone), so one append never holds up the heartbeats behind it for long.
   */
  slice(fromIndex: number, maxEntries = MAX_APPEND_ENTRIES, maxBytes = MAX_APPEND_BYTES): LogEntry[] {
    const start = fromIndex - this.baseIndex - 1;
    if (start < 0) throw new Error(`index ${fromIndex} was compacted (base ${this.baseIndex})`);
    const out: LogEntry[] = [];
    let bytes = 0;
    for (let i = start; i < this.entries.length && out.length < maxEntries; i++) {
      const entry = this.entries[i]!;
      bytes += commandJsonBytes(entry.op);
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** Entries in (fromIndex, toIndex], for applying. */
  range(afterIndex: number, toIndex: number): LogEntry[] {
    const from = Math.max(afterIndex, this.baseIndex) - this.baseIndex;
    return this.entries.slice(from, toIndex - this.baseIndex);
  }

  /** Forget entries up to and including `index` (they are in the key/value state already). */
  compact(index: number): void {
    if (index <= this.baseIndex) return;
    const epoch = this.epochAt(index);
    if (epoch === undefined) throw new Error(`cannot compact to ${index}: not in the log`);
    this.entries = this.entries.slice(index - this.baseIndex);
    this.baseIndex = index;
    this.baseEpoch = epoch;
  }

  /** Replace everything with an empty log that starts after (index, epoch), as after a snapshot. */
  reset(index: number, epoch: number): void {
    this.entries = [];
    this.baseIndex = index;
    this.baseEpoch = epoch;
  }

  /** Entries still held, oldest first (for persistence and tests). */
  all(): readonly LogEntry[] {
    return this.entries;
  }
}

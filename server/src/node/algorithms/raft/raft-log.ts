import { commandJsonBytes, jsonEntryBytes, type RaftEntry } from '@clusterlab/shared';

/**
 * The in-memory log: the entries after a compacted prefix that ends at (baseIndex, baseTerm).
 * Terms never decrease along a Raft log, which lets the conflict look-ups binary-search.
 */
export class RaftLog {
  private base = 0;
  private baseT = 0;
  private entries: RaftEntry[] = [];

  get baseIndex(): number {
    return this.base;
  }
  get baseTerm(): number {
    return this.baseT;
  }
  get lastIndex(): number {
    return this.base + this.entries.length;
  }
  get lastTerm(): number {
    const n = this.entries.length;
    return n > 0 ? this.entries[n - 1]!.term : this.baseT;
  }

  /** The term at `index`, if this log still knows it (the base's term survives compaction). */
  termAt(index: number): number | undefined {
    if (index === this.base) return this.baseT;
    if (index < this.base) return undefined;
    return this.entries[index - this.base - 1]?.term;
  }

  entry(index: number): RaftEntry | undefined {
    if (index <= this.base) return undefined;
    return this.entries[index - this.base - 1];
  }

  /** The caller guarantees `entry.index === lastIndex + 1`. */
  append(entry: RaftEntry): void {
    this.entries.push(entry);
  }

  truncateAfter(index: number): void {
    if (index < this.lastIndex) this.entries.length = Math.max(0, index - this.base);
  }

  /** Entries from `from` on, at most `maxEntries` of them and about `maxBytes` (at least one). */
  batch(from: number, maxEntries: number, maxBytes: number): RaftEntry[] {
    const start = from - this.base - 1;
    if (start < 0 || start >= this.entries.length) return [];
    let end = start;
    let bytes = 0;
    const limit = Math.min(this.entries.length, start + maxEntries);
    while (end < limit) {
      bytes += entryBytes(this.entries[end]!);
      if (bytes > maxBytes && end > start) break;
      end++;
    }
    return this.entries.slice(start, end);
  }

  /** Entries with from ≤ index ≤ to. */
  slice(from: number, to: number): RaftEntry[] {
    const start = Math.max(0, from - this.base - 1);
    return this.entries.slice(start, Math.max(start, to - this.base));
  }

  /** Forget the entries up to `upTo`, keeping its term for the log-matching check at the new base. */
  compact(upTo: number): void {
    if (upTo <= this.base || upTo > this.lastIndex) return;
    this.baseT = this.termAt(upTo)!;
    this.entries = this.entries.slice(upTo - this.base);
    this.base = upTo;
  }

  /** Start over after a snapshot as of (index, term). */
  reset(index: number, term: number): void {
    this.entries = [];
    this.base = index;
    this.baseT = term;
  }

  /** The first index still held whose entry has this term, or null. */
  firstIndexOfTerm(term: number): number | null {
    // lowest position whose term is ≥ term
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.term < term) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.entries.length && this.entries[lo]!.term === term ? this.base + lo + 1 : null;
  }

  /** The last index whose entry has this term (the base counts), or null. */
  lastIndexOfTerm(term: number): number | null {
    // lowest position whose term is > term, minus one
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.term <= term) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && this.entries[lo - 1]!.term === term) return this.base + lo;
    return lo === 0 && this.baseT === term ? this.base : null;
  }
}

/** An upper bound on an entry's JSON on the wire, in bytes, so an append batch keeps to MAX_APPEND_BYTES. */
export function entryBytes(entry: RaftEntry): number {
  const c = entry.command;
  switch (c.type) {
    case 'put':
    case 'delete':
    case 'txn':
      return commandJsonBytes(c);
    case 'noop':
      return jsonEntryBytes('', null);
    case 'config':
      // Node ids are short ("n12"): quoted, with a comma, well under 16 bytes each.
      return jsonEntryBytes('', null) + 32 + 16 * (c.config.voters.length + c.config.learners.length);
    default: {
      const never: never = c;
      return never;
    }
  }
}

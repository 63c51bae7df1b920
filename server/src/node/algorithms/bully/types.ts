import type { LogEntry, StoredValue } from '@clusterlab/shared';

/** What a bully node writes to disk, in order; each reaches the disk before anything that follows it. */
export type BullyRecord =
  | { type: 'entries'; entries: LogEntry[] }
  | { type: 'commit'; index: number }
  | { type: 'epoch'; epoch: number }
  /** The log was replaced by a snapshot of the key/value state as of `index`. */
  | { type: 'snapshot'; index: number; epoch: number; data: [string, StoredValue][] };

/** What a bully node finds on disk when it starts again: the fold of its records. */
export type BullyDisk = {
  epoch: number;
  snapshot: { index: number; epoch: number; data: [string, StoredValue][] } | null;
  entries: LogEntry[];
  commitIndex: number;
};

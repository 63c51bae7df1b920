import type { LogEntry, StoredValue } from '@clusterlab/shared';

/** What a bully node writes to disk, in order; each reaches the disk before anything that follows it. */
export type BullyRecord =
  | { type: 'entries'; entries: LogEntry[] }
  | { type: 'commit'; index: number }
  | { type: 'epoch'; epoch: number }
  /** The log was replaced by a snapshot of the key/value state as of `index` (written whole by older versions). */
  | { type: 'snapshot'; index: number; epoch: number; data: [string, StoredValue][] }
  /**
   * A chunk of a snapshot being received, written as it arrives so no single record holds the
   * whole state (one 21 MiB record stalled the node for as long as it took to write). Not
   * installed until `snapshot.install`; a chunk at offset 0 starts a new one.
   */
  | { type: 'snapshot.chunk'; index: number; epoch: number; offset: number; data: [string, StoredValue][] }
  /** The chunks since the last offset 0, `pairs` of them in all, replace the log and the state. */
  | { type: 'snapshot.install'; index: number; epoch: number; pairs: number };

/** A snapshot as of `index`, the epoch of the entry there, and its pairs. */
export type DiskSnapshot = { index: number; epoch: number; data: [string, StoredValue][] };

/** What a bully node finds on disk when it starts again: the fold of its records. */
export type BullyDisk = {
  epoch: number;
  snapshot: DiskSnapshot | null;
  entries: LogEntry[];
  commitIndex: number;
  /** A snapshot received in part (absent on disks from before snapshots came in chunks). */
  incoming?: DiskSnapshot | null;
};

import type { NodeId, RaftConfig, RaftEntry, StoredValue } from '@clusterlab/shared';
import type { LineageEffect } from '../../core/types';

/** A state machine as of `index` (whose entry was logged in `term`), with the configuration in force there. */
export type RaftSnapshotImage = { index: number; term: number; config: RaftConfig; data: [string, StoredValue][] };

/**
 * What a Raft node writes to disk, in the order it must reach it. A restart folds these back
 * into a RaftDisk; the term and vote are what make "one vote per term" survive a crash, the
 * commit index is what lets a restarted node re-apply exactly what it had applied.
 */
export type RaftRecord =
  | { type: 'hard_state'; term: number; votedFor: NodeId | null }
  /** Appended after the current last entry; an entry at an index already held replaces it and what follows. */
  | { type: 'entries'; entries: RaftEntry[] }
  /** A conflict with the leader: entries after `afterIndex` are gone. */
  | { type: 'truncate'; afterIndex: number }
  /** Installed from a leader: the whole log is replaced by this state. */
  | ({ type: 'snapshot' } & RaftSnapshotImage)
  | { type: 'commit'; index: number };

/**
 * What a node's records fold to. The log is the entries after the snapshot (or from index 1).
 *
 * Only the first `logLength` elements of `log` belong to this disk. Folding an append pushes
 * onto the array in place when this disk owns its whole length, so replaying a long WAL is
 * linear rather than quadratic; a disk that shares the array with a longer one (after a
 * truncate, or when the same disk is folded twice) copies before it writes, so a disk the
 * caller still holds never changes meaning. Read it with `diskLog`.
 */
export type RaftDisk = {
  term: number;
  votedFor: NodeId | null;
  snapshot: RaftSnapshotImage | null;
  log: RaftEntry[];
  logLength: number;
  commitIndex: number;
};

export function emptyDisk(): RaftDisk {
  return { term: 0, votedFor: null, snapshot: null, log: [], logLength: 0, commitIndex: 0 };
}

/** The entries this disk holds, in index order (a copy the caller may keep). */
export function diskLog(disk: RaftDisk): RaftEntry[] {
  return disk.log.slice(0, disk.logLength);
}

export function diskLastIndex(disk: RaftDisk): number {
  return (disk.snapshot?.index ?? 0) + disk.logLength;
}

export function fold(disk: RaftDisk, record: RaftRecord): RaftDisk {
  switch (record.type) {
    case 'hard_state':
      return { ...disk, term: record.term, votedFor: record.votedFor };
    case 'commit':
      return record.index > disk.commitIndex ? { ...disk, commitIndex: record.index } : disk;
    case 'truncate': {
      const keep = Math.max(0, Math.min(disk.logLength, record.afterIndex - (disk.snapshot?.index ?? 0)));
      return keep === disk.logLength ? disk : { ...disk, logLength: keep };
    }
    case 'entries': {
      const base = disk.snapshot?.index ?? 0;
      let log = disk.log;
      let length = disk.logLength;
      for (const entry of record.entries) {
        const at = entry.index - base - 1;
        if (at < 0) continue; // already part of the snapshot
        if (at > length) throw new Error(`raft fold: entry ${entry.index} would leave a gap after index ${base + length}`);
        length = at;
        if (log.length !== length) log = log.slice(0, length);
        log.push(entry);
        length++;
      }
      return { ...disk, log, logLength: length };
    }
    case 'snapshot': {
      const { index, term, config, data } = record;
      return { ...disk, snapshot: { index, term, config, data }, log: [], logLength: 0, commitIndex: Math.max(disk.commitIndex, index) };
    }
    default: {
      const never: never = record;
      throw new Error(`raft fold: unknown record ${JSON.stringify(never)}`);
    }
  }
}

export function lineage(record: RaftRecord): LineageEffect | null {
  switch (record.type) {
    case 'entries':
      return { type: 'entries', entries: record.entries.map((e) => ({ index: e.index, term: e.term })) };
    case 'truncate':
      return { type: 'truncate', afterIndex: record.afterIndex };
    case 'snapshot':
      return { type: 'snapshot', index: record.index };
    case 'hard_state':
    case 'commit':
      return null;
    default: {
      const never: never = record;
      return never;
    }
  }
}

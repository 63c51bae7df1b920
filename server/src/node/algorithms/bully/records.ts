import type { BullyDisk, BullyRecord } from './types';

export function emptyState(): BullyDisk {
  return { epoch: 0, snapshot: null, entries: [], commitIndex: 0 };
}

/**
 * Fold one persisted record into the state a restarting node will load. Pure, so the disk
 * adapter (replaying its file) and the simulator (keeping records in memory) agree exactly.
 */
export function foldRecord(state: BullyDisk, record: BullyRecord): BullyDisk {
  switch (record.type) {
    case 'epoch':
      return { ...state, epoch: Math.max(state.epoch, record.epoch) };
    case 'commit':
      return { ...state, commitIndex: Math.max(state.commitIndex, record.index) };
    case 'entries': {
      const entries = state.entries;
      for (const entry of record.entries) entries.push(entry);
      return state;
    }
    case 'snapshot':
      return {
        ...state,
        snapshot: { index: record.index, epoch: record.epoch, data: record.data },
        entries: [],
        commitIndex: record.index,
      };
    default: {
      const never: never = record;
      throw new Error(`unknown record ${JSON.stringify(never)}`);
    }
  }
}

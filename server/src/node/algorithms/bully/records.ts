import type { BullyDisk, BullyRecord, DiskSnapshot } from './types';

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
      return installed(state, { index: record.index, epoch: record.epoch, data: record.data });
    case 'snapshot.chunk': {
      const inc = state.incoming;
      if (record.offset === 0) return { ...state, incoming: { index: record.index, epoch: record.epoch, data: [...record.data] } };
      // The core writes a chunk only once it continues the one before, so anything else is a damaged disk.
      if (!inc || inc.index !== record.index || inc.epoch !== record.epoch || inc.data.length !== record.offset) {
        throw new Error(`snapshot chunk at offset ${record.offset} of index ${record.index} does not continue the chunks before it`);
      }
      for (const pair of record.data) inc.data.push(pair);
      return state;
    }
    case 'snapshot.install': {
      const inc = state.incoming;
      if (!inc || inc.index !== record.index || inc.epoch !== record.epoch || inc.data.length !== record.pairs) {
        throw new Error(`snapshot of index ${record.index} installed with ${inc?.data.length ?? 0} of its ${record.pairs} pairs on disk`);
      }
      return installed(state, inc);
    }
    default: {
      const never: never = record;
      throw new Error(`unknown record ${JSON.stringify(never)}`);
    }
  }
}

function installed(state: BullyDisk, snapshot: DiskSnapshot): BullyDisk {
  return { ...state, snapshot, entries: [], commitIndex: snapshot.index, incoming: undefined };
}

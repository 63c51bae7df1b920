import { PROTOCOLS, type RaftMessage } from '@clusterlab/shared';
import type { Algorithm } from '../../core/types';
import { RaftChecker } from './checker';
import { RaftCore } from './raft-core';
import { emptyDisk, fold, lineage, type RaftDisk, type RaftRecord } from './records';

/** Raft, as every host sees it. */
export const raft: Algorithm<RaftMessage, RaftRecord, RaftDisk> = {
  id: 'raft',
  protocol: PROTOCOLS.raft,
  create: (config, restored) => new RaftCore(config, restored),
  emptyDisk,
  fold,
  checker: () => new RaftChecker(),
  keepsAcknowledgedWrites: true,
  lineage,
  snapshotIndex: (msg) => (msg.type === 'install_snapshot' ? msg.lastIncludedIndex : null),
};

export { RaftChecker } from './checker';
export { RaftCore } from './raft-core';
export { diskLastIndex, diskLog, emptyDisk, fold, lineage } from './records';
export type { RaftDisk, RaftRecord, RaftSnapshotImage } from './records';
export { MAX_SNAPSHOT_CHUNK_BYTES } from './snapshot';
export { MAX_INFLIGHT_APPENDS } from './replication';

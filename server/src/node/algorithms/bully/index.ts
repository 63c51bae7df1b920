import { PROTOCOLS, type BullyMessage } from '@clusterlab/shared';
import type { Algorithm } from '../../core/types';
import { BullyCore } from './bully-core';
import { BullyChecker } from './checker';
import { emptyState, foldRecord } from './records';
import type { BullyDisk, BullyRecord } from './types';

/** The original project's design: bully election with epochs, leader/follower replication. */
export const bully: Algorithm<BullyMessage, BullyRecord, BullyDisk> = {
  id: 'bully',
  protocol: PROTOCOLS.bully,
  create: (config, restored) => new BullyCore(config, restored),
  emptyDisk: emptyState,
  fold: foldRecord,
  checker: () => new BullyChecker(),
  keepsAcknowledgedWrites: false,
  lineage(record) {
    switch (record.type) {
      case 'entries':
        return { type: 'entries', entries: record.entries.map((e) => ({ index: e.index, term: e.epoch })) };
      case 'snapshot':
      case 'snapshot.install':
        return { type: 'snapshot', index: record.index };
      default:
        return null;
    }
  },
  // A chunked snapshot takes effect on its last chunk, which therefore carries the lineage.
  snapshotIndex: (msg) => (msg.type === 'snapshot' && msg.done ? msg.index : null),
};

import { describe, expect, it } from 'vitest';
import { MAX_APPEND_BYTES, MAX_APPEND_ENTRIES, type LogEntry, type RaftEntry } from '@clusterlab/shared';
import { ReplicationLog } from './bully/replication-log';
import { RaftLog } from './raft/raft-log';

/**
 * Every peer message has a known bound, so the body limit of POST /peer can be what the
 * largest legitimate one needs. Append batches are cut by the bytes of their JSON — counted
 * exactly, so values that escape badly (control characters become six bytes each) cannot
 * make a batch several times its bound — with a single larger entry going alone.
 */
const jsonBytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));
/** 20 KB of text that JSON escapes at its worst, 20 KB of plain text, and a few bytes. */
const VALUES = ['\u0001'.repeat(20_000), 'x'.repeat(20_000), 'small', 'ünï"cødé\\'.repeat(500)];

describe('append batches are bounded by the bytes of their JSON', () => {
  it('bully: every batch fits MAX_APPEND_BYTES, or is one entry', () => {
    const log = new ReplicationLog();
    for (let i = 1; i <= 3000; i++) log.append({ index: i, epoch: 1, op: { type: 'put', key: `k${i}`, value: VALUES[i % VALUES.length]! } });
    let batches = 0;
    for (let from = 1; from <= log.lastIndex; batches++) {
      const batch: LogEntry[] = log.slice(from);
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(MAX_APPEND_ENTRIES);
      expect(jsonBytes(batch)).toBeLessThanOrEqual(MAX_APPEND_BYTES);
      from += batch.length;
    }
    expect(batches).toBeGreaterThan(10);
    const huge = new ReplicationLog();
    huge.append({ index: 1, epoch: 1, op: { type: 'put', key: 'k', value: '\u0001'.repeat(MAX_APPEND_BYTES) } });
    expect(huge.slice(1)).toHaveLength(1); // too big for any batch: it goes alone
  });

  it('Raft: every batch fits MAX_APPEND_BYTES, or is one entry', () => {
    const log = new RaftLog();
    for (let i = 1; i <= 3000; i++) {
      const entry: RaftEntry =
        i % 50 === 0
          ? { index: i, term: 1, command: { type: 'config', config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } } }
          : i % 7 === 0
            ? { index: i, term: 1, command: { type: 'noop' } }
            : { index: i, term: 1, command: { type: 'put', key: `k${i}`, value: VALUES[i % VALUES.length]! } };
      log.append(entry);
    }
    let batches = 0;
    for (let from = 1; from <= log.lastIndex; batches++) {
      const batch = log.batch(from, MAX_APPEND_ENTRIES, MAX_APPEND_BYTES);
      expect(batch.length).toBeGreaterThan(0);
      expect(jsonBytes(batch)).toBeLessThanOrEqual(MAX_APPEND_BYTES);
      from += batch.length;
    }
    expect(batches).toBeGreaterThan(10);
  });
});

import type { CoreState } from './state';
import { LOG_RETAIN_ENTRIES } from '@clusterlab/shared';

/**
 * Raise the commit index and apply newly committed entries to the key/value state.
 * Shared by leader and follower: only who decides the commit index differs.
 */
export function commitUpTo(s: CoreState, index: number): boolean {
  const target = Math.min(index, s.log.lastIndex);
  if (target <= s.commitIndex) return false;
  s.commitIndex = target;
  s.persist({ type: 'commit', index: target });
  if (s.role === 'leader') s.emit({ kind: 'replication.committed', data: { index: target, term: s.epoch } });
  for (const entry of s.log.range(s.appliedIndex, target)) {
    const outcome = s.kv.apply(entry.index, entry.op);
    if (outcome && s.role === 'leader') {
      const waiting = s.pending.get(entry.index);
      if (waiting) waiting.outcome = outcome;
    }
  }
  s.appliedIndex = target;
  s.emit({ kind: 'replication.applied', data: { index: target, keyCount: s.kv.size } });
  compactIfLong(s);
  return true;
}

/** Keep the in-memory log bounded; a follower that needs older entries gets a snapshot. */
function compactIfLong(s: CoreState): void {
  if (s.log.length <= LOG_RETAIN_ENTRIES * 1.5) return;
  const upTo = Math.min(s.appliedIndex, s.log.lastIndex - LOG_RETAIN_ENTRIES);
  s.log.compact(upTo);
}

import type { LogEntry, NodeId, BullyMessageOf } from '@clusterlab/shared';
import { commitUpTo } from './apply';
import { acceptLeader } from './election';
import type { CoreState } from './state';

/**
 * The follower's side of replication. A follower only appends entries that continue its log
 * exactly where it ends (same index and epoch as the leader's previous entry); anything else
 * means it is missing something or holds something the leader never had, and it asks the
 * leader to sync it. It applies only what the leader says is committed, and only once the
 * leader has confirmed, in the current epoch, that its log is a prefix of the leader's.
 */
export function onHeartbeat(s: CoreState, from: NodeId, msg: BullyMessageOf<'heartbeat' | 'election.victory'>, now: number): void {
  if (!acceptLeader(s, from, msg.epoch, now)) return;
  if (s.syncedEpoch !== msg.epoch) {
    requestSync(s, now, false);
    return;
  }
  if (msg.type === 'heartbeat') commitUpTo(s, msg.commitIndex);
}

export function onAppend(s: CoreState, from: NodeId, msg: BullyMessageOf<'append'>, now: number): void {
  if (!acceptLeader(s, from, msg.epoch, now)) return;
  const continuesOurLog = msg.prevIndex === s.log.lastIndex && s.log.epochAt(msg.prevIndex) === msg.prevEpoch;
  if (!continuesOurLog || !wellFormed(msg.entries, msg.prevIndex, msg.prevEpoch, msg.epoch)) {
    requestSync(s, now, true);
    return;
  }
  const firstInEpoch = s.syncedEpoch !== msg.epoch;
  s.syncedEpoch = msg.epoch;
  if (msg.entries.length > 0) {
    for (const entry of msg.entries) s.log.append(entry);
    s.persist({ type: 'entries', entries: msg.entries });
  }
  const range = { fromIndex: msg.prevIndex + 1, toIndex: s.log.lastIndex };
  if (firstInEpoch) s.emit({ kind: 'replication.synced', data: { mode: 'entries', ...range, leader: from } });
  else if (msg.entries.length > 0) s.emit({ kind: 'replication.appended', data: { ...range, term: msg.epoch, leader: from } });
  commitUpTo(s, msg.commitIndex);
  s.send(from, { type: 'append.ack', epoch: msg.epoch, matchIndex: s.log.lastIndex });
}

export function onSnapshot(s: CoreState, from: NodeId, msg: BullyMessageOf<'snapshot'>, now: number): void {
  if (!acceptLeader(s, from, msg.epoch, now)) return;
  if (s.syncedEpoch === msg.epoch && msg.index <= s.log.lastIndex) {
    // Once this leader has confirmed our log is a prefix of its own, a snapshot of its state at
    // an index we already hold is old news — delayed, duplicated or overtaken by the appends
    // that followed it. Installing it would cut our log back behind what the leader believes
    // we hold, and nothing would ever send the cut entries again.
    commitUpTo(s, msg.commitIndex);
    s.send(from, { type: 'append.ack', epoch: msg.epoch, matchIndex: s.log.lastIndex });
    return;
  }
  const previous = { applied: s.appliedIndex, last: s.log.lastIndex };
  s.kv.replace(msg.data);
  s.log.reset(msg.index, msg.indexEpoch);
  s.commitIndex = msg.index;
  s.appliedIndex = msg.index;
  s.syncedEpoch = msg.epoch;
  s.persist({ type: 'snapshot', index: msg.index, epoch: msg.indexEpoch, data: msg.data });
  if (previous.last > msg.index) {
    s.emit({
      kind: 'replication.truncated',
      data: { fromIndex: msg.index + 1, toIndex: previous.last, reason: "replaced by the leader's snapshot" },
    });
  }
  s.emit({ kind: 'replication.synced', data: { mode: 'snapshot', fromIndex: previous.applied, toIndex: msg.index, leader: from } });
  s.emit({ kind: 'replication.applied', data: { index: msg.index, keyCount: s.kv.size } });
  commitUpTo(s, msg.commitIndex);
  s.send(from, { type: 'append.ack', epoch: msg.epoch, matchIndex: s.log.lastIndex });
}

/**
 * Tell the leader where our log ends. Unprompted requests (on a heartbeat) are spaced out;
 * an answer to an append the leader is waiting on goes at once.
 */
function requestSync(s: CoreState, now: number, urgent: boolean): void {
  if (!s.leader) return;
  if (!urgent && now - s.lastSyncRequestAt < 2 * s.settings.heartbeatIntervalMs) return;
  s.lastSyncRequestAt = now;
  const lastIndex = s.log.lastIndex;
  const lastEpoch = s.log.lastEpoch;
  s.emit({ kind: 'replication.sync_requested', data: { lastIndex, lastTerm: lastEpoch, leader: s.leader } });
  s.send(s.leader, { type: 'sync.request', epoch: s.epoch, lastIndex, lastEpoch });
}

/** Entries must be contiguous after prev, with epochs that never go back or past the leader's. */
function wellFormed(entries: LogEntry[], prevIndex: number, prevEpoch: number, leaderEpoch: number): boolean {
  let epoch = prevEpoch;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.index !== prevIndex + 1 + i || e.epoch < epoch || e.epoch > leaderEpoch) return false;
    epoch = e.epoch;
  }
  return true;
}

import type { LogEntry, NodeId, BullyMessageOf } from '@clusterlab/shared';
import { commitUpTo } from './apply';
import { acceptLeader } from './election';
import { receivingSnapshot } from './snapshot';
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

/**
 * Tell the leader where our log ends. Unprompted requests (on a heartbeat) are spaced out;
 * an answer to an append the leader is waiting on goes at once.
 */
function requestSync(s: CoreState, now: number, urgent: boolean): void {
  if (!s.leader) return;
  if (!urgent && now - s.lastSyncRequestAt < 2 * s.settings.heartbeatIntervalMs) return;
  // The leader is syncing us chunk by chunk; asking again would only be noise (it carries on
  // with the transfer it has). If the chunks stop coming, we ask again.
  if (!urgent && receivingSnapshot(s, now)) return;
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

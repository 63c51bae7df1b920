import { jsonPairBytes, LOG_RETAIN_ENTRIES, MAX_SNAPSHOT_CHUNK_BYTES, type NodeId, type RaftMessageOf } from '@clusterlab/shared';
import { followLeader } from './election';
import { configCommitted, emitMembership, maybePromote } from './membership';
import { advanceCommit, commitTo, sendAppend } from './replication';
import type { FrozenSnapshot, LeaderState, Progress, RaftState } from './state';

/**
 * Log compaction and InstallSnapshot (§5). Compaction is in memory only (the host writes
 * images); a follower whose next entry is compacted away gets the leader's state machine as
 * of its applied index, in chunks of key/value pairs, one chunk in flight.
 */

/** One install_snapshot carries at most MAX_SNAPSHOT_CHUNK_BYTES of pairs' JSON (a single larger pair alone). */
export { MAX_SNAPSHOT_CHUNK_BYTES };

/** Past the threshold, drop the applied prefix, keeping some entries for followers slightly behind. */
export function maybeCompact(s: RaftState): void {
  const threshold = s.settings.snapshotThresholdEntries;
  if (s.appliedIndex - s.log.baseIndex <= threshold) return;
  const upTo = s.appliedIndex - Math.min(LOG_RETAIN_ENTRIES, Math.floor(threshold / 2));
  s.log.compact(upTo);
  s.config.compact(upTo);
}

function freeze(s: RaftState): FrozenSnapshot {
  return { index: s.appliedIndex, term: s.log.termAt(s.appliedIndex)!, config: s.config.at(s.appliedIndex), pairs: s.kv.entries() };
}

export function startSnapshot(s: RaftState, L: LeaderState, peer: NodeId, pr: Progress, now: number): void {
  // One frozen copy serves every follower that needs one, while the log still continues from it.
  if (!L.frozen || L.frozen.index < s.log.baseIndex) L.frozen = freeze(s);
  pr.mode = 'snapshot';
  pr.inflight = [];
  pr.probeSent = false;
  pr.snapshot = { frozen: L.frozen, offset: 0, sentAt: null };
  s.emit({ kind: 'replication.sync_sent', data: { to: peer, mode: 'snapshot', fromIndex: pr.nextIndex, toIndex: L.frozen.index } });
  sendSnapshotChunk(s, peer, pr, now, false);
}

/** The chunk at the transfer's offset, unless one is in flight (a heartbeat resends a chunk left unanswered). */
export function sendSnapshotChunk(s: RaftState, peer: NodeId, pr: Progress, now: number, heartbeat: boolean): void {
  const snap = pr.snapshot;
  if (!snap) return;
  if (snap.sentAt !== null && !(heartbeat && now - snap.sentAt >= s.settings.heartbeatIntervalMs)) return;
  const { frozen } = snap;
  const pairs = frozen.pairs;
  let end = snap.offset;
  let bytes = 0;
  while (end < pairs.length) {
    const [key, value] = pairs[end]!;
    bytes += jsonPairBytes(key, value);
    if (bytes > MAX_SNAPSHOT_CHUNK_BYTES && end > snap.offset) break;
    end++;
  }
  s.send(peer, {
    type: 'install_snapshot',
    term: s.term,
    lastIncludedIndex: frozen.index,
    lastIncludedTerm: frozen.term,
    config: frozen.config,
    offset: snap.offset,
    data: pairs.slice(snap.offset, end),
    done: end >= pairs.length,
  });
  snap.sentAt = now;
}

export function onInstallSnapshotReply(s: RaftState, from: NodeId, msg: RaftMessageOf<'install_snapshot.reply'>, now: number): void {
  const L = s.role;
  if (L.role !== 'leader') return;
  const pr = L.progress.get(from);
  if (!pr) return;
  pr.lastHeardAt = now;
  const snap = pr.snapshot;
  if (pr.mode !== 'snapshot' || !snap || msg.lastIncludedIndex !== snap.frozen.index) return;
  snap.sentAt = null;
  if (msg.done) {
    pr.matchIndex = Math.max(pr.matchIndex, snap.frozen.index);
    pr.nextIndex = pr.matchIndex + 1;
    pr.mode = 'replicate';
    pr.snapshot = null;
    pr.inflight = [];
    // The frozen copy can be large: keep it only while some transfer still reads it.
    if (![...L.progress.values()].some((p) => p.snapshot?.frozen === L.frozen)) L.frozen = null;
    advanceCommit(s, L, now);
    if (s.role !== L) return;
    maybePromote(s, L, now);
  } else {
    snap.offset = Math.min(Math.max(0, msg.nextOffset), snap.frozen.pairs.length);
  }
  sendAppend(s, L, from, pr, now, false);
}

/**
 * The follower buffers chunks in order (a duplicate or out-of-order one only gets told where
 * the transfer stands; a chunk of a new snapshot at offset 0 starts over) and installs on
 * the last. A snapshot of what it already holds is old news: it commits instead of cutting its log.
 */
export function onInstallSnapshot(s: RaftState, from: NodeId, msg: RaftMessageOf<'install_snapshot'>, now: number): void {
  if (s.role.role === 'leader' || msg.lastIncludedTerm > msg.term) return;
  if (!followLeader(s, from, now, 'install_snapshot')) return;
  const F = s.role;
  if (F.role !== 'follower') return;
  const answer = (nextOffset: number, done: boolean) =>
    s.send(from, { type: 'install_snapshot.reply', term: s.term, lastIncludedIndex: msg.lastIncludedIndex, nextOffset, done });
  const index = msg.lastIncludedIndex;
  if (index <= s.commitIndex || s.log.termAt(index) === msg.lastIncludedTerm) {
    // The leader snapshots only applied state, so what our log holds up to there is committed.
    if (index > s.commitIndex) commitTo(s, index, now);
    F.incoming = null;
    answer(msg.offset + msg.data.length, true);
    return;
  }
  let inc = F.incoming;
  if (!inc || inc.index !== index || inc.term !== msg.lastIncludedTerm) {
    if (msg.offset !== 0) return answer(0, false);
    inc = F.incoming = { index, term: msg.lastIncludedTerm, config: msg.config, pairs: [], nextOffset: 0 };
  }
  if (msg.offset !== inc.nextOffset) return answer(inc.nextOffset, false);
  for (const pair of msg.data) inc.pairs.push(pair);
  inc.nextOffset += msg.data.length;
  if (!msg.done) return answer(inc.nextOffset, false);
  F.incoming = null;
  const fromIndex = s.appliedIndex + 1;
  s.persist({ type: 'snapshot', index, term: inc.term, config: inc.config, data: inc.pairs });
  s.kv.replace(inc.pairs);
  s.log.reset(index, inc.term);
  s.durableIndex = index;
  s.config.reset(index, inc.config);
  s.commitIndex = index;
  s.appliedIndex = index;
  s.emit({ kind: 'replication.synced', data: { mode: 'snapshot', fromIndex, toIndex: index, leader: from } });
  // The state the snapshot made is applied: said as every apply is, so a view of the node (and
  // the simulator's apply-in-order check) moves with it.
  s.emit({ kind: 'replication.applied', data: { index, keyCount: s.kv.size } });
  emitMembership(s, true);
  configCommitted(s, true);
  answer(inc.nextOffset, true);
}

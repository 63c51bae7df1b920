import { MAX_PENDING_WRITES, type KvCommand, type NodeId, type BullyMessageOf } from '@clusterlab/shared';
import { loggedWrite } from '../../core/write-event';
import { commitUpTo } from './apply';
import { endTransfer, releaseFrozen, sendSnapshotChunk, startSnapshot } from './snapshot';
import type { CoreState, FollowerProgress } from './state';

/**
 * The leader's side of replication. Every write gets the next log index and goes to the
 * followers; it is acknowledged to the client once the write-ack mode is satisfied.
 *
 * This is the naive leader/follower design of the original project, done carefully: a new
 * leader treats whatever its own log holds as committed. That is exactly why a bully
 * failover can lose acknowledged writes (the highest-ranked node is not necessarily the most
 * up to date) — the simulator and checker make that visible.
 */
export function becomeLeader(s: CoreState, epoch: number, now: number): void {
  s.raiseEpoch(epoch);
  s.role = 'leader';
  s.leader = s.id;
  s.election = null;
  s.electionDeadline = Number.POSITIVE_INFINITY;
  s.emit({ kind: 'leader.elected', data: { term: epoch, peers: [...s.peers] } });
  // Only a candidate gets here, so there is no old progress to keep and no write waiting.
  s.followers = new Map();
  s.frozen = null;
  s.incoming = null; // a leader installs nobody's snapshot
  for (const peer of s.peers) {
    progressOf(s, peer);
    s.send(peer, { type: 'election.victory', epoch });
  }
  s.nextHeartbeatAt = now + s.settings.heartbeatIntervalMs;
  commitUpTo(s, s.log.lastIndex);
}

/** Leave the leader role: writes still waiting can no longer be acknowledged by us. */
export function stepDown(s: CoreState, newerEpoch: number, newLeader: NodeId | null): void {
  s.emit({ kind: 'leader.stepped_down', data: { term: s.epoch, newerTerm: newerEpoch, leader: newLeader } });
  for (const p of s.pending.values()) {
    s.reply(p.requestId, {
      type: 'unavailable',
      reason: 'this node lost leadership before the write was acknowledged; it may or may not survive',
      maybeApplied: true,
    });
    s.emit({ kind: 'kv.failed', data: { key: p.key, index: p.index, reason: 'leadership lost' } });
  }
  s.pending.clear();
  s.followers.clear();
  s.frozen = null;
  s.nextHeartbeatAt = Number.POSITIVE_INFINITY;
  s.role = 'follower';
}

export function leaderTick(s: CoreState, now: number): void {
  if (s.role !== 'leader') return;
  if (now >= s.nextHeartbeatAt) {
    for (const peer of s.peers) s.send(peer, { type: 'heartbeat', epoch: s.epoch, commitIndex: s.commitIndex });
    s.nextHeartbeatAt = now + s.settings.heartbeatIntervalMs;
    // Appends (and snapshot chunks) lost on the way are retried at heartbeat pace, not in a tight loop.
    for (const [peer, f] of s.followers) {
      if (f.inflight && now - f.inflight.sentAt >= s.retryMs) f.inflight = null;
      // Until the follower has confirmed where its log ends, a lost probe is sent again: a
      // follower that already trusts us takes our heartbeats and would never ask (seed 1212).
      if (!f.inflight) sendAppend(s, peer, f, now, f.matchIndex < f.nextIndex - 1);
    }
  }
  for (const p of s.pending.values()) {
    if (p.deadline > now) break; // same timeout for all, so index order is deadline order
    s.pending.delete(p.index);
    s.reply(p.requestId, { type: 'timeout', index: p.index });
    s.emit({ kind: 'kv.failed', data: { key: p.key, index: p.index, reason: 'not acknowledged in time' } });
  }
}

export function leaderWrite(s: CoreState, requestId: number, op: KvCommand, now: number): void {
  if (s.pending.size >= MAX_PENDING_WRITES) {
    s.reply(requestId, { type: 'unavailable', reason: `${s.pending.size} writes already waiting`, maybeApplied: false });
    return;
  }
  const entry = { index: s.log.lastIndex + 1, epoch: s.epoch, op };
  s.log.append(entry);
  s.persist({ type: 'entries', entries: [entry] });
  const { key, event } = loggedWrite(op, entry.index, s.epoch);
  s.emit(event);
  s.pending.set(entry.index, {
    requestId,
    key,
    index: entry.index,
    startedAt: now,
    deadline: now + s.settings.writeTimeoutMs,
  });
  for (const peer of s.peers) {
    const f = progressOf(s, peer);
    if (!f.inflight) sendAppend(s, peer, f, now, false);
  }
  advanceCommit(s, now);
}

export function onAck(s: CoreState, from: NodeId, msg: BullyMessageOf<'append.ack'>, now: number): void {
  if (s.role !== 'leader' || msg.epoch !== s.epoch || msg.matchIndex > s.log.lastIndex) return;
  const f = progressOf(s, from);
  if (f.snapshot && msg.matchIndex >= f.snapshot.frozen.index) endTransfer(s, f);
  f.matchIndex = Math.max(f.matchIndex, msg.matchIndex);
  f.nextIndex = f.matchIndex + 1;
  if (f.inflight && msg.matchIndex >= f.inflight.upTo) f.inflight = null;
  advanceCommit(s, now);
  if (!f.inflight) sendAppend(s, from, f, now, false);
}

/**
 * A follower says where its log ends. If that point is in our log, continue from there;
 * otherwise (it is behind our compacted prefix, or it holds entries we never had) replace
 * its state with a snapshot of ours — or carry on with the one it is already being sent.
 */
export function onSyncRequest(s: CoreState, from: NodeId, msg: BullyMessageOf<'sync.request'>, now: number): void {
  if (s.role !== 'leader' || msg.epoch > s.epoch) return;
  const f = progressOf(s, from);
  const { lastIndex, lastEpoch } = msg;
  const inOurLog = lastIndex >= s.log.base.index && lastIndex <= s.log.lastIndex && s.log.epochAt(lastIndex) === lastEpoch;
  if (inOurLog) {
    if (f.snapshot) endTransfer(s, f);
    f.matchIndex = lastIndex;
    f.nextIndex = lastIndex + 1;
    f.inflight = null;
    s.emit({
      kind: 'replication.sync_sent',
      data: { to: from, mode: 'entries', fromIndex: lastIndex + 1, toIndex: s.log.lastIndex },
    });
    sendAppend(s, from, f, now, true);
    advanceCommit(s, now);
  } else if (f.snapshot) {
    sendSnapshotChunk(s, from, f, now);
  } else {
    startSnapshot(s, from, f, now);
  }
}

/** A node introduced itself; make sure it hears from us now rather than at the next heartbeat. */
export function onHello(s: CoreState, from: NodeId, now: number): void {
  if (s.role !== 'leader') return;
  probe(s, from, now);
}

/** The registry's view changed: new followers start from scratch, and the majority may move. */
export function leaderPeersChanged(s: CoreState, added: NodeId[], removed: NodeId[], now: number): void {
  if (s.role !== 'leader') return;
  for (const peer of removed) s.followers.delete(peer);
  releaseFrozen(s);
  for (const peer of added) probe(s, peer, now);
  advanceCommit(s, now);
}

/**
 * Meet a follower we may know nothing about: an empty append that says where our log ends.
 * A heartbeat would not do: a node that already followed us in this epoch (it dropped out of
 * the registry and came back, say) trusts heartbeats and would never ask for the entries it
 * missed meanwhile, while we, starting its progress afresh, assume it has them all.
 * The append makes it check: it acks if its log ends where ours does, or asks to be synced.
 */
function probe(s: CoreState, peer: NodeId, now: number): void {
  sendAppend(s, peer, progressOf(s, peer), now, true);
}

function progressOf(s: CoreState, peer: NodeId): FollowerProgress {
  let f = s.followers.get(peer);
  if (!f) {
    f = { matchIndex: 0, nextIndex: s.log.lastIndex + 1, inflight: null, snapshot: null };
    s.followers.set(peer, f);
  }
  return f;
}

function sendAppend(s: CoreState, to: NodeId, f: FollowerProgress, now: number, force: boolean): void {
  if (f.snapshot) {
    sendSnapshotChunk(s, to, f, now);
    return;
  }
  if (f.nextIndex <= s.log.base.index) {
    startSnapshot(s, to, f, now);
    return;
  }
  const entries = f.nextIndex <= s.log.lastIndex ? s.log.slice(f.nextIndex) : [];
  if (entries.length === 0 && !force) return;
  const prevIndex = f.nextIndex - 1;
  const prevEpoch = s.log.epochAt(prevIndex)!;
  f.inflight = { upTo: prevIndex + entries.length, sentAt: now };
  s.send(to, { type: 'append', epoch: s.epoch, prevIndex, prevEpoch, entries, commitIndex: s.commitIndex });
}

/** Commit what the write-ack mode allows, then answer the clients whose writes are now safe. */
function advanceCommit(s: CoreState, now: number): void {
  const last = s.log.lastIndex;
  const matches = s.peers.map((p) => s.followers.get(p)?.matchIndex ?? 0);
  let target: number;
  switch (s.settings.writeAck) {
    case 'none':
      target = last;
      break;
    case 'majority': {
      const sorted = [last, ...matches].sort((a, b) => b - a);
      const quorum = Math.floor(sorted.length / 2) + 1;
      target = sorted[quorum - 1]!;
      break;
    }
    case 'all':
      target = Math.min(last, ...matches);
      break;
    default: {
      const never: never = s.settings.writeAck;
      throw new Error(`unknown write-ack mode ${String(never)}`);
    }
  }
  if (commitUpTo(s, target)) acknowledgeCommitted(s, now);
}

function acknowledgeCommitted(s: CoreState, now: number): void {
  for (const p of s.pending.values()) {
    if (p.index > s.commitIndex) break;
    s.pending.delete(p.index);
    const epoch = s.log.epochAt(p.index) ?? s.epoch;
    s.reply(p.requestId, { type: 'ok', index: p.index, term: epoch, ...(p.outcome && { txn: p.outcome }) });
    s.emit({ kind: 'kv.acked', data: { key: p.key, index: p.index, latencyMs: now - p.startedAt } });
  }
}

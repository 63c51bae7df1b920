import { MAX_APPEND_BYTES, MAX_APPEND_ENTRIES, type NodeId, type RaftCommand, type RaftEntry, type RaftMessageOf, type TxnOutcome } from '@clusterlab/shared';
import { ackWrites } from './client';
import { majorityOf } from './config-log';
import { followLeader } from './election';
import { configCommitted, leaderCommittedMembership, maybePromote, noteConfig, emitMembership } from './membership';
import { settleReads } from './read-index';
import { maybeCompact, sendSnapshotChunk, startSnapshot } from './snapshot';
import type { LeaderState, Progress, RaftState } from './state';

/**
 * Log replication (§3.5): the leader's appends with the log-matching check, fast back-off on
 * a mismatch, pipelining, and the commit rule; the follower's side of the same exchange.
 */

/** Appends a leader pipelines to one follower before it waits for an answer. */
export const MAX_INFLIGHT_APPENDS = 8;

export function newProgress(s: RaftState, now: number): Progress {
  return {
    matchIndex: 0,
    nextIndex: s.log.lastIndex + 1,
    mode: 'probe',
    inflight: [],
    probeSent: false,
    rejectFloor: 0,
    ackedRound: 0,
    lastHeardAt: now,
    snapshot: null,
  };
}

/** Log one entry of this leader's term. Durable before anything in this step that counts on it. */
export function appendAsLeader(s: RaftState, command: RaftCommand, now: number): RaftEntry {
  const entry: RaftEntry = { index: s.log.lastIndex + 1, term: s.term, command };
  s.log.append(entry);
  // The followers need not wait for our disk (§10.2.1); our own vote for the entry does.
  s.persistAndTell({ type: 'entries', entries: [entry] }, { index: entry.index, term: entry.term });
  if (command.type === 'config') noteConfig(s, entry.index, command.config, now);
  return entry;
}

/** Send what each follower is owed, then see whether the leader alone now makes a majority. */
export function replicate(s: RaftState, L: LeaderState, now: number): void {
  broadcastAppends(s, L, now, false);
  advanceCommit(s, L, now);
}

export function broadcastAppends(s: RaftState, L: LeaderState, now: number, heartbeat: boolean): void {
  for (const [peer, pr] of L.progress) sendAppend(s, L, peer, pr, now, heartbeat);
}

export function toProbe(s: RaftState, L: LeaderState, pr: Progress, next: number): void {
  pr.mode = 'probe';
  pr.nextIndex = Math.min(Math.max(next, pr.matchIndex + 1), s.log.lastIndex + 1);
  pr.inflight = [];
  pr.probeSent = false;
  pr.rejectFloor = L.round + 1;
  pr.snapshot = null;
}

/**
 * Send one follower what it is owed. A heartbeat always sends (an empty append when there is
 * nothing new); otherwise only when there are entries and room in the pipeline. In probe mode
 * one append at a time, and none with entries while the follower is silent: a node that is
 * down gets an empty probe per heartbeat, not a 4 MiB batch.
 */
export function sendAppend(s: RaftState, L: LeaderState, peer: NodeId, pr: Progress, now: number, heartbeat: boolean): void {
  if (pr.mode === 'snapshot') {
    sendSnapshotChunk(s, peer, pr, now, heartbeat);
    return;
  }
  const responsive = now - pr.lastHeardAt < 2 * s.settings.heartbeatIntervalMs;
  if (pr.mode === 'replicate' && heartbeat && pr.inflight.length > 0 && !responsive) {
    // Its answers stopped: what is in flight may be lost; find out where it stands.
    toProbe(s, L, pr, pr.matchIndex + 1);
  }
  if (pr.mode === 'probe' && pr.probeSent && !heartbeat) return;
  const prevLogIndex = pr.nextIndex - 1;
  const prevLogTerm = s.log.termAt(prevLogIndex);
  if (prevLogTerm === undefined) {
    startSnapshot(s, L, peer, pr, now);
    return;
  }
  const room = pr.mode === 'probe' ? responsive : pr.inflight.length < MAX_INFLIGHT_APPENDS;
  const entries = room && pr.nextIndex <= s.log.lastIndex ? s.log.batch(pr.nextIndex, MAX_APPEND_ENTRIES, MAX_APPEND_BYTES) : [];
  if (!heartbeat && entries.length === 0 && pr.mode === 'replicate') return;
  const round = ++L.round;
  s.send(peer, { type: 'append_entries', term: s.term, prevLogIndex, prevLogTerm, entries, leaderCommit: s.commitIndex, round });
  if (pr.mode === 'probe') pr.probeSent = true;
  else if (entries.length > 0) {
    const last = entries[entries.length - 1]!.index;
    pr.nextIndex = last + 1;
    pr.inflight.push(last);
  }
}

export function onAppendReply(s: RaftState, from: NodeId, msg: RaftMessageOf<'append_entries.reply'>, now: number): void {
  const L = s.role;
  if (L.role !== 'leader') return;
  const pr = L.progress.get(from);
  if (!pr) return;
  pr.lastHeardAt = now;
  if (msg.round <= L.round && msg.round > pr.ackedRound) pr.ackedRound = msg.round;
  if (msg.success) {
    if (msg.matchIndex > s.log.lastIndex) return;
    const advanced = msg.matchIndex > pr.matchIndex;
    if (advanced) pr.matchIndex = msg.matchIndex;
    if (pr.mode === 'probe') {
      pr.mode = 'replicate';
      pr.nextIndex = pr.matchIndex + 1;
      pr.inflight = [];
      pr.probeSent = false;
    } else if (pr.mode === 'replicate') {
      if (pr.nextIndex <= pr.matchIndex) pr.nextIndex = pr.matchIndex + 1;
      while (pr.inflight.length > 0 && pr.inflight[0]! <= pr.matchIndex) pr.inflight.shift();
    }
    if (advanced) {
      advanceCommit(s, L, now);
      if (s.role !== L) return;
      maybePromote(s, L, now);
    }
  } else if (pr.mode !== 'snapshot' && msg.round >= pr.rejectFloor && msg.round <= L.round) {
    // §5.3's back-off in one step: past our last entry of the follower's conflicting term,
    // or, if we have none of that term, to the first index the follower holds for it.
    let next = msg.conflictIndex;
    if (msg.conflictTerm !== null) {
      const last = s.log.lastIndexOfTerm(msg.conflictTerm);
      if (last !== null) next = last + 1;
    }
    toProbe(s, L, pr, next);
  }
  sendAppend(s, L, from, pr, now, false);
  settleReads(s, L, now);
}

/**
 * The commit rule (§3.6.2): the highest index a majority of voters holds, but only if its
 * entry is of this leader's term. Older entries commit with it, never by being counted.
 */
export function advanceCommit(s: RaftState, L: LeaderState, now: number): void {
  const voters = s.config.current.voters;
  if (voters.length === 0) return;
  const matches = voters.map((v) => (v === s.id ? s.durableIndex : (L.progress.get(v)?.matchIndex ?? 0)));
  matches.sort((a, b) => b - a);
  const n = matches[majorityOf(voters.length) - 1]!;
  if (n > s.commitIndex && s.log.termAt(n) === s.term) commitTo(s, n, now);
}

export function commitTo(s: RaftState, index: number, now: number): void {
  s.commitIndex = index;
  // Raft's commit index is volatile: a node that loses it learns it again from the leader.
  // It is written so a restart re-applies at once, but no acknowledgement waits for its fsync.
  s.persistLazily({ type: 'commit', index });
  if (s.role.role === 'leader') s.emit({ kind: 'replication.committed', data: { index, term: s.log.termAt(index) ?? s.term } });
  applyCommitted(s, now);
}

const NO_OUTCOMES: ReadonlyMap<number, TxnOutcome> = new Map();

/** Apply what is committed, then let what waited on it proceed: acknowledgements, membership, reads. */
export function applyCommitted(s: RaftState, now: number, quiet = false): void {
  if (s.appliedIndex >= s.commitIndex) return;
  // A transaction's outcome, for the leader to answer its client with: known only as it
  // applies. Made only when a transaction applies: this loop runs for every commit.
  let outcomes: Map<number, TxnOutcome> | null = null;
  for (let i = s.appliedIndex + 1; i <= s.commitIndex; i++) {
    const command = s.log.entry(i)?.command;
    if (command && (command.type === 'put' || command.type === 'delete' || command.type === 'txn')) {
      const outcome = s.kv.apply(i, command);
      if (outcome && s.role.role === 'leader') (outcomes ??= new Map()).set(i, outcome);
    }
  }
  s.appliedIndex = s.commitIndex;
  if (!quiet) s.emit({ kind: 'replication.applied', data: { index: s.appliedIndex, keyCount: s.kv.size } });
  configCommitted(s, quiet);
  const L = s.role;
  if (L.role === 'leader') {
    ackWrites(s, L, now, outcomes ?? NO_OUTCOMES);
    leaderCommittedMembership(s, L, now);
    if (s.role === L) settleReads(s, L, now);
  }
  maybeCompact(s);
}

/** Entries numbered on from prevLogIndex, terms never falling, none newer than the sender's term. */
function wellFormed(msg: RaftMessageOf<'append_entries'>): boolean {
  if (msg.prevLogTerm > msg.term) return false;
  let term = msg.prevLogTerm;
  for (let i = 0; i < msg.entries.length; i++) {
    const e = msg.entries[i]!;
    if (e.index !== msg.prevLogIndex + 1 + i || e.term < term || e.term > msg.term) return false;
    term = e.term;
  }
  return true;
}

/**
 * The follower's side. Entries it already holds are skipped, so a stale, duplicated or
 * reordered append never cuts what a newer one added; only an entry that conflicts (same
 * index, other term) truncates, and the truncation is durable before the reply.
 */
export function onAppendEntries(s: RaftState, from: NodeId, msg: RaftMessageOf<'append_entries'>, now: number): void {
  if (s.role.role === 'leader' || !wellFormed(msg)) return;
  if (!followLeader(s, from, now, 'append_entries')) return;
  let prev = msg.prevLogIndex;
  let prevTerm = msg.prevLogTerm;
  let entries = msg.entries;
  if (prev < s.commitIndex) {
    // What we committed is in every later leader's log: start the comparison after it.
    const skip = Math.min(entries.length, s.commitIndex - prev);
    if (skip > 0) entries = entries.slice(skip);
    prev = s.commitIndex;
    prevTerm = s.log.termAt(prev)!;
  }
  if (prev > s.log.lastIndex) {
    reject(s, from, msg, null, s.log.lastIndex + 1);
    return;
  }
  const ours = s.log.termAt(prev);
  if (ours === undefined) return;
  if (ours !== prevTerm) {
    if (prev <= s.commitIndex) return; // a committed entry never conflicts with a real leader
    const first = s.log.firstIndexOfTerm(ours) ?? prev;
    reject(s, from, msg, ours, Math.max(first, s.commitIndex + 1));
    return;
  }
  let i = 0;
  while (i < entries.length) {
    const e = entries[i]!;
    if (e.index > s.log.lastIndex) break;
    if (s.log.termAt(e.index) !== e.term) {
      truncate(s, e.index - 1, `conflict with leader ${from} at index ${e.index}`);
      break;
    }
    i++;
  }
  if (i < entries.length) {
    const fresh = i === 0 ? entries : entries.slice(i);
    for (const e of fresh) s.log.append(e);
    s.persist({ type: 'entries', entries: fresh });
    s.durableIndex = s.log.lastIndex; // the acknowledgement below waits for it
    for (const e of fresh) if (e.command.type === 'config') noteConfig(s, e.index, e.command.config, now);
    s.emit({ kind: 'replication.appended', data: { fromIndex: fresh[0]!.index, toIndex: s.log.lastIndex, term: msg.term, leader: from } });
  }
  const lastNew = prev + entries.length;
  s.send(from, { type: 'append_entries.reply', term: s.term, success: true, matchIndex: lastNew, conflictTerm: null, conflictIndex: 0, round: msg.round });
  const commit = Math.min(msg.leaderCommit, lastNew);
  if (commit > s.commitIndex) commitTo(s, commit, now);
}

function reject(s: RaftState, from: NodeId, msg: RaftMessageOf<'append_entries'>, conflictTerm: number | null, conflictIndex: number): void {
  s.emit({
    kind: 'replication.rejected',
    data: { leader: from, prevLogIndex: msg.prevLogIndex, prevLogTerm: msg.prevLogTerm, conflictTerm, conflictIndex },
  });
  s.send(from, { type: 'append_entries.reply', term: s.term, success: false, matchIndex: 0, conflictTerm, conflictIndex, round: msg.round });
}

function truncate(s: RaftState, afterIndex: number, reason: string): void {
  const oldLast = s.log.lastIndex;
  s.log.truncateAfter(afterIndex);
  s.persist({ type: 'truncate', afterIndex });
  s.durableIndex = Math.min(s.durableIndex, afterIndex);
  if (s.config.truncateAfter(afterIndex)) emitMembership(s, s.config.currentIndex <= s.commitIndex);
  s.emit({ kind: 'replication.truncated', data: { fromIndex: afterIndex + 1, toIndex: oldLast, reason } });
}

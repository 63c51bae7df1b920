import { MAX_PENDING_WRITES, type KvCommand, type TxnOutcome } from '@clusterlab/shared';
import type { ClientRequest } from '../../core/types';
import { loggedWrite } from '../../core/write-event';
import { memberAdd, memberRemove } from './membership';
import { linearizableRead } from './read-index';
import { appendAsLeader, replicate } from './replication';
import type { LeaderState, RaftState } from './state';

/**
 * Client requests. Writes go through the leader's log and are acknowledged once committed
 * and applied; reads are as fresh as the mode asks: this node's copy, the leader's copy, or
 * the leader's copy once it has confirmed it still leads (ReadIndex).
 */
export function onClient(s: RaftState, requestId: number, request: ClientRequest, now: number): void {
  const L = s.role.role === 'leader' ? s.role : null;
  switch (request.type) {
    case 'get':
      switch (request.read) {
        case 'local':
          return s.reply(requestId, { type: 'value', value: s.kv.get(request.key) ?? null });
        case 'leader':
          if (!L) return notLeader(s, requestId);
          return s.reply(requestId, { type: 'value', value: s.kv.get(request.key) ?? null });
        case 'linearizable':
          if (!L) return notLeader(s, requestId);
          return linearizableRead(s, L, requestId, request.key, now);
        default: {
          const never: never = request.read;
          return s.reply(requestId, { type: 'invalid', reason: `unknown read mode ${JSON.stringify(never)}` });
        }
      }
    case 'put':
    case 'delete':
    case 'txn':
      if (!L) return notLeader(s, requestId);
      return leaderWrite(s, L, requestId, request, now);
    case 'member.add':
      if (!L) return notLeader(s, requestId);
      return memberAdd(s, L, requestId, request.id, now);
    case 'member.remove':
      if (!L) return notLeader(s, requestId);
      return memberRemove(s, L, requestId, request.id, now);
    default: {
      const never: never = request;
      return s.reply(requestId, { type: 'invalid', reason: `unknown request ${JSON.stringify(never)}` });
    }
  }
}

function notLeader(s: RaftState, requestId: number): void {
  const leader = s.leader();
  if (leader !== null) return s.reply(requestId, { type: 'redirect', leader });
  const why =
    s.role.role === 'candidate' || s.role.role === 'pre-candidate' ? 'an election is in progress' : 'this node knows of no leader yet';
  s.reply(requestId, { type: 'unavailable', reason: `no leader: ${why}`, maybeApplied: false });
}

function leaderWrite(s: RaftState, L: LeaderState, requestId: number, op: KvCommand, now: number): void {
  if (L.pending.size >= MAX_PENDING_WRITES) {
    return s.reply(requestId, { type: 'unavailable', reason: `${L.pending.size} writes are already waiting`, maybeApplied: false });
  }
  // Only the command goes into the log, whatever else the request carried.
  const command: KvCommand = op.type === 'put' ? { type: 'put', key: op.key, value: op.value } : op.type === 'delete' ? { type: 'delete', key: op.key } : { type: 'txn', txn: op.txn };
  const entry = appendAsLeader(s, command, now);
  const { key, event } = loggedWrite(command, entry.index, entry.term);
  s.emit(event);
  L.pending.push({ requestId, key, index: entry.index, term: entry.term, startedAt: now, deadline: now + s.settings.writeTimeoutMs });
  replicate(s, L, now);
}

/** Acknowledge the writes now applied (they wait in index order). */
export function ackWrites(s: RaftState, L: LeaderState, now: number, outcomes: ReadonlyMap<number, TxnOutcome>): void {
  for (let p = L.pending.peek(); p && p.index <= s.appliedIndex; p = L.pending.peek()) {
    L.pending.shift();
    const outcome = outcomes.get(p.index);
    s.reply(p.requestId, { type: 'ok', index: p.index, term: p.term, ...(outcome && { txn: outcome }) });
    s.emit({ kind: 'kv.acked', data: { key: p.key, index: p.index, latencyMs: now - p.startedAt } });
  }
}

/** Writes and reads that waited too long. Every one has the same timeout, so index order is deadline order. */
export function expireLeaderWork(s: RaftState, L: LeaderState, now: number): void {
  for (let p = L.pending.peek(); p && p.deadline <= now; p = L.pending.peek()) {
    L.pending.shift();
    s.reply(p.requestId, { type: 'timeout', index: p.index });
    s.emit({ kind: 'kv.failed', data: { key: p.key, index: p.index, reason: 'not acknowledged in time' } });
  }
  for (let r = L.reads.peek(); r && r.deadline <= now; r = L.reads.peek()) {
    L.reads.shift();
    s.reply(r.requestId, { type: 'unavailable', reason: 'could not confirm leadership in time for a linearizable read', maybeApplied: false });
  }
}

/** A leader leaving office can promise nothing about what it was holding. */
export function failLeaderWork(s: RaftState, L: LeaderState): void {
  for (const p of L.pending.drain()) {
    s.reply(p.requestId, {
      type: 'unavailable',
      reason: 'this node lost leadership before the write was acknowledged; it may or may not survive',
      maybeApplied: true,
    });
    s.emit({ kind: 'kv.failed', data: { key: p.key, index: p.index, reason: 'leadership lost' } });
  }
  for (const r of L.reads.drain()) {
    s.reply(r.requestId, { type: 'unavailable', reason: 'this node lost leadership before it could confirm the read', maybeApplied: false });
  }
  if (L.change?.requestId != null) {
    s.reply(L.change.requestId, {
      type: 'unavailable',
      reason: 'this node lost leadership before the membership change committed; it may or may not survive',
      maybeApplied: true,
    });
  }
  L.change = null;
}

export function nextLeaderDeadline(L: LeaderState): number {
  return Math.min(L.pending.peek()?.deadline ?? Infinity, L.reads.peek()?.deadline ?? Infinity);
}

import { MAX_PENDING_WRITES } from '@clusterlab/shared';
import { majorityOf } from './config-log';
import { broadcastAppends } from './replication';
import type { LeaderState, RaftState } from './state';

/**
 * Linearizable reads without writing to the log (ReadIndex, §6.4): the leader notes its
 * commit index, confirms with a round of appends that a majority still recognises it (any
 * answer to an append sent after the read arrived will do), and answers once it has applied
 * up to that index. Until it has committed an entry of its own term it cannot know the commit
 * index, so the read index is taken only then.
 */
export function linearizableRead(s: RaftState, L: LeaderState, requestId: number, key: string, now: number): void {
  if (L.reads.size >= MAX_PENDING_WRITES) {
    return s.reply(requestId, { type: 'unavailable', reason: `${L.reads.size} reads are already waiting`, maybeApplied: false });
  }
  const ownTermCommitted = s.commitIndex >= L.noopIndex;
  L.reads.push({ requestId, key, round: L.round + 1, readIndex: ownTermCommitted ? s.commitIndex : null, deadline: now + s.settings.writeTimeoutMs });
  if (L.readProbeRound === null) probe(s, L, now);
  else L.readWanted = true;
  settleReads(s, L, now);
}

/** Heartbeats to everyone now, so the reads waiting need not wait for the next heartbeat. */
function probe(s: RaftState, L: LeaderState, now: number): void {
  L.readProbeRound = L.round + 1;
  L.readWanted = false;
  if (L.progress.size > 0) broadcastAppends(s, L, now, true);
}

/** The highest round a majority of voters has answered (the leader itself has answered every round). */
function confirmedRound(s: RaftState, L: LeaderState): number {
  const voters = s.config.current.voters;
  if (voters.length === 0) return 0;
  const rounds = voters.map((v) => (v === s.id ? Infinity : (L.progress.get(v)?.ackedRound ?? 0)));
  rounds.sort((a, b) => b - a);
  return rounds[majorityOf(voters.length) - 1]!;
}

export function settleReads(s: RaftState, L: LeaderState, now: number): void {
  if (L.reads.size === 0 && L.readProbeRound === null) return;
  const confirmed = confirmedRound(s, L);
  if (L.readProbeRound !== null && confirmed >= L.readProbeRound) {
    L.readProbeRound = null;
    if (L.readWanted) probe(s, L, now);
  }
  const ownTermCommitted = s.commitIndex >= L.noopIndex;
  for (let r = L.reads.peek(); r; r = L.reads.peek()) {
    if (r.readIndex === null) {
      if (!ownTermCommitted) return;
      r.readIndex = s.commitIndex;
    }
    if (confirmed < r.round || s.appliedIndex < r.readIndex) return;
    L.reads.shift();
    s.reply(r.requestId, { type: 'value', value: s.kv.get(r.key) ?? null });
  }
}

import { isNodeId, type NodeId, type RaftConfig } from '@clusterlab/shared';
import { isMember, membersOf } from './config-log';
import { becomeFollower } from './election';
import { advanceCommit, appendAsLeader, broadcastAppends, newProgress } from './replication';
import type { LeaderState, RaftState } from './state';

/**
 * Membership in the log, one server at a time (§4.1). A configuration is in force as soon as
 * it is appended; a new one may start only when the last has committed, and only once this
 * leader has committed an entry of its own term (the fix of §4.1's bug). A new node joins as a
 * learner, which receives the log but never counts, and is promoted once it has caught up.
 */

export function emitMembership(s: RaftState, committed: boolean): void {
  const c = s.config.current;
  s.emit({ kind: 'membership.changed', data: { index: s.config.currentIndex, voters: [...c.voters], learners: [...c.learners], committed } });
}

/** A configuration entry joined this node's log. */
export function noteConfig(s: RaftState, index: number, config: RaftConfig, now: number): void {
  s.config.add(index, config);
  emitMembership(s, false);
  if (s.role.role === 'leader') syncProgress(s, s.role, now);
}

/** After a commit, on every node: say once that the configuration in force is committed. */
export function configCommitted(s: RaftState, quiet: boolean): void {
  const index = s.config.currentIndex;
  if (index > s.commitIndex || index <= s.reportedConfigCommit) return;
  s.reportedConfigCommit = index;
  if (index > 0 && !quiet) emitMembership(s, true);
}

/**
 * The leader replicates to every member of the configuration in force, and keeps serving a
 * node being removed until its removal commits (so that node hears of it if it can).
 */
export function syncProgress(s: RaftState, L: LeaderState, now: number): void {
  const want = new Set([...membersOf(s.config.current), ...membersOf(s.config.at(s.commitIndex))]);
  want.delete(s.id);
  for (const id of want) if (!L.progress.has(id)) L.progress.set(id, newProgress(s, now));
  for (const id of [...L.progress.keys()]) if (!want.has(id)) L.progress.delete(id);
}

/** Why a membership change cannot start now, or null. */
export function changeBlocked(s: RaftState, L: LeaderState): string | null {
  if (s.commitIndex < L.noopIndex) return 'this leader has not yet committed an entry of its own term; try again in a moment';
  if (s.config.currentIndex > s.commitIndex) return 'another membership change is still being committed; Raft changes one server at a time';
  return null;
}

function appendConfig(s: RaftState, L: LeaderState, config: RaftConfig, requestId: number | null, now: number): void {
  const entry = appendAsLeader(s, { type: 'config', config }, now);
  L.change = { requestId, index: entry.index };
  broadcastAppends(s, L, now, false);
  advanceCommit(s, L, now);
}

/**
 * A change the configuration already has is answered as done once that configuration has
 * committed (so a client that timed out may simply ask again), or "wait" while it is still
 * being committed.
 */
function alreadyThere(s: RaftState, requestId: number): void {
  if (s.config.currentIndex <= s.commitIndex) {
    s.reply(requestId, { type: 'ok', index: s.config.currentIndex, term: s.log.termAt(s.config.currentIndex) ?? s.term });
  } else {
    s.reply(requestId, { type: 'unavailable', reason: 'that change is still being committed', maybeApplied: true });
  }
}

export function memberAdd(s: RaftState, L: LeaderState, requestId: number, id: NodeId, now: number): void {
  const c = s.config.current;
  if (!isNodeId(id)) return s.reply(requestId, { type: 'invalid', reason: `${JSON.stringify(id)} is not a node id` });
  // A learner becomes a voter by itself once it has caught up: either way it is in.
  if (isMember(c, id)) return alreadyThere(s, requestId);
  const blocked = changeBlocked(s, L);
  if (blocked) return s.reply(requestId, { type: 'unavailable', reason: blocked, maybeApplied: false });
  appendConfig(s, L, { voters: [...c.voters], learners: [...c.learners, id] }, requestId, now);
}

export function memberRemove(s: RaftState, L: LeaderState, requestId: number, id: NodeId, now: number): void {
  const c = s.config.current;
  if (!isMember(c, id)) return alreadyThere(s, requestId);
  if (c.voters.length === 1 && c.voters[0] === id) return s.reply(requestId, { type: 'invalid', reason: `${id} is the last voter; a cluster needs one` });
  const blocked = changeBlocked(s, L);
  if (blocked) return s.reply(requestId, { type: 'unavailable', reason: blocked, maybeApplied: false });
  appendConfig(s, L, { voters: c.voters.filter((v) => v !== id), learners: c.learners.filter((v) => v !== id) }, requestId, now);
}

/** A learner that holds everything committed becomes a voter (no one asks: the leader decides). */
export function maybePromote(s: RaftState, L: LeaderState, now: number): void {
  const c = s.config.current;
  if (c.learners.length === 0 || changeBlocked(s, L)) return;
  for (const learner of c.learners) {
    const pr = L.progress.get(learner);
    if (pr && pr.matchIndex >= s.commitIndex) {
      appendConfig(s, L, { voters: [...c.voters, learner], learners: c.learners.filter((l) => l !== learner) }, null, now);
      return;
    }
  }
}

/** After a commit on the leader: answer the change that committed, leave if it removed us, go on. */
export function leaderCommittedMembership(s: RaftState, L: LeaderState, now: number): void {
  if (L.change && L.change.index <= s.commitIndex) {
    const { requestId, index } = L.change;
    L.change = null;
    if (requestId !== null) s.reply(requestId, { type: 'ok', index, term: s.log.termAt(index) ?? s.term });
  }
  if (s.config.currentIndex <= s.commitIndex && !isMember(s.config.current, s.id)) {
    becomeFollower(s, s.term, null, now, 'removed from the cluster: the configuration without this node has committed');
    return;
  }
  syncProgress(s, L, now);
  maybePromote(s, L, now);
}

import { epochOwner, nextEpoch, nodeRank, type NodeId, type BullyMessageOf } from '@clusterlab/shared';
import { becomeLeader, stepDown } from './leader';
import type { CoreState } from './state';

/**
 * The bully election, with epochs.
 *
 * A node that hears no leader for its election timeout claims the next epoch it owns and
 * pings every higher-ranked live peer. If none answers in time (or none can be reached) it
 * declares victory to everyone; if one answers, it waits — bounded — for that node's victory
 * and starts over if none comes. Messages from an older epoch are ignored, and a leader that
 * learns of a newer epoch steps down.
 */
export function electionTick(s: CoreState, now: number): void {
  if (s.role === 'leader') return;
  const e = s.election;
  if (s.role === 'candidate' && e) {
    if (now < e.deadline) return;
    if (e.answeredBy === null) {
      becomeLeader(s, e.epoch, now);
      return;
    }
    s.emit({
      kind: 'election.abandoned',
      data: { term: e.epoch, reason: `${e.answeredBy} answered but sent no victory in time` },
    });
    startElection(s, now);
    return;
  }
  if (now >= s.electionDeadline) {
    const silentMs = now - (s.lastLeaderContactAt ?? s.startedAt);
    s.emit({ kind: 'election.timeout', data: { term: s.epoch, leader: s.leader, silentMs } });
    startElection(s, now);
  }
}

export function startElection(s: CoreState, now: number): void {
  const epoch = nextEpoch(Math.max(s.epoch, s.maxSeenEpoch), s.id);
  s.sawEpoch(epoch);
  s.role = 'candidate';
  s.leader = null;
  const higher = s.higherPeers();
  s.emit({ kind: 'election.started', data: { term: epoch, asked: higher } });
  if (higher.length === 0) {
    becomeLeader(s, epoch, now);
    return;
  }
  s.election = {
    epoch,
    waitingOn: new Set(higher),
    answeredBy: null,
    deadline: now + s.settings.electionAnswerTimeoutMs,
  };
  for (const peer of higher) s.send(peer, { type: 'election.ping', epoch });
}

export function onPing(s: CoreState, from: NodeId, msg: BullyMessageOf<'election.ping'>, now: number): void {
  // Pings only travel up the ranks; a ping from above is a confused peer, not an election.
  if (nodeRank(from) >= nodeRank(s.id) || epochOwner(msg.epoch) !== from) return;
  s.send(from, { type: 'election.answer', epoch: msg.epoch });
  s.sawEpoch(msg.epoch);
  if (s.role === 'leader') {
    // Still here and still the boss: a heartbeat now ends the candidate's election, since a
    // candidate keeps accepting the leader it followed. No new epoch, no change of leader.
    s.send(from, { type: 'heartbeat', epoch: s.epoch, commitIndex: s.commitIndex });
    return;
  }
  // A leader that is clearly alive is not deposed because one node missed its heartbeats
  // (it was paused, or slow): the classic bully would start an election here and bump the
  // epoch of the whole cluster for nothing. The candidate has its answer; it will hear the
  // leader, or time out waiting for a victory and try again.
  if (s.hearsLeader(now)) return;
  if (s.role === 'candidate' && s.election && s.election.epoch > msg.epoch) return;
  startElection(s, now);
}

export function onAnswer(s: CoreState, from: NodeId, msg: BullyMessageOf<'election.answer'>, now: number): void {
  const e = s.election;
  if (s.role !== 'candidate' || !e || msg.epoch !== e.epoch || e.answeredBy !== null) return;
  e.answeredBy = from;
  e.deadline = now + s.settings.electionVictoryTimeoutMs;
  s.emit({ kind: 'election.answered', data: { term: e.epoch, by: from } });
}

/** A ping that could not be delivered counts as "no answer" at once, without waiting. */
export function onPingUndeliverable(s: CoreState, to: NodeId, epoch: number, now: number): void {
  const e = s.election;
  if (s.role !== 'candidate' || !e || e.epoch !== epoch) return;
  e.waitingOn.delete(to);
  if (e.waitingOn.size === 0 && e.answeredBy === null) becomeLeader(s, e.epoch, now);
}

/**
 * A victory, heartbeat, append or snapshot claims `from` leads `epoch`. Accept it if the
 * epoch is current or newer; answer an older one with the newer epoch so a stale leader
 * (one that was paused, say) learns it has been replaced. Returns whether it was accepted.
 */
export function acceptLeader(s: CoreState, from: NodeId, epoch: number, now: number): boolean {
  if (epochOwner(epoch) !== from) return false;
  s.sawEpoch(epoch);
  if (epoch < s.epoch) {
    s.send(from, { type: 'epoch.stale', epoch: s.epoch, leader: s.leader });
    return false;
  }
  const known = s.role === 'follower' && s.leader === from && s.epoch === epoch;
  if (!known) {
    if (s.role === 'leader') stepDown(s, epoch, from);
    s.raiseEpoch(epoch);
    s.role = 'follower';
    s.leader = from;
    s.election = null;
    s.emit({ kind: 'leader.followed', data: { term: epoch, leader: from } });
  }
  s.lastLeaderContactAt = now;
  s.resetElectionTimer(now);
  return true;
}

export function onStale(s: CoreState, msg: BullyMessageOf<'epoch.stale'>, now: number): void {
  s.sawEpoch(msg.epoch);
  if (msg.epoch <= s.epoch) return;
  if (s.role === 'leader') stepDown(s, msg.epoch, msg.leader);
  s.raiseEpoch(msg.epoch);
  s.role = 'follower';
  s.election = null;
  // Wait to hear from the new leader itself rather than trusting hearsay about who it is.
  s.leader = null;
  s.resetElectionTimer(now);
}

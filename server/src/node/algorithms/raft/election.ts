import { MAX_TERM, type NodeId, type RaftMessageOf, type VoteRefusal } from '@clusterlab/shared';
import { failLeaderWork } from './client';
import { isVoter, majorityOf } from './config-log';
import { syncProgress } from './membership';
import { advanceCommit, appendAsLeader, broadcastAppends } from './replication';
import { Fifo, type LeaderState, type RaftState } from './state';

/**
 * Elections (§3.4) with PreVote (§9.6) and the leader lease that CheckQuorum makes safe
 * (§4.2.3): a node that heard from a leader within the minimum election timeout will not help
 * depose it, so a node that was cut off, or removed, cannot disrupt a healthy cluster.
 */

/** Whether this node believes a leader is alive: it leads, or heard one within the minimum election timeout. */
export function leaderAlive(s: RaftState, now: number): boolean {
  if (s.role.role === 'leader') return true;
  return s.role.role === 'follower' && s.role.leader !== null && now - s.lastLeaderContactAt < s.settings.electionTimeoutMinMs;
}

/** With CheckQuorum, a vote for a higher term is refused outright while the lease holds (as etcd does). */
export function inLease(s: RaftState, now: number): boolean {
  return s.settings.checkQuorum && leaderAlive(s, now);
}

export function onElectionTimeout(s: RaftState, now: number): void {
  if (s.role.role === 'leader') return;
  s.resetElectionTimer(now);
  // Learners and nodes outside the configuration wait to be told; only voters stand.
  if (!isVoter(s.config.current, s.id)) {
    if (s.role.role !== 'follower') becomeFollower(s, s.term, null, now);
    return;
  }
  // Peers refuse a term past the bound: standing for one would only be refused.
  if (s.term >= MAX_TERM) return;
  const since = Number.isFinite(s.lastLeaderContactAt) ? s.lastLeaderContactAt : s.startedAt;
  s.emit({ kind: 'election.timeout', data: { term: s.term, leader: s.leader(), silentMs: now - since } });
  if (s.settings.preVote) becomePreCandidate(s, now);
  else becomeCandidate(s, now);
}

function otherVoters(s: RaftState): NodeId[] {
  return s.config.current.voters.filter((v) => v !== s.id);
}

function becomePreCandidate(s: RaftState, now: number): void {
  s.role = { role: 'pre-candidate', granted: new Set([s.id]), refused: new Set() };
  const asked = otherVoters(s);
  const term = s.term + 1;
  s.emit({ kind: 'election.prevote_started', data: { term, asked } });
  for (const v of asked) s.send(v, { type: 'request_vote', term, pre: true, lastLogIndex: s.log.lastIndex, lastLogTerm: s.log.lastTerm });
  tally(s, now);
}

function becomeCandidate(s: RaftState, now: number): void {
  s.term += 1;
  s.votedFor = s.id;
  s.persistHardState();
  s.role = { role: 'candidate', granted: new Set([s.id]), refused: new Set() };
  s.resetElectionTimer(now);
  const asked = otherVoters(s);
  s.emit({ kind: 'election.started', data: { term: s.term, asked } });
  for (const v of asked) s.send(v, { type: 'request_vote', term: s.term, pre: false, lastLogIndex: s.log.lastIndex, lastLogTerm: s.log.lastTerm });
  tally(s, now);
}

function tally(s: RaftState, now: number): void {
  const r = s.role;
  if (r.role !== 'candidate' && r.role !== 'pre-candidate') return;
  const voters = s.config.current.voters;
  const need = majorityOf(voters.length);
  const granted = voters.filter((v) => r.granted.has(v)).length;
  const refused = voters.filter((v) => r.refused.has(v)).length;
  if (granted >= need) {
    if (r.role === 'pre-candidate') becomeCandidate(s, now);
    else becomeLeader(s, now);
  } else if (refused >= need) {
    // Lost: wait for the next timeout as a follower, without a leader.
    becomeFollower(s, s.term, null, now);
  }
}

function becomeLeader(s: RaftState, now: number): void {
  const L: LeaderState = {
    role: 'leader',
    progress: new Map(),
    pending: new Fifo(),
    reads: new Fifo(),
    round: 0,
    noopIndex: s.log.lastIndex + 1,
    heartbeatDueAt: now + s.settings.heartbeatIntervalMs,
    quorumCheckAt: now + s.settings.electionTimeoutMinMs,
    change: null,
    readProbeRound: null,
    readWanted: false,
    frozen: null,
  };
  s.role = L;
  s.electionDeadline = Number.POSITIVE_INFINITY;
  syncProgress(s, L, now);
  s.emit({ kind: 'leader.elected', data: { term: s.term, peers: [...L.progress.keys()] } });
  // Entries of earlier terms commit only with one of this term (§3.6.2).
  appendAsLeader(s, { type: 'noop' }, now);
  broadcastAppends(s, L, now, true);
  advanceCommit(s, L, now);
}

/**
 * Follow `term` (raising and persisting it if newer) under `leader`, when known. A leader
 * leaving office answers everything it was holding: it can no longer promise an outcome.
 */
export function becomeFollower(s: RaftState, term: number, leader: NodeId | null, now: number, why?: string): void {
  const was = s.role;
  const oldTerm = s.term;
  if (term > s.term) {
    s.term = term;
    s.votedFor = null;
    s.persistHardState();
  }
  if (was.role === 'leader') {
    s.emit({ kind: 'leader.stepped_down', data: { term: oldTerm, newerTerm: term, leader, ...(why ? { reason: why } : {}) } });
    failLeaderWork(s, was);
    // Until now it heard a leader all the time: itself. Its silence (election.timeout's silentMs) starts here.
    s.lastLeaderContactAt = now;
  }
  const before = was.role === 'follower' ? was.leader : null;
  const keepIncoming = was.role === 'follower' && term === oldTerm && before === leader;
  s.role = { role: 'follower', leader, incoming: keepIncoming ? was.incoming : null };
  s.resetElectionTimer(now);
  if (leader !== null && leader !== before) s.emit({ kind: 'leader.followed', data: { term: s.term, leader } });
}

/** A message from the leader of our term: follow it and restart the election clock. */
/**
 * Leader traffic of the current term: `from` won it. Answers false, and follows nobody new,
 * when this node already follows another leader in this term — a term has at most one
 * leader, so the claim is forged or confused, and taking its entries could overwrite
 * entries the real leader holds.
 */
export function followLeader(s: RaftState, from: NodeId, now: number, type: 'append_entries' | 'install_snapshot'): boolean {
  if (s.role.role === 'follower' && s.role.leader !== null && s.role.leader !== from) {
    s.emit({ kind: 'leader.disputed', data: { term: s.term, leader: s.role.leader, claimant: from, type } });
    return false;
  }
  if (s.role.role !== 'follower') becomeFollower(s, s.term, from, now);
  else if (s.role.leader !== from) {
    s.role.leader = from;
    s.role.incoming = null;
    s.emit({ kind: 'leader.followed', data: { term: s.term, leader: from } });
  }
  s.lastLeaderContactAt = now;
  s.resetElectionTimer(now);
  return true;
}

function logUpToDate(s: RaftState, lastTerm: number, lastIndex: number): boolean {
  return lastTerm > s.log.lastTerm || (lastTerm === s.log.lastTerm && lastIndex >= s.log.lastIndex);
}

/**
 * Why not vote (or pre-vote) for `from`, or null to grant. The candidate's membership is not
 * consulted (§4.1): a new voter this node has not heard about yet must still be able to win,
 * or a lagging voter could block the only candidate that can catch it up. A removed node is
 * kept from disrupting by PreVote and the lease instead.
 */
function refusal(s: RaftState, from: NodeId, msg: RaftMessageOf<'request_vote'>, now: number): VoteRefusal | null {
  if (msg.term < s.term) return 'stale term';
  if (msg.pre && leaderAlive(s, now)) return 'leader alive';
  if (msg.term === s.term) {
    if (s.votedFor !== null && s.votedFor !== from) return 'already voted';
    if (s.leader() !== null && s.votedFor !== from) return 'leader alive';
  }
  if (!logUpToDate(s, msg.lastLogTerm, msg.lastLogIndex)) return 'log behind';
  return null;
}

/** Answer a vote or pre-vote. A real vote is durable before the reply that grants it leaves. */
export function onRequestVote(s: RaftState, from: NodeId, msg: RaftMessageOf<'request_vote'>, now: number): void {
  const reason = refusal(s, from, msg, now);
  if (reason !== null) {
    refuseVote(s, from, msg, reason);
    // A rival candidate of our term with a log at least as good: give it a fair chance to
    // stand again before we do. Without this, a lagging candidate whose stale configuration
    // never asks the rival can stay one term ahead of it for ever (each of its timeouts comes
    // before the rival's second), and neither ever wins.
    if (reason === 'already voted' && s.role.role === 'candidate' && logUpToDate(s, msg.lastLogTerm, msg.lastLogIndex)) s.resetElectionTimer(now);
  } else {
    if (!msg.pre) {
      s.votedFor = from;
      s.persistHardState();
      s.resetElectionTimer(now);
    }
    s.emit({ kind: 'election.vote_granted', data: { term: msg.term, candidate: from, pre: msg.pre } });
    // A granted pre-vote names the term asked, so the pre-candidate can match it to its round.
    s.send(from, { type: 'request_vote.reply', term: msg.pre ? msg.term : s.term, pre: msg.pre, granted: true, reason: null });
  }
}

export function refuseVote(s: RaftState, from: NodeId, msg: RaftMessageOf<'request_vote'>, reason: VoteRefusal): void {
  s.emit({ kind: 'election.vote_refused', data: { term: msg.term, candidate: from, pre: msg.pre, reason } });
  s.send(from, { type: 'request_vote.reply', term: s.term, pre: msg.pre, granted: false, reason });
}

export function onVoteReply(s: RaftState, from: NodeId, msg: RaftMessageOf<'request_vote.reply'>, now: number): void {
  const r = s.role;
  if (r.role === 'pre-candidate' && msg.pre) {
    if (msg.granted && msg.term === s.term + 1) r.granted.add(from);
    else if (!msg.granted && msg.term === s.term) r.refused.add(from);
    else return;
  } else if (r.role === 'candidate' && !msg.pre && msg.term === s.term) {
    (msg.granted ? r.granted : r.refused).add(from);
  } else return;
  tally(s, now);
}

/**
 * CheckQuorum: a leader that has not heard from a majority of voters within the minimum
 * election timeout steps down, so a leader cut off in a minority stops taking writes it
 * could never commit, and followers' leases never outlive it.
 */
export function checkQuorum(s: RaftState, L: LeaderState, now: number): boolean {
  const voters = s.config.current.voters;
  if (voters.length === 0) return true;
  const heard = voters.map((v) => (v === s.id ? now : (L.progress.get(v)?.lastHeardAt ?? Number.NEGATIVE_INFINITY)));
  heard.sort((a, b) => b - a);
  const quorumHeardAt = heard[majorityOf(voters.length) - 1]!;
  const timeout = s.settings.electionTimeoutMinMs;
  if (now - quorumHeardAt >= timeout) {
    becomeFollower(s, s.term, null, now, `check quorum: no word from a majority of voters for ${timeout} ms`);
    return false;
  }
  L.quorumCheckAt = quorumHeardAt + timeout;
  return true;
}

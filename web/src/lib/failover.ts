import type { ClusterEvent, ClusterView, NodeId } from '@clusterlab/shared';

/**
 * Who led when, and how long each failover took, computed from the event stream alone.
 *
 * A failover has three instants:
 *   lost     – the old leader went away: the first of a kill/stop/pause/restart/remove fault
 *              aimed at it, its process exiting, or it stepping down; with no such event, the
 *              first election timeout anyone reports about it;
 *   detected – the first election.timeout or election.started after the loss;
 *   elected  – the leader.elected of a newer term (or a leader.followed naming it, when the
 *              winner's own report is missing: it was killed with its events unsent).
 * detection = detected − lost, election = elected − detected, total = elected − lost.
 *
 * Events arrive in the supervisor's sequence order, which is consistent with happened-before
 * (a follower's "I follow n2" comes after n2's election, its timeout and its victory), though
 * not with wall time between concurrent events of different nodes; durations are clamped at zero.
 */

export type LossCause = 'kill' | 'stop' | 'pause' | 'restart' | 'remove' | 'exit' | 'step-down' | 'timeout';

export type LeaderSegment = {
  leader: NodeId;
  term: number;
  startAt: number;
  /** null while this leader still leads. */
  endAt: number | null;
  endCause: LossCause | 'superseded' | 'reset' | null;
  /** False when the page joined after this leader was elected (the bar starts at "first seen"). */
  startKnown: boolean;
};

export type Failover = {
  oldLeader: NodeId;
  oldTerm: number;
  newLeader: NodeId;
  newTerm: number;
  cause: LossCause;
  lostAt: number;
  /** null when the new leader appeared without any timeout or election being reported. */
  detectedAt: number | null;
  electedAt: number;
  detectionMs: number | null;
  electionMs: number | null;
  totalMs: number;
};

type PendingLoss = {
  oldLeader: NodeId;
  oldTerm: number;
  lostAt: number;
  cause: LossCause;
  detectedAt: number | null;
};

export type LeadershipState = {
  leader: NodeId | null;
  term: number;
  pending: PendingLoss | null;
  /** Since when the cluster has had no leader; null while one leads or when unknown. */
  leaderlessSince: number | null;
  segments: LeaderSegment[];
  failovers: Failover[];
};

/** Limits, so a long session cannot grow the page's memory without bound. */
export const MAX_SEGMENTS = 500;
export const MAX_FAILOVERS = 200;

export const initialLeadership: LeadershipState = {
  leader: null,
  term: 0,
  pending: null,
  leaderlessSince: null,
  segments: [],
  failovers: [],
};

const FAULT_LOSSES = new Set(['kill', 'stop', 'pause', 'restart', 'remove']);

export function stepLeadership(s: LeadershipState, e: ClusterEvent): LeadershipState {
  switch (e.kind) {
    case 'cluster.started':
      return {
        ...s,
        leader: null,
        term: 0,
        pending: null,
        leaderlessSince: e.time,
        segments: endOpenSegment(s.segments, e.time, 'reset'),
      };
    case 'fault.injected':
      if (FAULT_LOSSES.has(e.data.action)) return lose(s, e.data.target, e.time, e.data.action as LossCause);
      if (e.data.action === 'resume') return resumeBeforeDetection(s, e.data.target);
      return s;
    case 'node.exited':
      return lose(s, e.data.id, e.time, 'exit');
    case 'node.removed':
      return lose(s, e.data.id, e.time, 'remove');
    case 'leader.stepped_down':
      return lose(s, e.node, e.time, 'step-down');
    case 'election.timeout':
      // A timeout in an older term was about an older leader: it can reach the supervisor
      // after the election that already replaced it (nodes batch their events).
      if (s.pending) return e.data.term >= s.pending.oldTerm ? detect(s, e.time) : s;
      // No fault told us the leader went away: the first timeout about it is the loss.
      if (s.leader !== null && e.data.leader === s.leader && e.data.term >= s.term && e.time >= currentStart(s)) {
        return detect(lose(s, s.leader, e.time, 'timeout'), e.time);
      }
      return s;
    case 'election.started':
      // The term it claims is above the lost leader's unless it is a stale report.
      if (s.pending) return e.data.term > s.pending.oldTerm ? detect(s, e.time) : s;
      return s;
    case 'leader.elected':
      return elect(s, e.node, e.data.term, e.time);
    case 'leader.followed':
      return elect(s, e.data.leader, e.data.term, e.time);
    default:
      return s;
  }
}

export function foldLeadership(s: LeadershipState, events: readonly ClusterEvent[]): LeadershipState {
  let next = s;
  for (const e of events) next = stepLeadership(next, e);
  return next;
}

/**
 * When the page joins a running cluster its event history may not reach back to the last
 * election. The cluster view then tells us who leads, though not since when.
 */
export function seedFromView(s: LeadershipState, view: ClusterView, firstSeenAt: number): LeadershipState {
  if (s.leader !== null || s.pending !== null) return s;
  if (view.leader === null) {
    return s.leaderlessSince === null ? { ...s, leaderlessSince: firstSeenAt } : s;
  }
  if (view.term < s.term) return s;
  const segment: LeaderSegment = {
    leader: view.leader,
    term: view.term,
    startAt: firstSeenAt,
    endAt: null,
    endCause: null,
    startKnown: false,
  };
  return { ...s, leader: view.leader, term: view.term, leaderlessSince: null, segments: capped([...s.segments, segment], MAX_SEGMENTS) };
}

function lose(s: LeadershipState, node: NodeId, time: number, cause: LossCause): LeadershipState {
  if (node === s.leader) {
    return {
      ...s,
      leader: null,
      pending: { oldLeader: node, oldTerm: s.term, lostAt: time, cause, detectedAt: null },
      leaderlessSince: time,
      segments: endOpenSegment(s.segments, time, cause),
    };
  }
  // A second sign of the same loss (the exit after the kill): keep whichever happened first.
  const p = s.pending;
  if (p && p.oldLeader === node && time < p.lostAt) {
    return {
      ...s,
      pending: { ...p, lostAt: time, cause },
      leaderlessSince: time,
      segments: retimeLastEnd(s.segments, node, time),
    };
  }
  return s;
}

/** A leader paused and resumed before anyone noticed never really stopped leading. */
function resumeBeforeDetection(s: LeadershipState, node: NodeId): LeadershipState {
  const p = s.pending;
  if (!p || p.oldLeader !== node || p.cause !== 'pause' || p.detectedAt !== null) return s;
  const last = s.segments[s.segments.length - 1];
  const segments =
    last && last.leader === node && last.term === p.oldTerm
      ? [...s.segments.slice(0, -1), { ...last, endAt: null, endCause: null }]
      : s.segments;
  return { ...s, leader: node, term: p.oldTerm, pending: null, leaderlessSince: null, segments };
}

function detect(s: LeadershipState, time: number): LeadershipState {
  const p = s.pending;
  if (!p) return s;
  // Nothing before the loss can be a reaction to it.
  if (time < p.lostAt) return s;
  if (p.detectedAt !== null && p.detectedAt <= time) return s;
  return { ...s, pending: { ...p, detectedAt: time } };
}

function currentStart(s: LeadershipState): number {
  const last = s.segments[s.segments.length - 1];
  return last && last.endAt === null ? last.startAt : -Infinity;
}

function elect(s: LeadershipState, leader: NodeId, term: number, time: number): LeadershipState {
  if (term === s.term && leader === s.leader) return s;
  if (isFalseAlarm(s, leader, term, time)) return reinstate(s);
  if (term <= s.term) return s;

  // The same leader winning again with nobody lost in between (two elections racing, or a
  // follower's false alarm it out-ranked) is one continuous reign: one bar, newest term.
  const last = s.segments[s.segments.length - 1];
  if (!s.pending && last && last.endAt === null && last.leader === leader) {
    return { ...s, term, segments: [...s.segments.slice(0, -1), { ...last, term }] };
  }

  const segments = capped(
    [...endOpenSegment(s.segments, time, 'superseded'), { leader, term, startAt: time, endAt: null, endCause: null, startKnown: true }],
    MAX_SEGMENTS,
  );
  let failovers = s.failovers;
  const p = s.pending;
  if (p) {
    const electedAt = Math.max(time, p.lostAt);
    const detectedAt = p.detectedAt === null ? null : Math.min(p.detectedAt, electedAt);
    failovers = capped(
      [
        ...failovers,
        {
          oldLeader: p.oldLeader,
          oldTerm: p.oldTerm,
          newLeader: leader,
          newTerm: term,
          cause: p.cause,
          lostAt: p.lostAt,
          detectedAt,
          electedAt,
          detectionMs: detectedAt === null ? null : detectedAt - p.lostAt,
          electionMs: detectedAt === null ? null : electedAt - detectedAt,
          totalMs: electedAt - p.lostAt,
        },
      ],
      MAX_FAILOVERS,
    );
  }
  return { ...s, leader, term, pending: null, leaderlessSince: null, segments, failovers };
}

/**
 * A follower timed out on a leader that was only slow: it pinged it, got an answer, and
 * follows it again in the same term. Nobody else was elected, so the leader never left;
 * without this the page would say "No leader" until the next real election.
 */
function isFalseAlarm(s: LeadershipState, leader: NodeId, term: number, time: number): boolean {
  const p = s.pending;
  return p !== null && p.cause === 'timeout' && p.oldLeader === leader && p.oldTerm === term && time > p.lostAt;
}

function reinstate(s: LeadershipState): LeadershipState {
  const p = s.pending!;
  const last = s.segments[s.segments.length - 1];
  const segments =
    last && last.leader === p.oldLeader && last.term === p.oldTerm && last.endCause === 'timeout'
      ? [...s.segments.slice(0, -1), { ...last, endAt: null, endCause: null }]
      : s.segments;
  return { ...s, leader: p.oldLeader, term: p.oldTerm, pending: null, leaderlessSince: null, segments };
}

function endOpenSegment(segments: LeaderSegment[], time: number, cause: LeaderSegment['endCause']): LeaderSegment[] {
  const last = segments[segments.length - 1];
  if (!last || last.endAt !== null) return segments;
  return [...segments.slice(0, -1), { ...last, endAt: Math.max(time, last.startAt), endCause: cause }];
}

function retimeLastEnd(segments: LeaderSegment[], leader: NodeId, time: number): LeaderSegment[] {
  const last = segments[segments.length - 1];
  if (!last || last.leader !== leader || last.endAt === null) return segments;
  return [...segments.slice(0, -1), { ...last, endAt: Math.max(time, last.startAt) }];
}

function capped<T>(list: T[], max: number): T[] {
  return list.length > max ? list.slice(list.length - max) : list;
}

import { isLeaderTraffic } from './algorithms/vocabulary';
import type { NodeStatus, NodeView } from './api';
import type { EmittedEvent } from './events';

/**
 * What a node *believes* — role, term, leader, indexes, vote, membership — as far as its
 * events tell. One fold, used by the supervisor's cluster view and the dashboard's store, so
 * the two can never tell a different story from the same events. (What its *process* does —
 * pid, port, paused — is another matter: the supervisor knows that first-hand.)
 */
export type NodeBeliefs = Pick<
  NodeView,
  'role' | 'term' | 'leader' | 'lastIndex' | 'commitIndex' | 'appliedIndex' | 'keyCount' | 'lastHeartbeatAt' | 'votedFor' | 'membership'
>;

export const UNKNOWN_BELIEFS: NodeBeliefs = {
  role: 'unknown',
  term: 0,
  leader: null,
  lastIndex: 0,
  commitIndex: 0,
  appliedIndex: 0,
  keyCount: 0,
  lastHeartbeatAt: null,
  votedFor: null,
  membership: 'none',
};

/**
 * The node whose beliefs an event is about: supervisor-made lifecycle events name it in their
 * data; everything else is about its sender. Null for events about no node's beliefs.
 */
export function believerOf(event: EmittedEvent): string | null {
  if (event.kind === 'node.spawned' || event.kind === 'node.exited' || event.kind === 'node.ready') return event.data.id;
  if (event.node === 'supervisor' || event.node === 'registry') return null;
  return event.node;
}

/** The beliefs after one event; the very same object when nothing changed, so callers can tell by identity. */
export function beliefsAfter(b: NodeBeliefs, event: EmittedEvent): NodeBeliefs {
  switch (event.kind) {
    // A fresh process knows nothing yet; what it restores from disk, node.ready tells.
    case 'node.spawned':
      return UNKNOWN_BELIEFS;
    case 'node.ready': {
      const { restoredIndex, restoredKeys } = event.data;
      return {
        ...b,
        appliedIndex: restoredIndex,
        commitIndex: Math.max(b.commitIndex, restoredIndex),
        lastIndex: Math.max(b.lastIndex, restoredIndex),
        keyCount: restoredKeys,
      };
    }
    // A dead process believes nothing; its indexes stay as the last thing we knew of it.
    case 'node.exited':
      return { ...b, role: 'unknown', leader: null };
    case 'leader.elected':
      return { ...b, role: 'leader', term: event.data.term, leader: event.node };
    case 'leader.followed':
      return { ...b, role: 'follower', term: event.data.term, leader: event.data.leader };
    case 'leader.stepped_down':
      return { ...b, role: 'follower', term: event.data.newerTerm, leader: event.data.leader };
    case 'election.prevote_started':
      return { ...b, role: 'pre-candidate', leader: null };
    // The term it stands for is a claim: bully keeps its old epoch until it wins.
    case 'election.started':
      return { ...b, role: 'candidate', leader: null };
    case 'election.abandoned':
      return { ...b, role: 'follower' };
    case 'election.vote_granted':
      return event.data.pre ? b : { ...b, term: Math.max(b.term, event.data.term), votedFor: event.data.candidate };
    case 'membership.changed': {
      const me = event.node;
      const membership = event.data.voters.includes(me) ? 'voter' : event.data.learners.includes(me) ? 'learner' : 'none';
      return membership === b.membership ? b : { ...b, membership };
    }
    case 'kv.write':
      return event.data.index > b.lastIndex ? { ...b, lastIndex: event.data.index } : b;
    case 'replication.appended':
    case 'replication.synced':
      return { ...b, lastIndex: event.data.toIndex };
    case 'replication.truncated':
      return { ...b, lastIndex: Math.min(b.lastIndex, event.data.fromIndex - 1) };
    case 'replication.committed':
      return event.data.index > b.commitIndex ? { ...b, commitIndex: event.data.index } : b;
    // A follower applies only what its leader committed, so what it applied is committed.
    case 'replication.applied': {
      const { index, keyCount } = event.data;
      return { ...b, appliedIndex: index, keyCount, commitIndex: Math.max(b.commitIndex, index), lastIndex: Math.max(b.lastIndex, index) };
    }
    case 'message.received':
      return isLeaderTraffic(event.data.type) && (b.lastHeartbeatAt ?? 0) < event.time ? { ...b, lastHeartbeatAt: event.time } : b;
    default:
      return b;
  }
}

/** True for events that change what a node believes (not mere traffic), used to tell whether a /status answer is stale. */
export function changesBeliefs(event: EmittedEvent): boolean {
  return !event.kind.startsWith('message.');
}

/** A node's own GET /status is the truth about its beliefs at the moment it answered. */
export function beliefsFromStatus(b: NodeBeliefs, status: NodeStatus): NodeBeliefs {
  return {
    ...b,
    role: status.role,
    term: status.term,
    leader: status.leader,
    lastIndex: status.lastIndex,
    commitIndex: status.commitIndex,
    appliedIndex: status.appliedIndex,
    keyCount: status.keyCount,
    votedFor: status.votedFor ?? null,
    membership: status.membership ?? 'none',
  };
}

import {
  compareNodeIds,
  isNodeId,
  type ClusterSettings,
  type ClusterView,
  type EmittedEvent,
  type NodeId,
  type NodeRole,
  type NodeStatus,
  type NodeView,
  type ProcessStatus,
  type RegistryView,
} from '@clusterlab/shared';

/**
 * What the dashboard shows, derived without I/O. Two kinds of facts meet here:
 *
 * - what a node *believes* (role, epoch, leader, indexes), which the supervisor only learns
 *   from the node's events — or, to heal a missed event, from its GET /status;
 * - what its *process* is doing (pid, port, paused, exited), which the supervisor knows
 *   first-hand because it owns the process.
 *
 * `reduceFacts` folds events into the first, `composeClusterView` joins both into a ClusterView.
 */

export type NodeFacts = Pick<NodeView, 'role' | 'epoch' | 'leader' | 'commitIndex' | 'appliedIndex' | 'keyCount' | 'lastHeartbeatAt'>;

export type FactsById = Readonly<Record<NodeId, NodeFacts>>;

export const UNKNOWN_FACTS: NodeFacts = {
  role: 'unknown',
  epoch: 0,
  leader: null,
  commitIndex: 0,
  appliedIndex: 0,
  keyCount: 0,
  lastHeartbeatAt: null,
};

/** What a leader sends its followers; receiving one is the sign of a live leader. */
const LEADER_TRAFFIC = new Set(['heartbeat', 'append', 'snapshot']);

/**
 * The facts after one event. Returns the very same object when nothing changed, so a caller
 * can tell "changed" by identity.
 */
export function reduceFacts(facts: FactsById, event: EmittedEvent): FactsById {
  if (event.kind === 'cluster.started') return Object.keys(facts).length === 0 ? facts : {};
  if (event.kind === 'node.removed') {
    if (!(event.data.id in facts)) return facts;
    const { [event.data.id]: _removed, ...rest } = facts;
    return rest;
  }
  // Supervisor-made lifecycle events name the node in their data; everything else is about its sender.
  const id = event.kind === 'node.spawned' || event.kind === 'node.exited' ? event.data.id : event.node;
  if (!isNodeId(id)) return facts;
  const before = facts[id] ?? UNKNOWN_FACTS;
  const after = nodeFactsAfter(before, event);
  return after === before && id in facts ? facts : { ...facts, [id]: after };
}

function nodeFactsAfter(f: NodeFacts, event: EmittedEvent): NodeFacts {
  switch (event.kind) {
    // A fresh process knows nothing yet; what it restores from disk, node.ready tells.
    case 'node.spawned':
      return UNKNOWN_FACTS;
    case 'node.ready': {
      const { restoredIndex, restoredKeys } = event.data;
      return { ...f, appliedIndex: restoredIndex, commitIndex: Math.max(f.commitIndex, restoredIndex), keyCount: restoredKeys };
    }
    // A dead process believes nothing; its indexes stay as the last thing we knew of it.
    case 'node.exited':
      return { ...f, role: 'unknown', leader: null };
    case 'leader.elected':
      return { ...f, role: 'leader', epoch: event.data.epoch, leader: event.node };
    case 'leader.followed':
      return { ...f, role: 'follower', epoch: event.data.epoch, leader: event.data.leader };
    case 'leader.stepped_down':
      return { ...f, role: 'follower', epoch: event.data.newerEpoch, leader: event.data.leader };
    case 'election.started':
      return { ...f, role: 'candidate', leader: null };
    case 'election.abandoned':
      return { ...f, role: 'follower' };
    case 'replication.committed':
      return event.data.index > f.commitIndex ? { ...f, commitIndex: event.data.index } : f;
    // A follower applies only what its leader committed, so what it applied is committed.
    case 'replication.applied': {
      const { index, keyCount } = event.data;
      return { ...f, appliedIndex: index, keyCount, commitIndex: Math.max(f.commitIndex, index) };
    }
    case 'message.received':
      return LEADER_TRAFFIC.has(event.data.type) ? { ...f, lastHeartbeatAt: event.time } : f;
    default:
      return f;
  }
}

/** True for events that change what a node believes (not mere traffic), used to tell whether a /status answer is stale. */
export function changesBeliefs(event: EmittedEvent): boolean {
  return !event.kind.startsWith('message.');
}

/** A node's own GET /status is the truth about its beliefs at the moment it answered. */
export function factsFromStatus(f: NodeFacts, status: NodeStatus): NodeFacts {
  return {
    ...f,
    role: status.role,
    epoch: status.epoch,
    leader: status.leader,
    commitIndex: status.commitIndex,
    appliedIndex: status.appliedIndex,
    keyCount: status.keyCount,
  };
}

/** What the supervisor knows first-hand about one process. */
export type ProcessFacts = {
  status: ProcessStatus;
  pid: number | null;
  port: number | null;
  startedAt: number | null;
  exit: { code: number | null; signal: string | null } | null;
};

export function urlOf(port: number | null): string | null {
  return port === null ? null : `http://127.0.0.1:${port}`;
}

export type ViewInputs = {
  processes: ReadonlyMap<NodeId, ProcessFacts>;
  facts: FactsById;
  registry: RegistryView;
  settings: ClusterSettings;
  now: number;
};

export function composeClusterView({ processes, facts, registry, settings, now }: ViewInputs): ClusterView {
  const nodes: NodeView[] = [...processes.entries()]
    .sort(([a], [b]) => compareNodeIds(a, b))
    .map(([id, p]) => {
      const f = facts[id] ?? UNKNOWN_FACTS;
      // A stopped process leads nobody, whatever it last said.
      const believes = p.status === 'stopped' ? { role: 'unknown' as const, leader: null } : { role: f.role, leader: f.leader };
      return { id, ...f, ...believes, ...p, url: urlOf(p.port) };
    });
  const { leader, epoch } = clusterLeader(nodes);
  return { leader, epoch, settings, nodes, registry, now };
}

/**
 * The cluster's leader: the leader of the highest epoch that any node whose process is not
 * stopped leads or follows — provided that leader is alive and itself claims that epoch.
 * A paused old leader still believes it leads, but once the others follow a newer epoch it is
 * no longer *the* leader; followers that still name a killed or restarted leader name nobody.
 */
export function clusterLeader(nodes: readonly NodeView[]): { leader: NodeId | null; epoch: number } {
  let epoch = 0;
  let named: NodeId | null = null;
  for (const node of nodes) {
    if (node.status === 'stopped') continue;
    const follows = node.role === 'leader' ? node.id : node.role === 'follower' ? node.leader : null;
    if (follows !== null && node.epoch > epoch) {
      epoch = node.epoch;
      named = follows;
    }
  }
  const leader = nodes.find((n) => n.id === named);
  const confirmed = leader !== undefined && leader.status !== 'stopped' && leader.role === 'leader' && leader.epoch === epoch;
  return { leader: confirmed ? leader.id : null, epoch };
}

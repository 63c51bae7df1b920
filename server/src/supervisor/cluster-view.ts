import {
  beliefsAfter,
  clusterLeader,
  believerOf,
  compareNodeIds,
  isNodeId,
  UNKNOWN_BELIEFS,
  type NodeBeliefs,
  type ClusterSettings,
  type ClusterView,
  type EmittedEvent,
  type NodeId,
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

export type NodeFacts = NodeBeliefs;

export type FactsById = Readonly<Record<NodeId, NodeFacts>>;

export const UNKNOWN_FACTS: NodeFacts = UNKNOWN_BELIEFS;

/**
 * The facts after one event (the fold itself is shared with the dashboard). Returns the very
 * same object when nothing changed, so a caller can tell "changed" by identity.
 */
export function reduceFacts(facts: FactsById, event: EmittedEvent): FactsById {
  if (event.kind === 'cluster.started') return Object.keys(facts).length === 0 ? facts : {};
  if (event.kind === 'node.removed') {
    if (!(event.data.id in facts)) return facts;
    const { [event.data.id]: _removed, ...rest } = facts;
    return rest;
  }
  const id = believerOf(event);
  if (id === null || !isNodeId(id)) return facts;
  const before = facts[id] ?? UNKNOWN_FACTS;
  const after = beliefsAfter(before, event);
  return after === before && id in facts ? facts : { ...facts, [id]: after };
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
  const { leader, term } = clusterLeader(nodes);
  return { leader, term, settings, nodes, registry, now };
}

export { clusterLeader };

import type { ClusterEvent, ClusterSettings, FaultView, NodeId, NodeView } from '@clusterlab/shared';
import { UNKNOWN_BELIEFS } from '@clusterlab/shared/beliefs';
import { clusterLeader } from '@clusterlab/shared/cluster-leader';
import { compareNodeIds } from '@clusterlab/shared/ids';
import { applyEventsToCluster, initialCluster, type ClusterState } from '../stores/clusterReducer';
import { appendEvents, initialEvents, type EventsState } from '../stores/eventsReducer';
import { foldFaultEvents, foldFaultPeriods, type FaultPeriod } from './faults';

/**
 * Time travel: the whole dashboard as it was just after one event of a recorded run. The page
 * keeps its live cluster and events aside and shows these instead; every card, the timeline,
 * the failovers, the event log and the faults are computed from the run's events up to that
 * one, by the same reducers the live feed goes through. No I/O.
 */

/** What the dashboard's slices hold at one moment of a run. */
export type MomentState = {
  cluster: ClusterState;
  events: EventsState;
  faults: { list: readonly FaultView[]; periods: readonly FaultPeriod[] };
};

/** The parts of a trace time travel reads (a trace file's header and events, see shared/src/trace.ts). */
export type RunEvents = { settings: ClusterSettings; events: readonly ClusterEvent[] };

/** The state just after `events[index]` (index −1: before the first event). */
export function momentAt(run: RunEvents, index: number): MomentState {
  const upTo = run.events.slice(0, Math.max(0, Math.min(index + 1, run.events.length)));
  const seeded = seedCluster(run);
  const applied = applyEventsToCluster(seeded, upTo);
  // Who leads, as the supervisor would say it: from every node's beliefs, not the last claim.
  const { leader, term } = clusterLeader(applied.nodeIds.map((id) => applied.nodes[id]!));
  const cluster = { ...applied, leader, term, nodeIds: applied.nodeIds.filter((id) => everSpawned(upTo, id)) };
  const faultEvents = upTo.filter((e) => e.kind === 'fault.network' || e.kind === 'fault.healed');
  return {
    cluster,
    events: appendEvents(initialEvents, upTo),
    faults: { list: foldFaultEvents([], faultEvents), periods: foldFaultPeriods([], faultEvents) },
  };
}

/** Every node the run ever had, stopped and knowing nothing, as a fresh view would list them before they start. */
function seedCluster(run: RunEvents): ClusterState {
  const ids = new Set<NodeId>();
  for (const e of run.events) if (e.kind === 'node.spawned') ids.add(e.data.id);
  const nodeIds = [...ids].sort(compareNodeIds);
  const nodes: Record<NodeId, NodeView> = {};
  for (const id of nodeIds) {
    nodes[id] = { id, ...UNKNOWN_BELIEFS, status: 'stopped', pid: null, port: null, url: null, startedAt: null, exit: null };
  }
  return {
    ...initialCluster,
    loaded: true,
    nodeIds,
    nodes,
    registry: { status: 'stopped', pid: null, port: null, url: null, ttlMs: run.settings.registryTtlMs, nodes: [] },
    settings: run.settings,
  };
}

function everSpawned(events: readonly ClusterEvent[], id: NodeId): boolean {
  return events.some((e) => e.kind === 'node.spawned' && e.data.id === id);
}

/** Where the keyboard and the jump buttons go from the event at `index`. */
export type Moments = {
  /** The next moment the leader of that time (or, with none, the next one elected) went away: killed, stopped, paused, exited, or stepped down. */
  leaderLost: number | null;
  /** The next election: a node standing, or one elected. */
  nextElection: number | null;
  /** The previous one, to go back. */
  previousElection: number | null;
};

/** `leader`: who led at that moment (the page already shows it: momentAt(run, index).cluster.leader). */
export function momentsFrom(run: RunEvents, index: number, leaderThen: NodeId | null): Moments {
  const { events } = run;
  // With no leader at the moment, the one lost is the next one elected.
  let leader = leaderThen;
  let leaderLost: number | null = null;
  let nextElection: number | null = null;
  for (let i = index + 1; i < events.length && (leaderLost === null || nextElection === null); i++) {
    const e = events[i]!;
    if (leader === null && e.kind === 'leader.elected') leader = e.node;
    else if (leaderLost === null && leader !== null && lostLeader(e, leader)) leaderLost = i;
    if (nextElection === null && isElection(e)) nextElection = i;
  }
  let previousElection: number | null = null;
  for (let i = index - 1; i >= 0 && previousElection === null; i--) if (isElection(events[i]!)) previousElection = i;
  return { leaderLost, nextElection, previousElection };
}

function lostLeader(e: ClusterEvent, leader: NodeId): boolean {
  switch (e.kind) {
    case 'fault.injected':
      return e.data.target === leader && ['kill', 'stop', 'pause', 'restart', 'remove'].includes(e.data.action);
    case 'node.exited':
      return e.data.id === leader;
    case 'leader.stepped_down':
      return e.node === leader;
    default:
      return false;
  }
}

function isElection(e: ClusterEvent): boolean {
  return e.kind === 'election.started' || e.kind === 'leader.elected';
}

/** What a shareable URL names: a recorded run (or a simulated seed) and a moment of it. */
export type TravelLink = { run: string; at: number | null } | { sim: number; algorithm: 'bully' | 'raft'; at: number | null };

/** `#run=r2&at=1234`, `#sim=26&algorithm=raft&at=80` → what to open; null for any other hash. */
export function parseTravelHash(hash: string): TravelLink | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const at = params.has('at') ? Number(params.get('at')) : null;
  if (at !== null && (!Number.isInteger(at) || at < 0)) return null;
  const run = params.get('run');
  if (run !== null) return /^r\d{1,6}$/.test(run) ? { run, at } : null;
  const sim = params.get('sim');
  if (sim !== null) {
    const seed = Number(sim);
    const algorithm = params.get('algorithm') ?? 'bully';
    if (!Number.isInteger(seed) || seed < 0 || (algorithm !== 'bully' && algorithm !== 'raft')) return null;
    return { sim: seed, algorithm, at };
  }
  return null;
}

export function travelHash(link: TravelLink): string {
  const at = link.at === null ? '' : `&at=${link.at}`;
  return 'run' in link ? `#run=${link.run}${at}` : `#sim=${link.sim}${link.algorithm === 'bully' ? '' : `&algorithm=${link.algorithm}`}${at}`;
}

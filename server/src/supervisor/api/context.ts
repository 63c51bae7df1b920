import type { ClusterSettings, ClusterView } from '@clusterlab/shared';
import type { ClusterState } from '../cluster-state';
import type { FaultState } from '../fault-state';
import type { NodeDirectory } from '../kv-proxy';
import type { ProcessManager } from '../process-manager';
import type { Runs } from '../runs';
import type { Workloads } from '../workload/workloads';
import type { Comparisons } from '../lessons/comparison';
import type { Lessons } from '../lessons/lessons';

/** What the REST routes need from the supervisor, and nothing more. */
export type ApiContext = {
  manager: ProcessManager;
  state: ClusterState;
  /** The lasting faults in force (POST/GET/DELETE /api/faults). */
  faults: FaultState;
  /** The workloads run against the cluster (/api/workloads), one at a time. */
  workloads: Workloads;
  /** The lessons, and the one being run (/api/lessons). */
  lessons: Lessons;
  /** A lesson played under both algorithms at once (/api/lessons/:id/compare). */
  comparisons: Comparisons;
  /** The recorded runs (GET /api/runs). */
  runs: Runs;
  /** The checker's worker program, for POST /api/check. */
  checkerProgram: string;
  view(): ClusterView;
  /** Stops everything, wipes data, starts `nodes` fresh nodes with `settings`. */
  reset(nodes: number, settings: ClusterSettings): Promise<void>;
  /** Deadline for one request to a node; a paused node costs this, never more. */
  kvTimeoutMs(): number;
  log(line: string): void;
};

/** Where the nodes are and who leads, as the cluster view says right now. */
export function directoryOf(ctx: ApiContext): NodeDirectory {
  const view = ctx.view();
  return { nodes: () => view.nodes, leader: () => view.leader };
}

/** Deadline for one write to a node: it may wait writeTimeoutMs for acknowledgements before it answers 504. */
export function writeDeadlineMs(ctx: ApiContext): number {
  return Math.max(ctx.kvTimeoutMs(), ctx.manager.settings.writeTimeoutMs + 1000);
}

import type { HistoryOp } from '@clusterlab/shared/history';
import type { WorkloadFault, WorkloadVerdict, WorkloadView } from '@clusterlab/shared/workloads';

/**
 * The workload panel's state: the run it shows (polled from GET /api/workloads/:id while it
 * runs or is being checked), or a history file the learner imported and had checked. Either a
 * run or an import is shown, never a mix. A run's history stays on the supervisor: the diagram
 * asks it for the few operations it draws.
 */
export type ImportedCheck = {
  name: string;
  history: HistoryOp[];
  faults: Pick<WorkloadFault, 'id' | 'description' | 'fromMs' | 'toMs'>[];
  verdict: WorkloadVerdict;
};

export type WorkloadSliceState = {
  /** The run shown, once its first view has been read. */
  view: WorkloadView | null;
  imported: ImportedCheck | null;
  showing: 'run' | 'import';
  /** What the API refused or could not do when the learner asked (Start, Stop, Export, Import): an alert in the panel. */
  error: string | null;
  /**
   * A background read that failed (following the run, looking up the last one): a quiet line,
   * not an alert — nobody asked, and the feed-down banner is the page's alert for a lost supervisor.
   */
  notice: string | null;
  /** The last run was looked up (GET /api/workloads) at least once. */
  loaded: boolean;
};

export const initialWorkload: WorkloadSliceState = { view: null, imported: null, showing: 'run', error: null, notice: null, loaded: false };

/** A run whose view may still change. */
export const isLive = (view: WorkloadView | null) => view !== null && (view.state === 'running' || view.state === 'checking');

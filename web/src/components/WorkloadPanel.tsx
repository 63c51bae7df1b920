import { useEffect } from 'react';
import { exportHistory, exportReport, importHistory, loadLatestWorkload, showRun } from '../api/workloadActions';
import type { DiagramSource } from '../hooks/useFindingOps';
import { useApp } from '../stores/hooks';
import { isLive } from '../stores/workloadSlice';
import { VerdictHeadline, VerdictView } from './VerdictView';
import { WorkloadChart } from './WorkloadChart';
import { WorkloadFaultList } from './WorkloadFaultList';
import { WorkloadForm } from './WorkloadForm';
import { WorkloadProgress } from './WorkloadProgress';

/**
 * Workload: run clients against the real cluster for a while, watch throughput and latency
 * with the faults shaded, then read the checker's verdict and the operations it blames. A
 * history exported from here (or the CLI) can be imported and checked again.
 */
export function WorkloadPanel() {
  const view = useApp((s) => s.workload.view);
  const imported = useApp((s) => s.workload.imported);
  const showing = useApp((s) => s.workload.showing);
  const error = useApp((s) => s.workload.error);
  const notice = useApp((s) => s.workload.notice);
  const busy = useApp((s) => s.ui.busy.workload ?? null);
  const snapshots = useApp((s) => s.faults.snapshots);
  const startedElsewhere = useApp((s) => lastStartedId(s.events.all));

  // On load, after every reconnect, and when a run starts from elsewhere (the CLI, another tab).
  useEffect(() => {
    void loadLatestWorkload();
  }, [snapshots, startedElsewhere]);

  const showImport = showing === 'import' && imported !== null;
  const live = isLive(view);
  const verdict = showImport ? imported.verdict : (view?.verdict ?? null);
  const faults = showImport ? imported.faults : (view?.faults ?? []);
  const source: DiagramSource | null = showImport ? { kind: 'file', history: imported.history } : view ? { kind: 'run', id: view.id } : null;
  const checkFailed = !showImport && view?.error ? `The check failed: ${view.error}` : null;

  return (
    <section className="panel workload" aria-labelledby="workload-heading">
      <div className="panel__head">
        <h2 id="workload-heading">Workload</h2>
        <span className="muted small">{showImport ? `Imported ${imported.name}` : view ? `${view.id} · ${view.state}` : 'run clients against the cluster, then check what they saw'}</span>
        <div className="panel__tool wl-tools">
          {showImport && (
            <button type="button" className="btn btn--small" onClick={showRun}>
              Back to the run
            </button>
          )}
          <button type="button" className="btn btn--small" disabled={!view || live || busy !== null} onClick={() => view && void exportHistory(view.id)}>
            Export history
          </button>
          <button type="button" className="btn btn--small" disabled={!view} onClick={() => view && exportReport(view)}>
            Export report
          </button>
          <label className={busy !== null ? 'btn btn--small wl-import wl-import--busy' : 'btn btn--small wl-import'}>
            Import history
            <input
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              disabled={busy !== null}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importHistory(file);
              }}
            />
          </label>
        </div>
      </div>
      <WorkloadForm />
      {error && (
        <p role="alert" className="wl-error">
          {error}
        </p>
      )}
      {/* One line kept for it, so a failed poll does not push the chart down mid-run. */}
      <p className="wl-notice" aria-live="polite">
        {checkFailed ?? notice}
      </p>
      {!showImport && view && (
        <>
          <WorkloadProgress view={view} />
          <WorkloadChart series={view.series} faults={view.faults} durationMs={view.spec.durationMs} running={view.state === 'running'} />
        </>
      )}
      {(showImport || view) && <WorkloadFaultList faults={faults} running={!showImport && view?.state === 'running'} />}
      <div className="wl-verdict">
        <h3 id="wl-verdict-heading" className="wl-subhead">
          Verdict{showImport ? ` on ${imported.name}` : ''}
        </h3>
        <div role="status" aria-label="Workload verdict" className="wl-verdict__status">
          {verdict ? (
            <VerdictHeadline verdict={verdict} />
          ) : (
            <p className="muted">{!view ? 'No run yet: pick a preset and press Start workload.' : view.state === 'running' ? 'The verdict comes once the run ends and its history is checked.' : view.state === 'checking' ? 'Checking the history…' : 'No verdict.'}</p>
          )}
        </div>
        {verdict && source && <VerdictView key={showImport ? `import-${imported.name}` : view?.id} verdict={verdict} source={source} faults={faults} />}
      </div>
    </section>
  );
}

/** The id of the newest workload.started event the page holds, if any. */
function lastStartedId(events: readonly { kind: string; data: unknown }[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'workload.started') return (e.data as { id: string }).id;
  }
  return null;
}

import type { WorkloadView } from '@clusterlab/shared/workloads';
import { count, totals } from '../lib/verdictWords';
import { formatRunTime } from '../lib/workloadChart';

const STATE_WORDS: Record<WorkloadView['state'], string> = { running: 'Running', checking: 'Checking the history', done: 'Done', stopped: 'Stopped' };

/** Where the run is, how many operations ended how, and their latency: one line of fixed-width figures. */
export function WorkloadProgress({ view }: { view: WorkloadView }) {
  const elapsedMs = view.endedAt !== null ? view.endedAt - view.startedAt : (view.series.at(-1)?.t ?? 0);
  const t = totals(view.counts);
  const lat = view.latency.all;
  return (
    <div className="wl-progress">
      <progress className="wl-progress__bar" max={view.spec.durationMs} value={Math.min(elapsedMs, view.spec.durationMs)} aria-label="Workload progress" />
      <span className={`wl-progress__state wl-progress__state--${view.state}`}>
        {STATE_WORDS[view.state]}
        {view.state === 'stopped' && view.stopReason ? `: ${view.stopReason}` : ''}
      </span>
      <span className="wl-progress__fig">
        {formatRunTime(elapsedMs)} of {formatRunTime(view.spec.durationMs)}
      </span>
      <span className="wl-progress__fig">
        <span className="wl-ok">{count(t.ok)} ok</span> · <span className="wl-fail">{count(t.fail)} failed</span> · <span className="wl-unknown">{count(t.unknown)} unknown</span>
      </span>
      <span className="wl-progress__fig muted">{lat ? `p50 ${Math.round(lat.p50)} ms · p99 ${Math.round(lat.p99)} ms · max ${Math.round(lat.max)} ms` : 'no latency yet'}</span>
      <span className="wl-progress__fig muted small">
        {view.spec.clients} clients · {view.spec.keys} keys · reads {view.spec.read} · through {view.spec.through} · {view.id}
      </span>
    </div>
  );
}

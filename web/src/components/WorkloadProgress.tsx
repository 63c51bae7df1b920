import type { WorkloadView } from '@clusterlab/shared/workloads';
import { count, totals } from '../lib/verdictWords';
import { formatRunTime } from '../lib/workloadChart';

const STATE_WORDS: Record<WorkloadView['state'], string> = { running: 'Running', checking: 'Checking the history', done: 'Done', stopped: 'Stopped' };

/** The supervisor checks a run this long while it goes (see WorkloadInterim); the line is kept from the start so nothing moves. */
const INTERIM_FROM_MS = 20_000;

function SoFar({ view }: { view: WorkloadView }) {
  const i = view.interim;
  const mark = i === null ? '' : i.outcome === 'linearizable' ? '✓ ' : i.outcome === 'unknown' ? '? ' : '✗ ';
  return (
    <span className={`wl-progress__interim${i && i.outcome === 'not-linearizable' ? ' wl-fail' : ''}`} aria-label="Checked so far">
      {i === null ? 'Checked so far: the first check comes 10 s in' : `Checked so far (first ${formatRunTime(i.atMs)}, ${count(i.ops)} ops): ${mark}${i.summary}`}
    </span>
  );
}

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
      {view.state === 'running' && view.spec.durationMs >= INTERIM_FROM_MS ? <SoFar view={view} /> : null}
    </div>
  );
}

import { formatClock, formatMs, formatTerm } from '../lib/format';
import type { Failover, LossCause } from '../lib/failover';
import { useApp, useAlgorithm } from '../stores/hooks';

const CAUSE: Record<LossCause, string> = {
  kill: 'killed',
  stop: 'stopped',
  pause: 'paused',
  restart: 'restarted',
  remove: 'removed',
  exit: 'process exited',
  'step-down': 'stepped down',
  timeout: 'went silent',
};

/**
 * Each completed failover, newest first, split into the two phases a learner can tune:
 * detection (heartbeat and election timeouts) and election (answer and victory timeouts).
 */
export function FailoverList() {
  const failovers = useApp((s) => s.events.leadership.failovers);
  const pending = useApp((s) => s.events.leadership.pending);
  const rows = [...failovers].reverse();
  return (
    <section className="panel failovers" aria-labelledby="failovers-heading">
      <div className="panel__head">
        <h2 id="failovers-heading">Failovers</h2>
        <span className="muted small">
          {pending
            ? `${pending.oldLeader} ${CAUSE[pending.cause]} — ${pending.detectedAt === null ? 'waiting for a node to notice…' : 'election under way…'}`
            : 'detection = leader lost → first timeout or election; election = → new leader'}
        </span>
      </div>
      <div className="failovers__scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Old leader</th>
              <th scope="col">Cause</th>
              <th scope="col">New leader</th>
              <th scope="col" className="num">Detection</th>
              <th scope="col" className="num">Election</th>
              <th scope="col" className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <FailoverRow key={`${f.newTerm}-${f.lostAt}`} f={f} />
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  None yet. Kill, stop or pause the leader to see one.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FailoverRow({ f }: { f: Failover }) {
  const algorithm = useAlgorithm();
  return (
    <tr>
      <td className="mono">{formatClock(f.lostAt)}</td>
      <td>
        {f.oldLeader} <span className="muted">({formatTerm(algorithm, f.oldTerm)})</span>
      </td>
      <td>{CAUSE[f.cause]}</td>
      <td>
        {f.newLeader} <span className="muted">({formatTerm(algorithm, f.newTerm)})</span>
      </td>
      <td className="num">{f.detectionMs === null ? '—' : formatMs(f.detectionMs)}</td>
      <td className="num">{f.electionMs === null ? '—' : formatMs(f.electionMs)}</td>
      <td className="num strong">{formatMs(f.totalMs)}</td>
    </tr>
  );
}

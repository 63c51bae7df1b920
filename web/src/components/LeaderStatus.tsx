import { formatTerm, termNoun } from '../lib/format';
import { useServerNow } from '../hooks/useNow';
import { useAlgorithm, useApp } from '../stores/hooks';

/**
 * The one thing a learner watches during a failover: who leads, or for how long nobody has.
 * Ticks only while there is no leader.
 */
export function LeaderStatus() {
  const loaded = useApp((s) => s.cluster.loaded);
  const leader = useApp((s) => s.events.leadership.leader);
  const term = useApp((s) => s.events.leadership.term);
  const since = useApp((s) => s.events.leadership.leaderlessSince);
  const algorithm = useAlgorithm();
  const now = useServerNow(leader === null && since !== null ? 47 : 0);

  let text: string;
  let tone: 'ok' | 'bad' | 'idle';
  if (!loaded) {
    text = 'Waiting for the cluster…';
    tone = 'idle';
  } else if (leader !== null) {
    text = `Leader ${leader} · ${termNoun(algorithm)} ${formatTerm(algorithm, term)}`;
    tone = 'ok';
  } else if (since !== null) {
    text = `No leader for ${Math.max(0, Math.round(now - since))} ms`;
    tone = 'bad';
  } else {
    text = 'No leader yet';
    tone = 'bad';
  }
  return (
    <p className={`leader-status leader-status--${tone}`} role="status" aria-live="polite" aria-atomic="true" aria-label="Leader status">
      <span className="leader-status__icon" aria-hidden="true">
        {tone === 'ok' ? '♛' : tone === 'bad' ? '⚠' : '…'}
      </span>
      <span className="leader-status__text">{text}</span>
    </p>
  );
}

import { useLocalNow } from '../hooks/useNow';
import { useApp } from '../stores/hooks';
import { retryFeedNow } from '../api/feed';

/**
 * Shown over the page (not in the flow, so nothing jumps) while the live feed is down.
 * The page keeps showing the last state it knew; the banner says it may be stale.
 */
export function ConnectionBanner() {
  const c = useApp((s) => s.ui.connection);
  const now = useLocalNow(c.status === 'closed' ? 250 : 0);
  if (c.status === 'open') return null;
  if (!c.everOpened && c.attempt === 0) return null;

  const wait = c.retryAt !== null ? Math.max(0, Math.ceil((c.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner" role="alert">
      <span>{message(c.everOpened, c.closeReason)}</span>
      <span className="banner__retry" aria-hidden="true">
        {c.status === 'connecting' ? 'Reconnecting…' : `Retrying in ${wait} s (attempt ${c.attempt})`}
      </span>
      <button type="button" onClick={retryFeedNow} disabled={c.status === 'connecting'}>
        Retry now
      </button>
    </div>
  );
}

/** What went wrong, in the supervisor's own words when it gave any. */
function message(everOpened: boolean, closeReason: string | null): string {
  if (closeReason !== null) {
    return everOpened
      ? `The supervisor closed the live feed: ${closeReason}. The page shows the last state it received.`
      : `The supervisor refused this page: ${closeReason}.`;
  }
  return `${everOpened ? 'Connection to the supervisor lost.' : 'Cannot reach the supervisor.'} The page shows the last state it received.`;
}

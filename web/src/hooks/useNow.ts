import { useCallback, useSyncExternalStore } from 'react';
import { subscribeTick, tickNow } from '../lib/clock';
import { useApp } from '../stores/hooks';

const noop = () => () => {};

/** The browser's clock, re-rendering the caller every `intervalMs`; 0 = do not tick. */
export function useLocalNow(intervalMs: number): number {
  const subscribe = useCallback((cb: () => void) => subscribeTick(intervalMs, cb), [intervalMs]);
  const ticking = intervalMs > 0;
  const ticked = useSyncExternalStore(ticking ? subscribe : noop, () => (ticking ? tickNow(intervalMs) : 0));
  // Not ticking: the time of this render, whatever caused it.
  return ticking ? ticked : Date.now();
}

/**
 * The supervisor's clock (event and heartbeat times are on it), ticking like useLocalNow.
 * Ticking is opt-in so a countdown that is not counting costs nothing. While the feed is down
 * it stands still at the last frame: we do not know what happened since.
 */
export function useServerNow(intervalMs: number): number {
  const offset = useApp((s) => s.cluster.clockOffsetMs);
  const frozenAt = useApp((s) => s.ui.connection.frozenAt);
  // Looking at the past, the clock stands at the moment shown: "1.2 s ago" means before it.
  const pastAt = useApp((s) => (s.travel.mode === 'past' ? s.travel.time : null));
  const now = useLocalNow(frozenAt === null && pastAt === null ? intervalMs : 0);
  return pastAt ?? (frozenAt ?? now) + offset;
}

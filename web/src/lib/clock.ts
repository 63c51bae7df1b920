/**
 * Shared tickers: every countdown on the page that ticks at the same rate re-renders on the
 * same timer, so nine cards cost one interval, not nine drifting ones.
 */
type Ticker = { listeners: Set<() => void>; handle: ReturnType<typeof setInterval> };
const tickers = new Map<number, Ticker>();
// The time each rate last ticked. Stable between ticks, as useSyncExternalStore requires.
const nowByRate = new Map<number, number>();

export function subscribeTick(intervalMs: number, listener: () => void): () => void {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    const listeners = new Set<() => void>();
    const handle = setInterval(() => {
      nowByRate.set(intervalMs, Date.now());
      for (const l of listeners) l();
    }, intervalMs);
    ticker = { listeners, handle };
    tickers.set(intervalMs, ticker);
  }
  const t = ticker;
  t.listeners.add(listener);
  return () => {
    t.listeners.delete(listener);
    if (t.listeners.size === 0) {
      clearInterval(t.handle);
      tickers.delete(intervalMs);
      nowByRate.delete(intervalMs);
    }
  };
}

export function tickNow(intervalMs: number): number {
  let now = nowByRate.get(intervalMs);
  if (now === undefined) {
    now = Date.now();
    nowByRate.set(intervalMs, now);
  }
  return now;
}

import type { EventLoopLag, NodeRole, NodeStatus } from '@clusterlab/shared';

/** One node's event-loop window as /status reported it, and what the node was meanwhile. */
export type LagWindow = EventLoopLag & { node: string; role: NodeRole };

/** Lag over a run, from the windows seen: exact max; p50 and p99 are per-window figures. */
export type LagFigures = {
  windows: number;
  /** Median over windows of each window's p50. */
  p50Ms: number;
  /** Median over windows of each window's p99, and the worst window's p99. */
  p99MedianMs: number;
  p99WorstMs: number;
  maxMs: number;
};

/**
 * Reads every node's GET /status every `everyMs` and keeps each event-loop window once (a
 * window lasts about a second, so reading four times a second misses none unless the node
 * answers nothing for longer — and then the window that closes after the stall holds it).
 */
export function watchLag(urls: () => Iterable<[string, string]>, everyMs = 250): { stop: () => LagWindow[] } {
  const seen = new Map<string, LagWindow>();
  let busy = false;
  const look = async () => {
    if (busy) return;
    busy = true;
    try {
      await Promise.all(
        [...urls()].map(async ([node, url]) => {
          try {
            const res = await fetch(new URL('/status', url), { signal: AbortSignal.timeout(2000) });
            const status = (await res.json()) as NodeStatus;
            const w = status.eventLoopLagMs;
            if (w) seen.set(`${node}@${w.endedAt}`, { ...w, node, role: status.role });
          } catch {
            // a node that is down or stalled: the next window it reports covers the stall
          }
        }),
      );
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void look(), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return [...seen.values()];
    },
  };
}

export function lagFigures(windows: LagWindow[]): LagFigures | null {
  if (windows.length === 0) return null;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  return {
    windows: windows.length,
    p50Ms: median(windows.map((w) => w.p50)),
    p99MedianMs: median(windows.map((w) => w.p99)),
    p99WorstMs: Math.max(...windows.map((w) => w.p99)),
    maxMs: Math.max(...windows.map((w) => w.max)),
  };
}

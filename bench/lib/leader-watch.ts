import type { BenchCluster } from './cluster';

/**
 * Leader changes during a load. The supervisor keeps only its last 20,000 events, and a loaded
 * cluster emits that many in about a second, so counting `leader.elected` events after a 10 s
 * run sees only its last second. This watches the cluster view instead (every `everyMs`,
 * bounded in rounds) and, when the event buffer did cover the whole run, uses the exact count.
 */
export type LeaderChanges = {
  /** The figure to print: the event count when complete, else what polling saw (a lower bound). */
  count: number;
  source: 'events' | 'polled';
  /** New (leader, term) pairs the poll saw after the first. */
  polled: number;
  /** Term at the end minus term at the start (Raft: every election raises it, won or not). */
  termDelta: number;
  /** Longest stretch, in ms, in which the supervisor's view showed no leader (to the poll's resolution). */
  longestLeaderlessMs: number;
};

export function watchLeader(sup: BenchCluster, seqBefore: number, maxMs: number, everyMs = 100): { stop: () => Promise<LeaderChanges> } {
  let last: string | null = null;
  let firstTerm: number | null = null;
  let lastTerm = 0;
  let polled = 0;
  let leaderlessSince: number | null = null;
  let longestLeaderlessMs = 0;
  let rounds = 0;
  const maxRounds = Math.ceil(maxMs / everyMs) + 50;
  let busy = false;
  const look = async () => {
    if (busy) return;
    busy = true;
    try {
      const view = await sup.cluster();
      const now = performance.now();
      firstTerm ??= view.term;
      lastTerm = view.term;
      if (view.leader === null) {
        leaderlessSince ??= now;
      } else {
        if (leaderlessSince !== null) longestLeaderlessMs = Math.max(longestLeaderlessMs, now - leaderlessSince);
        leaderlessSince = null;
        const pair = `${view.leader}@${view.term}`;
        if (last !== null && pair !== last) polled++;
        last = pair;
      }
    } catch {
      // a missed look is only a coarser watch
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => {
    if (++rounds >= maxRounds) clearInterval(timer);
    void look();
  }, everyMs);
  void look();
  return {
    async stop() {
      clearInterval(timer);
      await look();
      if (leaderlessSince !== null) longestLeaderlessMs = Math.max(longestLeaderlessMs, performance.now() - leaderlessSince);
      const { events, complete } = await sup.eventsSince(seqBefore);
      const elected = events.filter((e) => e.kind === 'leader.elected').length;
      const termDelta = lastTerm - (firstTerm ?? lastTerm);
      return complete
        ? { count: elected, source: 'events', polled, termDelta, longestLeaderlessMs: Math.round(longestLeaderlessMs) }
        : { count: polled, source: 'polled', polled, termDelta, longestLeaderlessMs: Math.round(longestLeaderlessMs) };
    },
  };
}

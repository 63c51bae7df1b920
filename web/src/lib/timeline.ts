import type { LeaderSegment } from './failover';

export type Gap = { startAt: number; endAt: number; open: boolean };

/**
 * The leaderless stretches between bars: after each ended bar until the next one starts,
 * and, if the last bar has ended, until now.
 */
export function leaderGaps(segments: readonly LeaderSegment[], now: number, leaderlessSince: number | null): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.endAt === null) continue;
    const next = segments[i + 1];
    if (next) {
      if (next.startAt > s.endAt) gaps.push({ startAt: s.endAt, endAt: next.startAt, open: false });
    } else {
      gaps.push({ startAt: s.endAt, endAt: now, open: true });
    }
  }
  // A cluster that has had no leader since it started has no bar to hang the gap on.
  const last = segments[segments.length - 1];
  if (leaderlessSince !== null && (!last || (last.endAt !== null && last.endAt < leaderlessSince))) {
    if (gaps.at(-1)?.open) gaps.pop();
    gaps.push({ startAt: leaderlessSince, endAt: now, open: true });
  }
  return gaps;
}

/** Round tick spacing for a window, about six ticks across. */
export function tickStepMs(windowMs: number): number {
  const steps = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  return steps.find((s) => windowMs / s <= 7) ?? 600_000;
}

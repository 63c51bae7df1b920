import { describe, expect, it } from 'vitest';
import type { LeaderSegment } from './failover';
import { leaderGaps, tickStepMs } from './timeline';

const seg = (startAt: number, endAt: number | null): LeaderSegment => ({ leader: 'n1', term: 101, startAt, endAt, endCause: null, startKnown: true });

describe('leader timeline gaps', () => {
  it('shows a gap between a lost leader and the next one', () => {
    expect(leaderGaps([seg(0, 100), seg(400, null)], 1000, null)).toEqual([{ startAt: 100, endAt: 400, open: false }]);
  });

  it('a takeover with no loss leaves no gap', () => {
    expect(leaderGaps([seg(0, 100), seg(100, null)], 1000, null)).toEqual([]);
  });

  it('runs an open gap to now while nobody leads', () => {
    expect(leaderGaps([seg(0, 100)], 1000, 100)).toEqual([{ startAt: 100, endAt: 1000, open: true }]);
  });

  it('a cluster that never had a leader is one open gap since it started', () => {
    expect(leaderGaps([], 1000, 200)).toEqual([{ startAt: 200, endAt: 1000, open: true }]);
  });
});

describe('time axis', () => {
  it('uses round steps, about six across', () => {
    expect(tickStepMs(60_000)).toBe(10_000);
    expect(tickStepMs(30_000)).toBe(5_000);
    expect(tickStepMs(300_000)).toBe(60_000);
  });
});

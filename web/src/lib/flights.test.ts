import { describe, expect, it } from 'vitest';
import { admitFlights, type FlightLimits } from './flights';
import type { SentMessage } from './messageBus';

const limits: FlightLimits = { maxConcurrent: 3, durationMs: 500, maxSpreadMs: 600 };
let n = 0;
const FAMILY: Record<string, SentMessage['family']> = { heartbeat: 'heartbeat', 'election.victory': 'victory', 'election.ping': 'election', append: 'replication' };
const msg = (type: SentMessage['type'], from: string, to: string, time: number): SentMessage => ({ id: `m${n++}`, type, family: FAMILY[type] ?? 'other', from, to, time });

describe('message animations', () => {
  it('keeps one heartbeat per link in the air', () => {
    const f = admitFlights([], [msg('heartbeat', 'n3', 'n1', 0), msg('heartbeat', 'n3', 'n1', 50), msg('heartbeat', 'n3', 'n2', 0)], 1000, limits);
    expect(f.map((x) => x.to)).toEqual(['n1', 'n2']);
  });

  it('replays a batch in its original rhythm, starting now', () => {
    const f = admitFlights([], [msg('election.ping', 'n1', 'n2', 100), msg('election.ping', 'n1', 'n3', 130)], 1000, limits);
    expect(f.map((x) => x.startAt)).toEqual([1000, 1030]);
  });

  it('never animates more than the limit, and elections push heartbeats out', () => {
    const hbs = ['n1', 'n2', 'n4'].map((to) => msg('heartbeat', 'n3', to, 0));
    const full = admitFlights([], hbs, 0, limits);
    expect(full).toHaveLength(3);
    const after = admitFlights(full, [msg('election.victory', 'n3', 'n1', 10), msg('heartbeat', 'n3', 'n5', 10)], 10, limits);
    expect(after).toHaveLength(3);
    expect(after.map((x) => x.type)).toContain('election.victory');
    expect(after.some((x) => x.to === 'n5')).toBe(false);
  });

  it('forgets finished flights', () => {
    const f = admitFlights([], [msg('append', 'n3', 'n1', 0)], 0, limits);
    expect(admitFlights(f, [], 600, limits)).toEqual([]);
  });
});

import type { SentMessage } from './messageBus';

/** One dot travelling from one node to another on the topology drawing. */
export type Flight = {
  key: string;
  from: string;
  to: string;
  type: SentMessage['type'];
  family: SentMessage['family'];
  startAt: number;
  durationMs: number;
};

export type FlightLimits = {
  /** Dots on screen at once; beyond this the drawing is noise and the page gets slower. */
  maxConcurrent: number;
  durationMs: number;
  /** Messages of one batch are replayed over at most this long, in their original rhythm. */
  maxSpreadMs: number;
};

export const DEFAULT_FLIGHT_LIMITS: FlightLimits = { maxConcurrent: 40, durationMs: 550, maxSpreadMs: 600 };

const isHeartbeat = (m: { family: SentMessage['family'] }) => m.family === 'heartbeat';

/**
 * Which messages become dots. Events arrive in batches a few times a second, so a batch is
 * replayed spread over time as it happened. Heartbeats are coalesced: at most one per link in
 * the air. Other messages (elections, appends) are rarer and matter more: at the limit they
 * push out a heartbeat, never the other way round.
 */
export function admitFlights(active: readonly Flight[], msgs: readonly SentMessage[], now: number, limits = DEFAULT_FLIGHT_LIMITS): Flight[] {
  const flights = active.filter((f) => f.startAt + f.durationMs > now);
  if (msgs.length === 0) return flights;
  const base = Math.min(...msgs.map((m) => m.time));
  for (const m of msgs) {
    const startAt = now + Math.min(limits.maxSpreadMs, Math.max(0, m.time - base));
    const heartbeat = isHeartbeat(m);
    const key = heartbeat ? `hb:${m.from}>${m.to}` : `msg:${m.from}:${m.id}`;
    if (heartbeat && flights.some((f) => f.key === key && f.startAt + f.durationMs > startAt)) continue;
    if (!heartbeat && flights.some((f) => f.key === key)) continue;
    if (flights.length >= limits.maxConcurrent) {
      if (heartbeat) continue;
      const victim = flights.findIndex((f) => isHeartbeat(f));
      if (victim < 0) continue;
      flights.splice(victim, 1);
    }
    flights.push({ key, from: m.from, to: m.to, type: m.type, family: m.family, startAt, durationMs: limits.durationMs });
  }
  return flights;
}

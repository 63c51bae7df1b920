/**
 * Reconnect delays: quick at first (a supervisor restart takes about a second), doubling up
 * to a ceiling so a long outage costs one attempt every few seconds. Jitter spreads many tabs.
 */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_MAX_MS = 5000;

export function backoffDelay(attempt: number, random: number = Math.random()): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  // Between half and all of the ceiling.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

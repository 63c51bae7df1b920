import { describe, expect, it } from 'vitest';
import { backoffDelay, BACKOFF_BASE_MS, BACKOFF_MAX_MS } from './backoff';

describe('reconnect backoff', () => {
  it('retries quickly first, then waits longer each time, up to a ceiling', () => {
    const delays = [0, 1, 2, 3, 4, 5, 10, 50].map((a) => backoffDelay(a, 1));
    expect(delays[0]).toBe(BACKOFF_BASE_MS);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)).toBe(BACKOFF_MAX_MS);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(3, 0)).toBe(1000);
    expect(backoffDelay(3, 1)).toBe(2000);
  });
});

/**
 * Tests wait on conditions, never on fixed sleeps: a sleep long enough for a slow CI machine
 * wastes time everywhere else, and one short enough for a laptop flakes on CI.
 */

export type WaitOptions = {
  /** What we are waiting for, in words: it is the failure message. */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
};

/**
 * Calls `probe` until it returns something truthy, and returns that. A probe that throws
 * counts as "not yet" (the last error is in the timeout message).
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const { what, timeoutMs = 10_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail?.slice(0, 500)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-utils/wait-for';
import { EventLoopLagMonitor } from './event-loop-lag';

describe('the event-loop lag a node reports', () => {
  let monitor: EventLoopLagMonitor | null = null;
  afterEach(() => monitor?.stop());

  it('a window in which the loop was blocked reports the stall as its max', async () => {
    monitor = new EventLoopLagMonitor();
    const m = monitor;
    const first = await waitFor(() => m.lastWindow(), { what: 'a first window', timeoutMs: 5000 });
    const blockedFor = 150;
    const until = performance.now() + blockedFor;
    while (performance.now() < until); // the stall: nothing else runs meanwhile
    const window = await waitFor(() => {
      const w = m.lastWindow();
      return w && w.endedAt > first.endedAt ? w : null;
    }, { what: 'the window holding the stall', timeoutMs: 5000 });
    expect(window.max).toBeGreaterThanOrEqual(blockedFor - 20);
    expect(window.p50).toBeLessThan(blockedFor);
    expect(window.windowMs).toBeGreaterThan(0);
  });
});

import { expect, test } from './fixtures';

/**
 * The ring's message dots fly while the ring is on screen; scrolled away (down to the keys),
 * they stop — nobody sees them, and moving them cost a repaint of the whole page every frame —
 * and they fly again once the ring is back in view.
 */
test('the message dots stop while the ring is scrolled away, and fly again when it is back', async ({ page, cluster }) => {
  await cluster.settledLeader();
  // Dots on their way: circles of the message layer that are not hidden.
  const flying = page.locator('.message-layer circle:not([style*="none"])');
  await expect.poll(() => flying.count(), { message: 'heartbeats drawn as dots' }).toBeGreaterThan(0);

  await page.getByRole('heading', { name: 'Keys', exact: true }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('figure').filter({ has: page.locator('.message-layer') })).not.toBeInViewport();
  await expect.poll(() => flying.count(), { message: 'no dot moves off screen' }).toBe(0);
  // Heartbeats go on (the supervisor's event count moves on by dozens); still none is drawn.
  const lastSeq = async () => ((await (await fetch(new URL('/api/events?since=0&limit=1', cluster.url), { headers: cluster.headers() })).json()) as { lastSeq: number }).lastSeq;
  const seq = await lastSeq();
  await expect.poll(lastSeq, { message: 'more messages sent' }).toBeGreaterThan(seq + 50);
  expect(await flying.count()).toBe(0);

  await page.evaluate('scrollTo(0, 0)');
  await expect.poll(() => flying.count(), { message: 'dots again once the ring is in view' }).toBeGreaterThan(0);
});

import type { WebSocketRoute } from '@playwright/test';
import { expect, STORY_TIMING, test } from './fixtures';
import { nodeCard, writeKey } from './dashboard';

test.describe('a supervisor other machines can reach (--host 0.0.0.0)', () => {
  test.use({ clusterArgs: [...STORY_TIMING, '--host', '0.0.0.0'] });

  test('the page takes the token from the URL it printed, hides it, and works; a tab without it says what is missing', async ({ page, cluster }) => {
    // The fixture opened the URL the supervisor printed, token and all.
    expect(cluster.token).not.toBeNull();
    expect(cluster.printed).toContain(`?token=${cluster.token}`);
    await expect(page.getByText('Live', { exact: true })).toBeVisible();
    expect(new URL(page.url()).searchParams.has('token'), 'the token left the address bar').toBe(false);

    // Writes with a body and without one (Kill) carry the token.
    const leader = await cluster.settledLeader();
    await writeKey(page, 'from-afar', 'hello');
    const follower = (await cluster.view()).nodes.find((n) => n.id !== leader)!.id;
    await nodeCard(page, follower).getByRole('button', { name: `Kill ${follower}` }).click();
    await expect.poll(async () => (await cluster.node(follower)).status).toBe('stopped');

    // The tab keeps it across a reload…
    await page.reload();
    await expect(page.getByText('Live', { exact: true })).toBeVisible();

    // …but another tab, opened without it, is told what it lacks instead of "cannot reach".
    const other = await page.context().newPage();
    await other.goto(cluster.url);
    await expect(other.getByRole('alert')).toContainText(/The supervisor refused this page: this supervisor listens on 0\.0\.0\.0.*needs its token/);
    await other.close();
  });
});

test('a feed the supervisor dropped for falling behind says why, then resumes by itself', async ({ page }) => {
  const connections: WebSocketRoute[] = [];
  let letThrough!: () => void;
  const through = new Promise<void>((resolve) => (letThrough = resolve));
  await page.routeWebSocket(/\/ws(\?|$)/, async (ws) => {
    connections.push(ws);
    if (connections.length > 1) await through;
    ws.connectToServer();
  });
  await page.reload(); // The feed opened before the route was in place: open it again, through it.
  await expect(page.getByText('Live', { exact: true })).toBeVisible();

  // What the supervisor does to a client that leaves too much unread (ws-stream.ts, tested
  // against a real socket in ws-slow-client.test.ts): close code 4008 and how far behind it was.
  await connections[0]!.close({ code: 4008, reason: 'you fell behind: 1.2 MiB of events were waiting unread' });
  const banner = page.getByRole('alert');
  await expect(banner).toContainText('The supervisor closed the live feed: you fell behind: 1.2 MiB of events were waiting unread.');

  letThrough();
  await expect(banner).toBeHidden();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Live feed resumed. The supervisor had closed it: you fell behind');
});

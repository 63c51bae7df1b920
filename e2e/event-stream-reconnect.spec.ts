import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectWriteAcknowledged, shownSeqs, submitWrite, supervisorEvents, writeKey } from './dashboard';

test('the event stream survives a dropped connection: every event shown once, none missing', async ({ page, cluster }) => {
  // Put the page's live feed (the WebSocket /ws) through a switch: the first connection goes
  // straight to the supervisor; any later one waits while the "network" is down.
  const connections: WebSocketRoute[] = [];
  let networkBack!: () => void;
  const networkIsBack = new Promise<void>((resolve) => (networkBack = resolve));
  await page.routeWebSocket(/\/ws(\?|$)/, async (ws) => {
    connections.push(ws);
    if (connections.length > 1) await networkIsBack;
    ws.connectToServer();
  });
  await page.reload(); // The feed opened before the switch was in place: open it again, through it.
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await cluster.settledLeader();

  // Show only acknowledged writes in the event log; each row ends with the event's #seq.
  await page.getByRole('searchbox', { name: 'Search events' }).fill('kv.acked');
  const rows = page.getByRole('listbox', { name: 'Events' }).getByRole('option');
  const write = async (keys: string[]) => {
    for (const key of keys) await writeKey(page, key, `value of ${key}`);
  };

  await write(['before-1', 'before-2', 'before-3', 'before-4']);
  await expect(rows).toHaveCount(4);

  // Cut the connection from the page's side just as another write goes out, so its
  // acknowledgement reaches the supervisor while the page cannot hear it. (Heartbeats and
  // their events never stop either: the drop is always mid-stream.)
  await submitWrite(page, 'during-1', 'value of during-1');
  await connections[0]!.close();
  const banner = page.getByRole('alert');
  await expect(banner).toContainText('Connection to the supervisor lost');
  await expectWriteAcknowledged(page, 'during-1', 'value of during-1');
  const shownWhenCut = await shownSeqs(page);
  const lastSeqBeforeCut = Math.max(...shownWhenCut);

  // Still offline. Buttons work (they are plain HTTP requests), but the log hears nothing.
  await write(['during-2', 'during-3', 'during-4']);
  await expect(banner).toBeVisible();
  expect(await shownSeqs(page)).toEqual(shownWhenCut);

  // The network comes back. Nobody clicks anything: the page's own reconnect attempt goes
  // through, asks for what came after the last event it had, and the banner goes away.
  networkBack();
  await expect(banner).toBeHidden();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await expect(rows).toHaveCount(8);
  await write(['after-1', 'after-2', 'after-3', 'after-4']);
  await expect(rows).toHaveCount(12);

  // It resumed from its last event rather than starting over…
  expect(connections).toHaveLength(2);
  const since = Number(new URL(connections[1]!.url()).searchParams.get('since'));
  expect(since).toBeGreaterThanOrEqual(lastSeqBeforeCut);

  // …and the log shows exactly what the supervisor recorded: each acknowledgement once, none missing.
  const shown = await shownSeqs(page);
  const recorded = (await supervisorEvents(cluster)).filter((e) => e.kind === 'kv.acked');
  expect(new Set(shown).size, 'no row shown twice').toBe(shown.length);
  expect(shown).toEqual(recorded.map((e) => e.seq).reverse()); // newest first, as the log shows them
  expect(recorded.map((e) => e.kind === 'kv.acked' && e.data.key)).toEqual([
    ...['before-1', 'before-2', 'before-3', 'before-4'],
    ...['during-1', 'during-2', 'during-3', 'during-4'],
    ...['after-1', 'after-2', 'after-3', 'after-4'],
  ]);
  // Those written while cut off came after the point it resumed from: they reached the page only through the resume.
  for (const e of recorded.slice(5, 8)) expect(e.seq).toBeGreaterThan(since);
  await expect(page.getByText(/missed while offline/)).toBeHidden();
});

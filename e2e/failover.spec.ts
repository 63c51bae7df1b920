import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { failoversTable, leaderStatus, namedLeader, nodeCard, showsRole } from './dashboard';

const demo = process.env.DEMO === '1';
const FAILOVER_SCREENSHOT = fileURLToPath(new URL('../demo-output/dashboard-failover.png', import.meta.url));

test('killing the leader elects a new one, and the Failovers table says how long it took', async ({ page, cluster }) => {
  const oldLeader = await cluster.settledLeader();
  await expect(leaderStatus(page)).toContainText(`Leader ${oldLeader} ·`);

  // SIGKILL: the leader dies at once, without a word to anyone. The followers only notice
  // when its heartbeats stop: after their election timeout one of them calls an election.
  // Meanwhile the status line counts the leaderless milliseconds.
  await nodeCard(page, oldLeader).getByRole('button', { name: `Kill ${oldLeader}` }).click();
  await expect(nodeCard(page, oldLeader)).toContainText('stopped');
  await expect(leaderStatus(page)).not.toContainText(`Leader ${oldLeader} ·`);
  if (demo) await page.screenshot({ path: FAILOVER_SCREENSHOT, fullPage: true });

  // A survivor wins the election with a newer epoch and the others follow it.
  const newLeader = await namedLeader(page);
  expect(newLeader).not.toBe(oldLeader);
  await expect(nodeCard(page, newLeader)).toContainText(showsRole('leader'));
  await expect(nodeCard(page, oldLeader)).toContainText(showsRole('unknown'));
  expect(await cluster.settledLeader()).toBe(newLeader);

  // The Failovers table gets a row: who was lost and why, who took over, and the two
  // phases of the outage — detection (noticing the silence) and election — and their total.
  const row = failoversTable(page).getByRole('row').filter({ hasText: 'killed' });
  await expect(row).toHaveCount(1);
  const [, old, cause, elected, detection, election, total] = await row.getByRole('cell').allInnerTexts();
  expect(old).toContain(oldLeader);
  expect(cause).toBe('killed');
  expect(elected).toContain(newLeader);
  const ms = (text: string | undefined) => {
    expect(text).toMatch(/^\d+ ms$/);
    return parseInt(text!, 10);
  };
  // Each figure is rounded on its own, so the phases add up to the total within a millisecond.
  // (Detection is most of it: nobody notices before an election timeout has passed in silence.)
  expect(ms(total)).toBeGreaterThan(0);
  expect(Math.abs(ms(detection) + ms(election) - ms(total))).toBeLessThanOrEqual(1);
});

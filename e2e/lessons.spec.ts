import type { Page } from '@playwright/test';
import { expect, test, type Cluster } from './fixtures';
import { failoversTable, nodeCard, showsRole } from './dashboard';

/**
 * A learner follows a link to a lesson, reads it, presses Run and watches the supervisor play
 * its steps on the real cluster, each one turning passed; then picks another from the contents.
 * The page is opened on the link itself (not a page already open), as a shared link would be.
 */

const FAILOVER_STEPS = ['A leader, and a write', 'Kill the leader', 'The data survived', 'The old leader comes back'];
const SPLIT_BRAIN_STEPS = ['One leader', 'Cut the leader off', 'Two leaders', 'Heal'];
const TITLES = ['The first election', 'Failover after the leader is killed', 'The paused leader', 'Split brain'];

async function open(page: Page, cluster: Cluster, hash: string) {
  await page.goto(`${cluster.printed}${hash}`);
  return page.getByRole('region', { name: 'Lessons' });
}

async function lessonCount(cluster: Cluster): Promise<number> {
  const res = await fetch(new URL('/api/lessons', cluster.url), { headers: cluster.headers() });
  return ((await res.json()) as { lessons: unknown[] }).lessons.length;
}

/** GET /api/lessons/runs/l1: 404 until a lesson has been run. */
async function firstRunStatus(cluster: Cluster): Promise<number> {
  return (await fetch(new URL('/api/lessons/runs/l1', cluster.url), { headers: cluster.headers() })).status;
}

test('#lesson=failover opens the lesson; Run plays its four steps on the cluster and it passes; the contents lead to Split brain', async ({ context, cluster }) => {
  const page = await context.newPage();
  const lessons = await open(page, cluster, '#lesson=failover');

  // The link opened the panel on the lesson, scrolled into view, and started nothing: running resets the cluster.
  await expect(lessons.getByRole('heading', { name: 'Failover after the leader is killed' })).toBeVisible();
  await expect(lessons).toBeInViewport();
  const steps = lessons.getByRole('list', { name: 'Steps of Failover after the leader is killed' }).getByRole('listitem');
  await expect(steps).toHaveCount(4);
  await expect(steps).toContainText(FAILOVER_STEPS);
  await expect(steps.first()).toContainText('A write goes through the leader'); // the step's `say` is there too
  for (const step of await steps.all()) await expect(step).toContainText('pending');
  const status = lessons.getByRole('status', { name: 'Lesson status' });
  await expect(status).toHaveText('Not run yet: Run lesson plays its 4 steps on 3 fresh bully nodes; Step through stops after each.');
  expect(await firstRunStatus(cluster)).toBe(404);
  await expect(lessons.getByRole('button', { name: 'Stop lesson' })).toBeDisabled();

  await lessons.getByRole('button', { name: 'Run lesson: Failover after the leader is killed' }).click();

  // Each step turns passed, in order, and the lesson ends passed.
  for (const [i, title] of FAILOVER_STEPS.entries()) {
    await expect(steps.nth(i), `step ${i + 1}, ${title}`).toContainText('passed ✓', { timeout: 30_000 });
  }
  await expect(status).toHaveText(/^✓ Passed: all 4 steps happened as the lesson says in [\d.]+ (ms|s)\.$/);
  await expect(lessons.locator('[aria-current="step"]')).toHaveCount(0);
  await expect(lessons.getByRole('button', { name: 'Run again: Failover after the leader is killed' })).toBeEnabled();
  await expect(lessons.getByRole('button', { name: 'Stop lesson' })).toBeDisabled();

  // What the lesson did shows on the rest of the page: the leader it killed is in the Failovers
  // table, and its card shows it back, running, as a follower of the new one.
  const row = failoversTable(page).getByRole('row').filter({ hasText: 'killed' });
  await expect(row).toHaveCount(1);
  const [, oldLeader, , newLeader] = (await row.getByRole('cell').allInnerTexts()).map((t) => /n\d+/.exec(t)?.[0] ?? t);
  await expect(nodeCard(page, oldLeader!)).toContainText(showsRole('follower'));
  await expect(nodeCard(page, oldLeader!)).toContainText('running');
  await expect(nodeCard(page, newLeader!)).toContainText(showsRole('leader'));

  // A reload learns the run from the supervisor's list and reads it back: still passed, step by step.
  await page.reload();
  await expect(status).toHaveText(/^✓ Passed: all 4 steps/);
  for (const step of await steps.all()) await expect(step).toContainText('passed ✓');

  // The contents list every lesson the supervisor has (these four among them), the one shown marked, with how its last run went.
  const contents = lessons.getByRole('list', { name: 'Lesson contents' });
  await expect(contents.getByRole('button')).toHaveCount(await lessonCount(cluster));
  for (const title of TITLES) await expect(contents.getByRole('button', { name: title, exact: true })).toBeVisible();
  const failover = contents.getByRole('button', { name: 'Failover after the leader is killed' });
  await expect(failover).toHaveAttribute('aria-current', 'true');
  await expect(failover).toContainText('✓ passed');

  await contents.getByRole('button', { name: 'Split brain', exact: true }).click();
  await expect(lessons.getByRole('heading', { name: 'Split brain' })).toBeVisible();
  const splitSteps = lessons.getByRole('list', { name: 'Steps of Split brain' }).getByRole('listitem');
  await expect(splitSteps).toHaveCount(4);
  await expect(splitSteps).toContainText(SPLIT_BRAIN_STEPS);
  await expect(lessons.getByRole('status', { name: 'Lesson status' })).toHaveText(/^Not run yet/);
  await expect(page).toHaveURL(/#lesson=split-brain$/);
});

test('#lesson=split-brain&step=3 highlights step 3; the contents work from the keyboard', async ({ context, cluster }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const lessons = await open(page, cluster, '#lesson=split-brain&step=3');

  const steps = lessons.getByRole('list', { name: 'Steps of Split brain' }).getByRole('listitem');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(2)).toHaveAttribute('aria-current', 'step');
  await expect(steps.nth(2)).toContainText('Two leaders');
  await expect(lessons.locator('[aria-current="step"]')).toHaveCount(1);
  await expect(steps.nth(2)).toBeInViewport();
  await expect(lessons.getByRole('status', { name: 'Lesson status' })).toHaveText(/^Not run yet/);
  expect(await firstRunStatus(cluster)).toBe(404);

  // Copy link names the lesson and the step shown.
  await lessons.getByRole('button', { name: 'Copy link to this step' }).click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('A link to this lesson is on the clipboard.');
  const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  expect(copied).toBe(`${cluster.url}#lesson=split-brain&step=3`);

  // In the contents ↓ and ↑ move between lessons, and Enter shows the one focused.
  const contents = lessons.getByRole('list', { name: 'Lesson contents' });
  await contents.getByRole('button', { name: 'The first election' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(contents.getByRole('button', { name: 'Failover after the leader is killed' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(contents.getByRole('button', { name: 'The first election' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lessons.getByRole('heading', { name: 'The first election' })).toBeVisible();
  await expect(contents.getByRole('button', { name: 'The first election' })).toHaveAttribute('aria-current', 'true');
  await expect(lessons.locator('[aria-current="step"]')).toHaveCount(0);
  await expect(page).toHaveURL(/#lesson=first-election$/);
});

test('step by step: a link goes to step 3 (two leaders, both marked); Previous goes back on a fresh run; Next and Run to the end play on', async ({ context, cluster }) => {
  const page = await context.newPage();
  const lessons = await open(page, cluster, '#lesson=split-brain&step=3');
  const status = lessons.getByRole('status', { name: 'Lesson status' });
  const steps = lessons.getByRole('list', { name: 'Steps of Split brain' }).getByRole('listitem');

  await lessons.getByRole('button', { name: 'Go to step 3: Two leaders' }).first().click();
  await expect(status).toHaveText('Paused after step 3 of 4: Two leaders. Next step plays “Heal”.', { timeout: 30_000 });
  for (const i of [0, 1, 2]) await expect(steps.nth(i)).toContainText('passed ✓');
  await expect(steps.nth(3)).toContainText('next');
  await expect(steps.nth(2)).toHaveAttribute('aria-current', 'step');
  // The moment, on the cluster: the two nodes that say they lead are marked, and the step names them.
  const marked = page.locator('.node-card--lesson');
  await expect(marked).toHaveCount(2);
  for (const card of await marked.all()) {
    await expect(card).toHaveAccessibleDescription("The lesson's moment: Two leaders");
    await expect(card).toContainText(showsRole('leader'));
  }
  await expect(steps.nth(2)).toContainText(/Marked on the cluster: n\d, n\d/);

  // Previous: a fresh cluster, played to step 2. The keyboard stays on the button while it plays.
  const previous = lessons.getByRole('button', { name: 'Previous step' });
  await previous.focus();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Paused after step 2 of 4: Cut the leader off. Next step plays “Two leaders”.', { timeout: 30_000 });
  await expect(previous).toBeFocused();
  await expect(steps.nth(2)).toContainText('next');

  // Next, from the keyboard: step 3 plays, and it pauses again.
  await lessons.getByRole('button', { name: 'Next step' }).focus();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(/^Paused after step 3 of 4/, { timeout: 30_000 });
  await expect(lessons.getByRole('button', { name: 'Next step' })).toBeFocused();

  await lessons.getByRole('button', { name: 'Run to the end' }).click();
  await expect(status).toHaveText(/^✓ Passed: all 4 steps/, { timeout: 30_000 });
  await expect(marked).toHaveCount(0);
  await expect(lessons.getByRole('button', { name: 'Next step' })).toBeDisabled();
  await expect(lessons.getByRole('button', { name: 'Stop lesson' })).toBeDisabled();
});

test('the refused vote: going to step 3 of "Why votes check the log" marks the voter and opens the refusal in the event details', async ({ context, cluster }) => {
  const page = await context.newPage();
  const lessons = await open(page, cluster, '#lesson=votes-check-the-log&step=3');
  await lessons.getByRole('button', { name: 'Go to step 3: The stale node asks, and is refused' }).first().click();
  await expect(lessons.getByRole('status', { name: 'Lesson status' })).toHaveText(/^Paused after step 3 of 5: The stale node asks, and is refused\./, { timeout: 40_000 });
  // The node that refused is marked on its card.
  await expect(page.locator('.node-card--lesson')).toHaveCount(1);
  const step = lessons.getByRole('list', { name: 'Steps of Why votes check the log' }).getByRole('listitem').nth(2);
  await step.getByRole('button', { name: /^Show event #\d+ of step 3 in the event details$/ }).click();
  const details = page.getByRole('region', { name: /^Event #\d+ · election\.vote_refused$/ });
  await expect(details).toContainText('"reason": "log behind"');
  await lessons.getByRole('button', { name: 'Stop lesson' }).click();
  await expect(lessons.getByRole('status', { name: 'Lesson status' })).toHaveText(/^■ Stopped/);
});

import { expect, test } from './fixtures';

/**
 * A newcomer's first visit: the page says what it is and offers two lessons. Choosing the lost
 * acknowledged write opens it, and one click later the lesson shows the write acknowledged and
 * then gone, and the checker flags it lost — on the real cluster, within a few seconds of arriving. The welcome does not come
 * back, and a shared link never shows it.
 */
test('a first visit offers two lessons; the lost-write lesson runs from it and shows the write lost; the welcome does not come back', async ({ context, cluster }) => {
  const page = await context.newPage();
  await page.goto(cluster.printed);
  const welcome = page.getByRole('region', { name: 'New here?' });
  await expect(welcome).toBeVisible();
  await expect(welcome.getByRole('button', { name: 'The first election' })).toBeVisible();

  await welcome.getByRole('button', { name: 'The lost acknowledged write' }).click();
  await expect(welcome).toHaveCount(0);
  const lessons = page.getByRole('region', { name: 'Lessons' });
  await expect(lessons.getByRole('heading', { name: 'The lost acknowledged write' })).toBeVisible();
  await lessons.getByRole('button', { name: 'Run lesson: The lost acknowledged write' }).click();
  const steps = lessons.getByRole('list', { name: 'Steps of The lost acknowledged write' }).getByRole('listitem');
  await expect(steps.nth(2)).toContainText('passed ✓', { timeout: 60_000 });
  await expect(steps.nth(2)).toContainText('A write, acknowledged');
  await expect(steps.nth(3)).toContainText('passed ✓', { timeout: 60_000 });
  await expect(steps.nth(3)).toContainText('Heal, and the write is gone');
  await expect(lessons.getByRole('status', { name: 'Lesson status' })).toHaveText(/^✓ Passed/);
  // The checker, on the lesson's own writes, flags the one lost, and says how.
  const checker = lessons.getByRole('region', { name: 'The checker on this lesson' });
  await expect(checker).toContainText('1 acknowledged write lost');
  await expect(checker).toContainText(/write balance=150 was acknowledged at t=[\d.]+ s/);

  // Answered once, it stays answered.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Lessons' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'New here?' })).toHaveCount(0);

  // A link someone sent is its own welcome.
  const linked = await context.browser()!.newContext();
  try {
    const fresh = await linked.newPage();
    await fresh.goto(`${cluster.printed}#lesson=split-brain`);
    await expect(fresh.getByRole('region', { name: 'Lessons' }).getByRole('heading', { name: 'Split brain' })).toBeVisible();
    await expect(fresh.getByRole('region', { name: 'New here?' })).toHaveCount(0);
    // Without a link it does greet; "No thanks" answers it too.
    await fresh.goto(cluster.printed);
    await fresh.reload();
    const greeting = fresh.getByRole('region', { name: 'New here?' });
    await greeting.getByRole('button', { name: "No thanks, I'll explore" }).click();
    await expect(greeting).toHaveCount(0);
    await fresh.reload();
    await expect(fresh.getByRole('region', { name: 'Lessons' })).toBeVisible();
    await expect(fresh.getByRole('region', { name: 'New here?' })).toHaveCount(0);
  } finally {
    await linked.close();
  }
});

import { expect, test } from './fixtures';

/**
 * Every lesson, run through the dashboard on the real cluster, as a learner runs it: open its
 * link, press Run, and each step's moment must come — a lesson that cannot teach what it says
 * fails here, naming the step and why (flaky teaching is a bug).
 */
test('every lesson, run from its link, passes every step on the real cluster', async ({ page, cluster }) => {
  test.setTimeout(10 * 60_000);
  const res = await fetch(new URL('/api/lessons', cluster.url), { headers: cluster.headers() });
  const { lessons } = (await res.json()) as { lessons: { id: string; title: string; steps: unknown[] }[] };
  expect(lessons.length).toBeGreaterThanOrEqual(10);
  for (const lesson of lessons) {
    await page.goto(`${cluster.printed}#lesson=${lesson.id}`);
    const panel = page.getByRole('region', { name: 'Lessons' });
    await expect(panel.getByRole('heading', { name: lesson.title })).toBeVisible();
    await panel.getByRole('button', { name: `Run lesson: ${lesson.title}` }).click();
    const status = panel.getByRole('status', { name: 'Lesson status' });
    // A failure says which step and why: that sentence is the message if this does not pass.
    await expect(status, `lesson ${lesson.id}`).toHaveText(/^(✓ Passed|✗ Failed|■ Stopped)/, { timeout: 90_000 });
    const failed = panel.getByRole('list', { name: `Steps of ${lesson.title}` }).getByRole('listitem').filter({ hasText: 'failed ✗' });
    expect(await failed.allInnerTexts(), `lesson ${lesson.id}`).toEqual([]);
    await expect(status).toHaveText(new RegExp(`^✓ Passed: all ${lesson.steps.length} steps? happened as the lesson says`));
  }
});

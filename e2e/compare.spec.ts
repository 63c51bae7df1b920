import { expect, test } from './fixtures';

/**
 * The same fault, two designs: a learner on the lost-write lesson presses Compare with raft. The
 * lesson plays on this cluster under bully and, at once, on a second cluster under Raft; the
 * table shows, step by step, where Raft's moment did not come — no second leader, no lost
 * deposit — and each design's verdict from the checker.
 */
test('Compare plays the lost-write lesson under bully and Raft side by side, each with its verdict', async ({ context, cluster }) => {
  test.setTimeout(150_000);
  const page = await context.newPage();
  await page.goto(`${cluster.printed}#lesson=lost-write`);
  const lessons = page.getByRole('region', { name: 'Lessons' });
  await lessons.getByRole('button', { name: 'Compare with raft: The lost acknowledged write' }).click();

  const compared = lessons.getByRole('region', { name: 'The lost acknowledged write under both algorithms' });
  const status = compared.getByRole('status', { name: 'Comparison status' });
  await expect(status).toHaveText('Both sides played every step: where a moment did not come is where the designs differ.', { timeout: 120_000 });
  const table = compared.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText(['Step', /bully/, /raft/]);
  const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row('2. Cut off a follower').getByRole('cell')).toHaveText([/^happened ✓$/, /^did not happen ✗waited 8 s for 2 nodes to say they lead at once/]);
  await expect(row('3. A write, acknowledged').getByRole('cell')).toHaveText([/^happened ✓$/, /^happened ✓$/]);
  const checker = row('The checker').getByRole('cell');
  await expect(checker.first()).toContainText('1 acknowledged write lost');
  await expect(checker.last()).toHaveText('✓ Linearizable');
  // This cluster played the bully side: its own steps passed, and its verdict is the lost write.
  await expect(lessons.getByRole('status', { name: 'Lesson status' })).toHaveText(/^✓ Passed: all 4 steps/);
  await expect(lessons.getByRole('region', { name: 'The checker on this lesson' })).toContainText('1 acknowledged write lost');
});

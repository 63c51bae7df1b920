import { expect, test } from './fixtures';

/**
 * A simulated run, opened from a link: `#sim=26` runs the simulator's seed 26 in the page (the
 * same run `npm run sim -- --seed 26` prints), shows its last moment, and its cores replay
 * exactly there too.
 */
test('a link to a simulated seed opens its run in time travel, and it replays exactly', async ({ page, cluster }) => {
  await page.goto(new URL('/#sim=26', cluster.url).toString());
  const travel = page.getByRole('region', { name: 'Time travel' });
  await expect(travel.getByRole('status', { name: 'Moment shown' })).toContainText(/Event #\d+ \([\d,]+ of [\d,]+\)/);
  await expect(travel).toContainText('simulated run, seed 26 (bully)');
  // The simulated cluster's nodes, not the live one's, are on the cards; their controls are off.
  await expect(page.getByRole('group', { name: 'Node n1' }).getByRole('button', { name: 'Kill n1' })).toBeDisabled();
  await travel.getByRole('button', { name: 'Check the replay' }).click();
  await expect(travel.getByRole('group', { name: 'Replay check' }).getByRole('status')).toContainText(/Every step of all \d+ node processes gave its recorded outputs/);
  // Moving through it keeps the link on the moment.
  await travel.getByRole('button', { name: '◀ Step back' }).click();
  expect(new URL(page.url()).hash).toMatch(/^#sim=26&at=\d+$/);
});

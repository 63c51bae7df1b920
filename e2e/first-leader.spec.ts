import { expect, test } from './fixtures';
import { leaderStatus, nodeCard, showsRole } from './dashboard';

test('the first leader appears: one node leads, the others follow it', async ({ page, cluster }) => {
  // Three node processes have just started. Each waits a random election timeout for a
  // leader's heartbeat, hears none, and holds a bully election: the highest-ranked node
  // that answers wins and tells the others. (A node that starts before it can see the others
  // may lead alone for a moment; the status line follows along until the cluster settles.)
  const leader = await cluster.settledLeader();
  await expect(leaderStatus(page)).toHaveText(new RegExp(`^.?\\s*Leader ${leader} · epoch \\d+·${leader}$`));

  // The winner's card says so; every other card says follower, following the winner.
  await expect(nodeCard(page, leader)).toContainText(showsRole('leader'));
  const others = (await cluster.view()).nodes.map((n) => n.id).filter((id) => id !== leader);
  expect(others).toHaveLength(2);
  for (const id of others) {
    const card = nodeCard(page, id);
    await expect(card).toContainText(showsRole('follower'));
    await expect(card).not.toContainText(showsRole('leader'));
    await expect(card.locator('div', { has: page.getByRole('term').filter({ hasText: /^Follows$/ }) })).toContainText(leader);
  }
});

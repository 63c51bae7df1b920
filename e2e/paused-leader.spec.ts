import { expect, test } from './fixtures';
import { cardEpoch, failoversTable, leaderStatus, namedLeader, nodeCard, showsRole, watchForSameEpochLeaders } from './dashboard';

test('a paused leader is replaced, and on resuming it steps down and follows', async ({ page, cluster }) => {
  const oldLeader = await cluster.settledLeader();
  await expect(leaderStatus(page)).toContainText(`Leader ${oldLeader} ·`);
  const oldEpoch = await cardEpoch(page, oldLeader).innerText();

  // For the whole story, watch the cards and the supervisor: two nodes may each believe they
  // lead, but never of the same epoch — every claim is numbered, and only one node can win a number.
  const watch = await watchForSameEpochLeaders(page, cluster);

  // SIGSTOP freezes the leader: it does not die, does not leave the registry, and still
  // believes it leads. The followers hear no heartbeats and elect a new leader of a newer epoch.
  await nodeCard(page, oldLeader).getByRole('button', { name: `Pause ${oldLeader}` }).click();
  await expect(nodeCard(page, oldLeader)).toContainText('paused');
  await expect(leaderStatus(page)).not.toContainText(`Leader ${oldLeader} ·`);
  const newLeader = await namedLeader(page);
  expect(newLeader).not.toBe(oldLeader);
  const newEpoch = await cardEpoch(page, newLeader).innerText();
  expect(newEpoch).not.toBe(oldEpoch);
  await expect(failoversTable(page).getByRole('row').filter({ hasText: 'paused' })).toContainText(newLeader);

  // SIGCONT: the old leader carries on where it stopped, heart-beating as leader of its old
  // epoch. The first answer it gets names the newer epoch, so it steps down and follows.
  await nodeCard(page, oldLeader).getByRole('button', { name: `Resume ${oldLeader}` }).click();
  await expect(nodeCard(page, oldLeader)).toContainText('running');
  await expect(nodeCard(page, oldLeader)).toContainText(showsRole('follower'));
  await expect(cardEpoch(page, oldLeader)).toHaveText(newEpoch);
  await expect(page.getByText(/nodes think they lead/)).toBeHidden();
  await expect(leaderStatus(page)).toContainText(`Leader ${newLeader} · epoch ${newEpoch}`);
  expect(await cluster.settledLeader()).toBe(newLeader);

  const seen = await watch.stop();
  expect(seen.found, 'two nodes shown leading the same epoch').toEqual([]);
  // The watch really watched: the page changed (and was checked) many times, the API was sampled.
  expect(seen.pageChecks).toBeGreaterThan(10);
  expect(seen.apiSamples).toBeGreaterThan(5);
  // What the learner saw instead: two leaders at once, of different epochs, while one was frozen.
  for (const pair of seen.coexisting) test.info().annotations.push({ type: 'leaders of different epochs at once', description: pair });
});

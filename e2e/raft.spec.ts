import { expect, STORY_TIMING, test } from './fixtures';
import { keysOnNode, leaderStatus, namedLeader, nodeCard, readFromAllNodes, showsRole, valuesByNode, writeKey } from './dashboard';

/**
 * The same playground running Raft: the dashboard names the algorithm, the cards show each
 * node's term, vote, log and membership, a killed leader is replaced by a follower whose log
 * is up to date, and a node added to a running cluster joins as a learner, catches up and
 * becomes a voter through the log.
 */
test.use({ clusterArgs: [...STORY_TIMING, '--algorithm', 'raft'] });

const term = (card: ReturnType<typeof nodeCard>) =>
  card.locator('div', { has: card.page().getByRole('term').filter({ hasText: /^Term$/ }) }).getByRole('definition');

test('Raft: a killed leader is replaced by an up-to-date follower, and no acknowledged write is lost', async ({ page, cluster }) => {
  const oldLeader = await cluster.settledLeader();
  await expect(page.getByLabel('Current settings')).toContainText('Raft');
  await expect(leaderStatus(page)).toContainText(`Leader ${oldLeader} · term`);
  for (const id of ['n1', 'n2', 'n3']) await expect(nodeCard(page, id)).toContainText('voter');

  const written = { planet: 'mars', moon: 'phobos', star: 'vega' };
  for (const [key, value] of Object.entries(written)) await writeKey(page, key, value);
  const before = Number(await term(nodeCard(page, oldLeader)).innerText());

  await nodeCard(page, oldLeader).getByRole('button', { name: `Kill ${oldLeader}` }).click();
  await expect(nodeCard(page, oldLeader)).toContainText('stopped');
  const newLeader = await namedLeader(page);
  expect(newLeader).not.toBe(oldLeader);
  await expect(nodeCard(page, newLeader)).toContainText(showsRole('leader'));
  // A new leader means a new term, and the survivor that won it holds everything acknowledged.
  await expect.poll(async () => Number(await term(nodeCard(page, newLeader)).innerText())).toBeGreaterThan(before);
  const survivors = ['n1', 'n2', 'n3'].filter((id) => id !== oldLeader);
  for (const [key, value] of Object.entries(written)) {
    const table = await readFromAllNodes(page, key);
    await expect
      .poll(async () => Object.entries(await valuesByNode(table)).filter(([id]) => survivors.includes(id)).map(([, v]) => v))
      .toEqual(survivors.map(() => JSON.stringify(value)));
  }
  // And the cluster still takes writes, through the new leader.
  await writeKey(page, 'comet', 'halley');
});

test('Raft: an added node joins as a learner, catches up, and becomes a voter through the log', async ({ page, cluster }) => {
  const leader = await cluster.settledLeader();
  const written = { river: 'nile', lake: 'baikal' };
  for (const [key, value] of Object.entries(written)) await writeKey(page, key, value);

  await page.getByRole('button', { name: 'Add node' }).click();
  const card = nodeCard(page, 'n4');
  await expect(card).toContainText('running');
  // The leader committed n4 as a learner and promoted it once it had caught up: both are
  // configuration changes in the log, and the event log says so.
  await expect(card).toContainText('voter');
  await expect(card).toContainText(showsRole('follower'));
  await expect.poll(() => keysOnNode(page, 'n4'), { message: "n4's column in \"Every key on every node\"" }).toEqual(written);
  const view = await cluster.view();
  expect(view.nodes.find((n) => n.id === 'n4')).toMatchObject({ membership: 'voter', leader });
  // Joining did not unseat anyone.
  await expect(leaderStatus(page)).toContainText(`Leader ${leader} ·`);
});

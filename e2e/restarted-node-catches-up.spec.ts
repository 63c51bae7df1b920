import { expect, test } from './fixtures';
import { keysOnNode, leaderStatus, namedLeader, nodeCard, readFromAllNodes, showsRole, valuesByNode, writeKey } from './dashboard';

test('a killed node, restarted, rejoins as a follower and has the keys written while it was down', async ({ page, cluster }) => {
  // Kill the leader: the highest-ranked node, the one a bully election would crown again.
  const gone = await cluster.settledLeader();
  await nodeCard(page, gone).getByRole('button', { name: `Kill ${gone}` }).click();
  await expect(nodeCard(page, gone)).toContainText('stopped');
  const leader = await namedLeader(page);
  expect(leader).not.toBe(gone);
  await cluster.settledLeader();

  // While it is down, the cluster carries on: the two survivors are a majority, so writes
  // are acknowledged without it.
  const missed = { planet: 'Mars', moon: 'Phobos', star: 'Vega' };
  for (const [key, value] of Object.entries(missed)) await writeKey(page, key, value);

  // Restarted, it reloads its write-ahead log, greets its peers and — instead of bullying its
  // way back to the top — follows the sitting leader, which syncs it the entries it missed.
  await nodeCard(page, gone).getByRole('button', { name: `Restart ${gone}` }).click();
  await expect(nodeCard(page, gone)).toContainText('running');
  await expect(nodeCard(page, gone)).toContainText(showsRole('follower'));
  await expect(leaderStatus(page)).toContainText(`Leader ${leader} ·`);

  // Its column in "Every key on every node" now holds every key it missed…
  await expect.poll(() => keysOnNode(page, gone), { message: `${gone}'s column in "Every key on every node"` }).toEqual(missed);
  // …and a read from every node finds the same value on it as everywhere else.
  const table = await readFromAllNodes(page, 'moon');
  await expect.poll(() => valuesByNode(table)).toEqual({ n1: '"Phobos"', n2: '"Phobos"', n3: '"Phobos"' });
  await expect(table).not.toContainText('differs');

  // The leader did not change hands when it came back.
  await expect(nodeCard(page, leader)).toContainText(showsRole('leader'));
  expect(await cluster.settledLeader()).toBe(leader);
});

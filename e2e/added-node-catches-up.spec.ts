import { expect, test } from './fixtures';
import { keysOnNode, leaderStatus, nodeCard, readFromAllNodes, showsRole, valuesByNode, writeKey } from './dashboard';

test('an added node catches up on the keys written before it joined', async ({ page, cluster }) => {
  const leader = await cluster.settledLeader();
  await expect(leaderStatus(page)).toContainText(`Leader ${leader} ·`);

  // Three keys, written while the cluster has three nodes.
  const before = { fruit: 'fig', tree: 'oak', bird: 'wren' };
  for (const [key, value] of Object.entries(before)) await writeKey(page, key, value);

  // A fourth node process starts empty, registers, finds the leader through the registry and
  // follows it. Its log is behind, so it asks the leader to sync it from the start.
  await page.getByRole('button', { name: 'Add node' }).click();
  const card = nodeCard(page, 'n4');
  await expect(card).toContainText('running');
  await expect(card).toContainText(showsRole('follower'));

  // Its column fills in with every key written before it existed.
  await expect.poll(() => keysOnNode(page, 'n4'), { message: 'n4\'s column in "Every key on every node"' }).toEqual(before);
  const table = await readFromAllNodes(page, 'tree');
  await expect.poll(() => valuesByNode(table)).toEqual({ n1: '"oak"', n2: '"oak"', n3: '"oak"', n4: '"oak"' });
  await expect(table).not.toContainText('differs');

  // Joining did not unseat anyone: n4 outranks n3, but a newcomer follows the sitting leader.
  await expect(leaderStatus(page)).toContainText(`Leader ${leader} ·`);
});

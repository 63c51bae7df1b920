import { expect, test } from './fixtures';
import { readFromAllNodes, valuesByNode, writeKey } from './dashboard';

test('a key written through a follower is read back from every node', async ({ page, cluster }) => {
  const leader = await cluster.settledLeader();
  const follower = (await cluster.view()).nodes.find((n) => n.id !== leader)!.id;

  // Only the leader takes writes. The follower answers "307, ask the leader", the write is
  // redirected there, logged, sent to the followers, and acknowledged once a majority holds it.
  await writeKey(page, 'city', 'Lisbon', follower);
  await expect(page.getByRole('status', { name: 'Last key request' })).toContainText(
    `through ${follower}, redirected from ${follower}, answered by ${leader} → acknowledged`,
  );

  // A follower applies the write once the leader tells it the entry is committed, a heartbeat
  // later at most. Reading from every node shows the same value in each column, none marked "differs".
  // (A read in that short window may catch a follower behind: reading again is what a learner does.)
  await expect(async () => {
    const table = await readFromAllNodes(page, 'city');
    await expect(table).not.toContainText('differs', { timeout: 1000 });
    expect(await valuesByNode(table)).toEqual({ n1: '"Lisbon"', n2: '"Lisbon"', n3: '"Lisbon"' });
  }).toPass({ timeout: 10_000 });
});

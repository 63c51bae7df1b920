import { expect, test } from './fixtures';
import { keysOnNode, leaderStatus, namedLeader, nodeCard, showsRole, writeKey } from './dashboard';

/**
 * Every run is recorded. After a failover the learner opens this run in Time travel, goes
 * back to just before the kill and sees the old leader's card as it was, checks in the page
 * that every node's core replays exactly, then forks from the kill: holding back the
 * winner's victory (and everything it says after), the election repeats.
 */
test('time travel: back to before the kill, the replay checks out, and a fork without the victory elects again', async ({ page, cluster }) => {
  const oldLeader = await cluster.settledLeader();
  await writeKey(page, 'colour', 'blue');
  await nodeCard(page, oldLeader).getByRole('button', { name: `Kill ${oldLeader}` }).click();
  await expect(nodeCard(page, oldLeader)).toContainText('stopped');
  await expect(leaderStatus(page)).not.toContainText(`Leader ${oldLeader} ·`);
  const newLeader = await namedLeader(page);
  expect(newLeader).not.toBe(oldLeader);
  await writeKey(page, 'colour', 'red');

  const travel = page.getByRole('region', { name: 'Time travel' });
  await travel.getByRole('button', { name: 'Replay this run' }).click();
  const moment = travel.getByRole('status', { name: 'Moment shown' });
  await expect(moment).toContainText(`leader ${newLeader}`);

  // From the start, to the moment the leader is lost (the kill), then one event back.
  await travel.getByRole('slider', { name: 'Moment of the run' }).fill('0');
  await travel.getByRole('button', { name: 'The moment the leader is lost' }).click();
  await travel.getByRole('button', { name: '◀ Step back' }).click();
  await expect(moment).toContainText(`leader ${oldLeader}`);
  await expect(nodeCard(page, oldLeader)).toContainText(showsRole('leader'));
  await expect(nodeCard(page, oldLeader)).toContainText('running');
  await expect(leaderStatus(page)).toContainText(`Leader ${oldLeader} ·`);
  // The past cannot be acted on: the cluster's controls are off.
  await expect(nodeCard(page, oldLeader).getByRole('button', { name: `Kill ${oldLeader}` })).toBeDisabled();
  // The keys too are as they were: every node's core replayed to this moment holds the first write only.
  await expect.poll(() => keysOnNode(page, oldLeader), { message: 'the keys as they were before the kill' }).toEqual({ colour: 'blue' });
  // The diagram draws the moment too, and in the past a message shows what it carried.
  const diagram = page.getByRole('region', { name: 'Message diagram' });
  await diagram.getByRole('checkbox', { name: 'Show heartbeat messages' }).check();
  await diagram.getByRole('img').focus();
  // A few messages back: long delivered, their receipts in the recording.
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(diagram.getByRole('region', { name: 'Message details' })).toContainText(/Payload\s*\{"type":"/);
  // The link names this moment.
  expect(new URL(page.url()).hash).toMatch(/^#run=r1&at=\d+$/);

  await travel.getByRole('button', { name: 'Check the replay' }).click();
  await expect(travel.getByRole('group', { name: 'Replay check' }).getByRole('status')).toContainText(/Every step of all [3-9] node processes gave its recorded outputs/, { timeout: 30_000 });

  // Fork from the kill.
  await travel.getByRole('button', { name: 'Step forward ▶' }).click();
  await travel.getByRole('button', { name: 'Fork from here' }).click();
  const fork = travel.getByRole('region', { name: 'Fork' });
  await expect(fork).toBeVisible();
  await expect(nodeCard(page, oldLeader)).not.toContainText(showsRole('leader'));

  // Let the survivors elect, one step at a time; the winner's victory (and all it says after) is dropped.
  const leaderNow = async () => /Leader (n\d+)/.exec(await leaderStatus(page).innerText())?.[1] ?? null;
  const twoLeaders = async () => (await page.getByText(/nodes think they lead/).count()) > 0;
  let winner: string | null = null;
  const electedAgain = async () => winner !== null && ((await twoLeaders()) || ((await leaderNow()) ?? winner) !== winner);
  for (let i = 0; i < 300 && !(await electedAgain()); i++) {
    const victory = fork.getByRole('button', { name: /^Drop election\.victory n\d+→n\d+$/ });
    if (winner === null && (await victory.count()) > 0) winner = /victory (n\d+)→/.exec((await victory.first().getAttribute('aria-label'))!)![1]!;
    const fromWinner = winner === null ? null : fork.getByRole('button', { name: new RegExp(`^Drop \\S+ ${winner}→n\\d+$`) });
    const deliver = fork.getByRole('button', { name: /^Deliver / });
    if (fromWinner && (await fromWinner.count()) > 0) await fromWinner.first().click();
    else if ((await deliver.count()) > 0) await deliver.first().click();
    else await fork.locator('button[aria-label$="timer"]:not([disabled])').first().click();
  }
  expect(winner, 'a survivor announced its victory in the fork').not.toBeNull();
  // Never hearing it, another survivor stood again and won: the election repeated.
  expect(await electedAgain(), `after dropping ${winner}'s victory: ${await leaderStatus(page).innerText()}`).toBe(true);
  await expect(fork.getByRole('alert')).toHaveCount(0); // no invariant broken

  // A client writes through the winner, which still thinks it leads: it logs the write.
  await fork.getByRole('textbox', { name: 'Key to write in the fork' }).fill('fork-key');
  await fork.getByRole('combobox', { name: 'Node to write through in the fork' }).selectOption(winner!);
  await fork.getByRole('button', { name: 'Write in the fork' }).click();
  await expect(page.getByRole('region', { name: 'Event log' })).toContainText('put "fork-key" at index');

  // Back to the live cluster: the present again, controls on.
  await travel.getByRole('button', { name: 'Back to the live cluster' }).click();
  await expect(leaderStatus(page)).toContainText(`Leader ${newLeader} ·`);
  await expect(nodeCard(page, newLeader).getByRole('button', { name: `Kill ${newLeader}` })).toBeEnabled();
  await expect.poll(() => keysOnNode(page, newLeader), { message: 'the keys now' }).toEqual({ colour: 'red' });
});

import { expect, test } from './fixtures';
import { leaderStatus, namedLeader, nodeCard } from './dashboard';

/**
 * The space-time diagram during a failover: kill the leader, pause the diagram, and walk back
 * through the messages with the keyboard until one of the election's (bully: a survivor's
 * election.ping, answer or victory) is open in the details: who sent it to whom, when it was
 * received, how long it took, and what it carried. With heartbeats hidden (the default) the election is what is
 * left to read.
 */
test('after the leader is killed, the message diagram shows the election: a survivor’s message, from whom to whom, and its receipt', async ({ page, cluster }) => {
  const oldLeader = await cluster.settledLeader();
  const diagram = page.getByRole('region', { name: 'Message diagram' });
  const canvas = diagram.getByRole('img');
  await diagram.scrollIntoViewIfNeeded();
  await expect(diagram.getByRole('checkbox', { name: 'Show heartbeat messages' })).not.toBeChecked();
  await expect(diagram.getByRole('checkbox', { name: 'Show election messages' })).toBeChecked();

  await nodeCard(page, oldLeader).getByRole('button', { name: `Kill ${oldLeader}` }).click();
  await expect(leaderStatus(page)).not.toContainText(`Leader ${oldLeader} ·`);
  const newLeader = await namedLeader(page);
  expect(newLeader).not.toBe(oldLeader);
  // The diagram's summary names the new leader among those who talked.
  await expect(canvas).toHaveAttribute('aria-label', new RegExp(`messages? between [^;]*\\b${newLeader}\\b`));

  // Frozen: the stream goes on underneath, the picture stays put.
  await diagram.getByRole('button', { name: 'Pause diagram' }).click();
  await expect(diagram.getByRole('button', { name: 'Resume diagram' })).toBeVisible();
  await expect(diagram.getByRole('button', { name: 'Back to live' })).toBeEnabled();
  await expect(canvas).toHaveAttribute('aria-label', / up to \d\d:\d\d:\d\d\.\d{3}\b/);
  const frozen = await canvas.getAttribute('aria-label');

  // From the newest message back, one at a time, until the details show the election's.
  const details = diagram.getByRole('region', { name: 'Message details' });
  await canvas.focus();
  let found: { type: string; from: string; to: string } | null = null;
  for (let i = 0; i < 80 && !found; i++) {
    await canvas.press('ArrowLeft');
    await canvas.press('Enter');
    const title = (await details.getByRole('heading').first().textContent()) ?? '';
    const m = /^(election\.\w+) · (n\d+) → (n\d+)$/.exec(title.trim());
    if (m && m[2] !== oldLeader && m[3] !== oldLeader) found = { type: m[1]!, from: m[2]!, to: m[3]! };
  }
  expect(found, 'an election message between two survivors in the diagram').not.toBeNull();
  await expect(details).toContainText(`${found!.from} → ${found!.to}`);
  await expect(details).toContainText(`Type${found!.type} (${found!.type === 'election.victory' ? 'victory' : 'election'})`);
  await expect(details).toContainText(/Received\d\d:\d\d:\d\d\.\d{3} \(Lamport \d+\)/);
  await expect(details).toContainText(/Transit\d+ ms/);
  // What it carried, as its receiver's core was given it (found in the receiver's recording).
  await expect(details).toContainText(`Payload{"type":"${found!.type}"`);
  expect(await canvas.getAttribute('aria-label')).toBe(frozen);

  // Back to live: following the newest events again.
  await diagram.getByRole('button', { name: 'Back to live' }).click();
  await expect(diagram.getByRole('button', { name: 'Pause diagram' })).toBeVisible();
  await expect(diagram.getByRole('button', { name: 'Back to live' })).toBeDisabled();
});

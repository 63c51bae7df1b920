import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { keysOnNode, writeKey } from './dashboard';

/**
 * Compare-and-set as a learner does it: read a key, write it only if it is still at the version
 * read (acknowledged, with its new version), then try the same stale condition again — refused
 * with a 412 that says where the key is now, and a read shows nothing changed. Then a
 * transaction: open two accounts, move 30 from alice to bob if alice still holds "100" (the
 * success branch runs, on every node), and the same transfer again (alice holds "70" now: the
 * failure branch runs and reads her balance).
 */
test('a write conditional on the version read applies once and is refused the second time; a transfer runs its success branch, then its failure branch', async ({ page, cluster }) => {
  const leader = await cluster.settledLeader();
  const keys = page.getByRole('region', { name: 'Keys' });
  const answer = page.getByRole('status', { name: 'Last key request' });
  const value = keys.getByLabel('Value', { exact: true });
  const onlyIf = keys.getByLabel('Only if version is');

  await writeKey(page, 'color', 'red');
  await keys.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(answer).toContainText(/^Read color through leader.* → "red" \(version \d+\)/);
  const read = versionIn(await answer.innerText());

  // One keystroke fills the field with the version just read; then the new value, and Enter writes it.
  await keys.getByRole('button', { name: `Use version ${read}` }).press('Enter');
  await expect(onlyIf).toHaveValue(String(read));
  await expect(value).toBeFocused();
  await value.fill('green');
  await value.press('Enter');
  await expect(answer).toContainText(new RegExp(`^Write color = "green" only if at version ${read} through leader.* → acknowledged at index (\\d+) \\(version \\1\\)`));
  const written = versionIn(await answer.innerText());
  expect(written).toBeGreaterThan(read);

  // The same condition again is stale now: nothing is written, and the answer says where the key is.
  await expect(onlyIf).toHaveValue(String(read));
  await value.fill('blue');
  await keys.getByRole('button', { name: 'Write', exact: true }).click();
  await expect(answer).toContainText(`Write color = "blue" only if at version ${read}`);
  await expect(answer).toContainText(`→ not written: key "color" is at version ${written}, not ${read}`);
  await keys.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(answer).toContainText(new RegExp(`^Read color through leader.* → "green" \\(version ${written}\\)`));

  // 0 is "only if absent": a Write would create the key, a Delete has nothing it could delete.
  await onlyIf.fill('0');
  await expect(keys.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await expect(keys).toContainText('Write only if the key is absent');
  await onlyIf.fill('');
  await expect(keys.getByRole('button', { name: 'Delete' })).toBeEnabled();

  const txn = page.getByRole('region', { name: 'Transaction' });
  const txnAnswer = txn.getByRole('status', { name: 'Transaction answer' });
  await txn.scrollIntoViewIfNeeded();
  await txn.getByRole('button', { name: 'Example: open accounts' }).click();
  await expect(txn.getByLabel('Success op 1 key')).toHaveValue('alice');
  await expect(txn.getByLabel('Success op 1 value')).toHaveValue('100');
  await txn.getByRole('button', { name: 'Run transaction' }).click();
  await expect(txnAnswer).toContainText('Success branch ran: there was no compare to fail');

  await txn.getByRole('button', { name: 'Example: transfer' }).click();
  await expect(txn.getByLabel('Compare 1 key')).toHaveValue('alice');
  await expect(txn.getByLabel('Compare 1 target')).toHaveValue('value');
  await expect(txn.getByLabel('Compare 1 operator')).toHaveValue('=');
  await expect(txn.getByLabel('Compare 1 value')).toHaveValue('100');
  await expect(txn.getByLabel('Failure op 1 type')).toHaveValue('get');
  await txn.getByRole('button', { name: 'Run transaction' }).click();
  await expect(txnAnswer).toContainText('Success branch ran: the compare held');
  await expect(txnAnswer).toContainText(new RegExp(`One log entry at index \\d+, served by ${leader}`));
  const transfer = indexIn(await txnAnswer.innerText());
  await expect(rows(txn.getByRole('table', { name: 'Results of the success branch' }))).toHaveText([
    /#\s*Op\s*Key\s*Result/,
    cells(1, 'put', 'alice', `"70" written (version ${transfer})`),
    cells(2, 'put', 'bob', `"30" written (version ${transfer})`),
  ]);
  // One entry, applied whole on every node.
  for (const node of (await cluster.view()).nodes.map((n) => n.id)) {
    await expect.poll(() => keysOnNode(page, node), { message: `${node} holds the transfer` }).toMatchObject({ alice: '70', bob: '30' });
  }

  // Again: alice no longer holds "100", so nothing moves and the failure branch reads her balance.
  await txn.getByRole('button', { name: 'Run transaction' }).click();
  await expect(txnAnswer).toContainText('Failure branch ran: the compare did not hold');
  await expect(rows(txn.getByRole('table', { name: 'Results of the failure branch' }))).toHaveText([/#/, cells(1, 'get', 'alice', `"70" (version ${transfer})`)]);
  expect(indexIn(await txnAnswer.innerText())).toBeGreaterThan(transfer);

  // A transaction the server refuses is a sentence that names the problem, and nothing runs.
  await txn.getByLabel('Failure op 1 type').selectOption('put');
  await txn.getByRole('button', { name: 'Add failure op' }).click();
  await expect(txn.getByLabel('Failure op 2 key')).toBeFocused();
  await txn.getByLabel('Failure op 2 key').fill('alice');
  await txn.getByRole('button', { name: 'Run transaction' }).click();
  await expect(txnAnswer).toContainText(/^Not run, nothing applied \(400\): .*writes "alice" twice/);
});

function versionIn(text: string): number {
  return Number(/\(version (\d+)\)/.exec(text)![1]);
}

function indexIn(text: string): number {
  return Number(/at index (\d+)/.exec(text)![1]);
}

const rows = (table: Locator) => table.getByRole('row');

/** A results row as its text reads: the cells run together, so each may be spaced or not. */
function cells(...texts: (string | number)[]): RegExp {
  return new RegExp(`^\\s*${texts.map((t) => String(t).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*')}\\s*$`);
}

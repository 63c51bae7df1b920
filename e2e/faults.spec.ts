import { expect, test } from './fixtures';
import { namedLeader, nodeCard, showsRole } from './dashboard';

/**
 * A learner isolates the leader from the Faults panel and watches the split brain and its
 * heal: the sentence and the ring both say which links are cut.
 */
test('isolate the leader from the Faults panel: split brain, then heal', async ({ page, cluster }) => {
  const leader = await cluster.settledLeader();
  await expect.poll(() => namedLeader(page)).toBe(leader);
  const view = await cluster.view();
  const others = view.nodes.map((n) => n.id).filter((id) => id !== leader).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

  const faults = page.getByRole('region', { name: 'Faults' });
  await expect(faults.getByText('No fault in force: every link works.')).toBeVisible();
  await faults.getByRole('button', { name: 'Isolate the leader' }).click();

  // The sentence names the leader and everyone it is cut off from.
  const active = faults.getByRole('list', { name: 'In force' });
  const sentence = `${leader} is cut off from ${others.join(', ')} and the registry, both ways`;
  await expect(active.getByRole('listitem')).toHaveCount(1);
  await expect(active.getByRole('listitem')).toContainText(sentence);
  const faultId = (await active.getByRole('listitem').locator('.faults__id').innerText()).trim();
  await expect(faults.getByRole('button', { name: `Heal ${faultId}` })).toBeVisible();

  // The ring draws every link of the leader's as cut both ways, and says so in its name.
  const ring = page.getByRole('img', { name: /^Cluster topology/ });
  for (const other of [...others, 'registry']) {
    const link = page.locator(`[data-link="${leader}-${other}"], [data-link="${other}-${leader}"]`);
    await expect(link).toHaveAttribute('data-state', 'cut');
    await expect(ring).toHaveAccessibleName(new RegExp(`${leader} ↔ ${other} cut both ways|${other} ↔ ${leader} cut both ways`));
  }
  // Links between the others are untouched.
  await expect(page.locator('[data-state]')).toHaveCount(others.length + 1);

  // The registry panel says who it can still reach; the leader timeline shades the fault's time.
  const registry = page.getByRole('region', { name: 'Registry' });
  await expect(registry.getByText(`Reaches ${others.join(' and ')} · cut off from ${leader} (both ways)`)).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Leader timeline' });
  await expect(timeline.locator(`[data-fault="${faultId}"]`)).toHaveCount(1);

  // Split brain (bully): the others elect a new leader while the isolated one still thinks it leads.
  await expect(nodeCard(page, leader)).toHaveText(showsRole('leader'));
  await expect
    .poll(async () => {
      let leaders = 0;
      for (const n of view.nodes) if (showsRole('leader').test(await nodeCard(page, n.id).innerText())) leaders += 1;
      return leaders;
    }, { message: 'two nodes shown as leader', timeout: 15_000 })
    .toBe(2);
  await expect(page.getByText(/⚠ 2 nodes think they lead/)).toBeVisible();

  // Heal all: one leader again, nothing in force, no cut links on the ring.
  await faults.getByRole('button', { name: 'Heal all faults' }).click();
  await expect(faults.getByText('No fault in force: every link works.')).toBeVisible();
  await expect(page.locator('[data-state]')).toHaveCount(0);
  await expect(registry.getByText('Reaches every node')).toBeVisible();
  // The healed fault's time stays shaded on the timeline.
  await expect(timeline.locator(`[data-fault="${faultId}"]`)).toHaveCount(1);
  await expect
    .poll(async () => {
      let leaders = 0;
      for (const n of view.nodes) if (showsRole('leader').test(await nodeCard(page, n.id).innerText())) leaders += 1;
      return leaders;
    }, { message: 'one node shown as leader', timeout: 15_000 })
    .toBe(1);
  await cluster.settledLeader();
  const after = await fetch(new URL('/api/faults', cluster.url), { headers: cluster.headers() });
  expect(((await after.json()) as { faults: unknown[] }).faults).toEqual([]);
});

test('the ring is a link editor: press a link to cut it one way, then both ways, then heal it', async ({ page, cluster }) => {
  await cluster.settledLeader();
  const faults = page.getByRole('region', { name: 'Faults' });
  const editor = page.getByRole('group', { name: /^Link editor/ });
  const drawn = page.locator('[data-link="n1-n2"]');
  const inForce = faults.getByRole('list', { name: 'In force' }).getByRole('listitem');

  await editor.getByRole('button', { name: 'Link n1–n2: cut n1 → n2' }).click();
  await expect(drawn).toHaveAttribute('data-state', 'cut-one-way');
  await expect(inForce).toContainText(['what n1 sends to n2 is lost; n2 → n1 still works']);

  // The keyboard works too.
  await editor.getByRole('button', { name: 'Link n1–n2: cut n2 → n1 too' }).press('Enter');
  await expect(drawn).toHaveAttribute('data-state', 'cut');
  await expect(inForce).toHaveCount(2);

  await editor.getByRole('button', { name: 'Link n1–n2: heal n1 ↔ n2' }).click();
  await expect(drawn).toHaveCount(0);
  await expect(faults.getByText('No fault in force: every link works.')).toBeVisible();

  // A partition built by hand (each party's side picked from its menu; dragging does the same).
  const builder = faults.getByRole('group', { name: 'Build a partition' });
  await builder.getByLabel('Side of n1').selectOption('A');
  await builder.getByLabel('Side of n2').selectOption('B');
  await builder.getByLabel('Side of registry').selectOption('B');
  await expect(builder).toContainText('n1 is cut off from n2 and the registry, both ways');
  await builder.getByRole('button', { name: 'Apply partition' }).click();
  await expect(inForce).toContainText(['n1 is cut off from n2 and the registry, both ways']);
  await expect(drawn).toHaveAttribute('data-state', 'cut');
  await expect(editor.getByRole('button', { name: /^Link n1–n2: cut by partition-\d+/ })).toBeVisible();
});

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { namedLeader, nodeCard } from './dashboard';

const demo = process.env.DEMO === '1';
const WORKLOAD_SCREENSHOT = fileURLToPath(new URL('../demo-output/dashboard-workload.png', import.meta.url));

/**
 * A learner runs the preset workload from the Workload panel (shortened to 8 s), kills the
 * leader in the middle of it, and reads what happened: the chart and the fault list name the
 * kill, the verdict says whether the history is linearizable, and the history diagram shows the
 * operations behind it, each with its details on hover and from the keyboard.
 */
test('a workload through a leader kill: the chart shades the kill, the verdict reads at a glance, an op shows its details', async ({ page, cluster }) => {
  test.setTimeout(120_000);
  const leader = await cluster.settledLeader();
  await expect.poll(() => namedLeader(page)).toBe(leader);

  const workload = page.getByRole('region', { name: 'Workload' });
  await workload.getByRole('button', { name: '10 clients, 30 s, mixed' }).click();
  await expect(workload.getByRole('button', { name: '10 clients, 30 s, mixed' })).toHaveAttribute('aria-pressed', 'true');
  await expect(workload.getByRole('textbox', { name: 'Clients' })).toHaveValue('10');
  // Shorter than the preset, to keep the story short; the preset no longer matches.
  await workload.getByLabel('Duration (s)').fill('8');
  await expect(workload.getByRole('button', { name: '10 clients, 30 s, mixed' })).toHaveAttribute('aria-pressed', 'false');
  await workload.getByRole('button', { name: 'Start workload' }).click();

  // While it runs: Start waits, Stop is offered, and the progress moves.
  await expect(workload.getByRole('button', { name: 'Stop workload' })).toBeEnabled();
  await expect(workload.getByRole('button', { name: 'Start workload' })).toBeDisabled();
  const progress = workload.getByRole('progressbar', { name: 'Workload progress' });
  await expect.poll(async () => Number(await progress.getAttribute('value')), { message: 'the run two seconds in', timeout: 15_000 }).toBeGreaterThanOrEqual(2000);

  // Mid-run, the leader is killed from its card.
  await nodeCard(page, leader).getByRole('button', { name: `Kill ${leader}` }).click();
  await expect(nodeCard(page, leader)).toContainText('stopped');

  // The kill is listed among the run's faults, and the chart names it among the faults it shades.
  const kill = new RegExp(`${leader} is killed`);
  await expect(workload.getByRole('list', { name: 'Faults during the run' }).getByRole('listitem').filter({ hasText: kill })).toHaveCount(1);
  await expect(workload.getByRole('img', { name: /^Throughput over time/ })).toHaveAccessibleName(new RegExp(`Faults shaded: .*${leader} is killed`));

  // The verdict comes once the run has ended and been checked; it reads as a headline.
  const verdict = workload.getByRole('status', { name: 'Workload verdict' });
  await expect(verdict).toHaveText(/^. ?(Linearizable|Not linearizable: \d+ of 10 keys|Undecided)/, { timeout: 60_000 });
  const headline = (await verdict.innerText()).trim();
  await expect(workload.getByRole('button', { name: 'Stop workload' })).toBeDisabled();
  await expect(workload.getByRole('button', { name: 'Start workload' })).toBeEnabled();
  // Ran its course, so the kill, never undone, lasted to the end; whether it bit is said either way.
  await expect(workload.getByRole('list', { name: 'Faults during the run' }).getByRole('listitem').filter({ hasText: kill })).toContainText('to the end');

  // The history diagram: one finding picked (the first, or a sample of a clean run), its ops drawn.
  const diagram = workload.getByRole('group', { name: /^History diagram/ });
  await expect(diagram.locator('[data-op-id]').first()).toBeVisible();
  const named = diagram.locator('[data-named]');
  const op = (await named.count()) > 0 ? named.first() : diagram.locator('[data-op-id]').first();
  if (/Not linearizable/.test(headline)) expect(await named.count()).toBeGreaterThan(0);

  // Hovering an op shows what it was, how it ended and when.
  const details = workload.getByRole('region', { name: 'Operation details' });
  await op.hover();
  await expect(details).toContainText(/Operation#\d+ by c\d+: (read|write|delete) /);
  await expect(details).toContainText('Outcome');
  await expect(details).toContainText('Invoked');
  const hovered = (await details.textContent()) ?? '';

  // The keyboard reaches the same: focus an op, then the arrow keys move to the next.
  await page.mouse.move(0, 0);
  await op.focus();
  await expect(details).toHaveText(hovered);
  if ((await diagram.locator('[data-op-id]').count()) > 1) {
    await page.keyboard.press('Home');
    const first = (await details.textContent()) ?? '';
    await page.keyboard.press('End');
    await expect(details).not.toHaveText(first);
  }

  if (demo) await workload.screenshot({ path: WORKLOAD_SCREENSHOT });
  // The run's history and report can be saved.
  const download = page.waitForEvent('download');
  await workload.getByRole('button', { name: 'Export history' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^workload-.+-history\.json$/);

  // Imported again, the saved history is checked afresh and reaches the same verdict.
  const saved = { name: file.suggestedFilename(), mimeType: 'application/json', buffer: await readFile(await file.path()) };
  await workload.getByLabel('Import history').setInputFiles(saved);
  await expect(workload.getByRole('heading', { name: /^Verdict on workload-.+-history\.json$/ })).toBeVisible();
  await expect(verdict).toHaveText(headline);
  await workload.getByRole('button', { name: 'Back to the run' }).click();
  await expect(workload.getByRole('heading', { name: 'Verdict', exact: true })).toBeVisible();
});

test('a learner stops a run early and still gets its verdict; a file that is not a history is refused in the panel', async ({ page, cluster }) => {
  await cluster.settledLeader();
  const workload = page.getByRole('region', { name: 'Workload' });
  await workload.getByRole('button', { name: 'writers only' }).click();
  await workload.getByRole('button', { name: 'Start workload' }).click();
  const progress = workload.getByRole('progressbar', { name: 'Workload progress' });
  await expect.poll(async () => Number(await progress.getAttribute('value')), { message: 'the run a second in', timeout: 15_000 }).toBeGreaterThanOrEqual(1000);
  await workload.getByRole('button', { name: 'Stop workload' }).click();

  // What ran is checked all the same; the run says why it ended before its 30 s.
  await expect(workload.getByRole('status', { name: 'Workload verdict' })).toHaveText(/Linearizable|Not linearizable|Undecided/, { timeout: 30_000 });
  await expect(workload.getByText('Stopped: stopped from the API')).toBeVisible();
  expect(Number(await progress.getAttribute('value'))).toBeLessThan(30_000);

  await workload.getByLabel('Import history').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"history": ') });
  await expect(workload.getByRole('alert')).toHaveText('Import history failed (notes.json) — the file is not JSON');
  await workload.getByLabel('Import history').setInputFiles({ name: 'ops.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([{ id: 1, kind: 'write' }])) });
  await expect(workload.getByRole('alert')).toContainText(/Import history failed \(ops\.json\) — 400: not a history/);
});

/**
 * A saved history with a stale read in it, imported: the verdict names it, the diagram
 * outlines the ops the explanation names, and hovering one says what it was.
 */
test('an imported history with a stale read: the named ops are highlighted and hovering one shows its details', async ({ page, cluster }) => {
  await cluster.settledLeader();
  const workload = page.getByRole('region', { name: 'Workload' });
  const history = [
    { id: 1, client: 'c1', kind: 'write', key: 'k', value: 'c1-1', invokeMs: 0, completeMs: 10, outcome: 'ok', node: 'n3', reply: '200 from n3, committed at index 1' },
    { id: 2, client: 'c1', kind: 'write', key: 'k', value: 'c1-2', invokeMs: 20, completeMs: 30, outcome: 'ok', node: 'n3', reply: '200 from n3, committed at index 2' },
    { id: 3, client: 'c2', kind: 'read', key: 'k', value: 'c1-1', invokeMs: 40, completeMs: 50, outcome: 'ok', node: 'n1', reply: '200 from n1: "c1-1"' },
  ];
  await workload.getByLabel('Import history').setInputFiles({ name: 'stale.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ history })) });
  await expect(workload.getByRole('heading', { name: 'Verdict on stale.json' })).toBeVisible();
  await expect(workload.getByRole('status', { name: 'Workload verdict' })).toHaveText(/Not linearizable: 1 of 1 keys/);

  const named = workload.getByRole('group', { name: /^History diagram/ }).locator('[data-named]');
  await expect(named.first()).toBeVisible();
  const ids = await named.evaluateAll((els) => els.map((el) => el.getAttribute('data-op-id')));
  expect(ids).toEqual(expect.arrayContaining(['2', '3']));
  await workload.locator('[data-op-id="3"][data-named]').hover();
  const details = workload.getByRole('region', { name: 'Operation details' });
  await expect(details).toContainText('#3 by c2: read k');
  await expect(details).toContainText('200 from n1');
});

import type { Locator, Page } from '@playwright/test';
import type { ClusterEvent, EventsPage, NodeRole } from '@clusterlab/shared';
import { expect, type Cluster } from './fixtures';

/**
 * What a learner looks at and clicks on the dashboard, by the names in web/README.md.
 * The stories read as "write a key through n1, read it from every node" with these.
 */

export const leaderStatus = (page: Page): Locator => page.getByRole('status', { name: 'Leader status' });
export const nodeCard = (page: Page, id: string): Locator => page.getByRole('group', { name: `Node ${id}` });
export const failoversTable = (page: Page): Locator => page.getByRole('region', { name: 'Failovers' }).getByRole('table');
export const keysTable = (page: Page): Locator => page.getByRole('table', { name: 'Every key on every node' });

/** The word a node card shows for its role. */
const ROLE_WORD: Record<NodeRole, string> = {
  leader: 'leader',
  follower: 'follower',
  candidate: 'candidate',
  'pre-candidate': 'pre-candidate',
  unknown: 'no role',
};

/** Matches a card that shows this role word (as a whole word: "follower" does not contain "leader"). */
export function showsRole(role: NodeRole): RegExp {
  return new RegExp(`\\b${ROLE_WORD[role]}\\b`);
}

/** The epoch a node card shows, e.g. "2·n2". */
export function cardEpoch(page: Page, id: string): Locator {
  return nodeCard(page, id)
    .locator('div', { has: page.getByRole('term').filter({ hasText: /^Epoch$/ }) })
    .getByRole('definition');
}

/** The leader the status line names, once it names one (`Leader n3 · epoch 1·n3`, or with Raft `Leader n2 · term 4`). */
export async function namedLeader(page: Page): Promise<string> {
  await expect(leaderStatus(page)).toHaveText(/Leader n\d+ · (epoch|term)/);
  const text = await leaderStatus(page).innerText();
  return /Leader (n\d+)/.exec(text)![1]!;
}

/** Types a key and value into the Keys form, picks the node to send it through, presses Write and waits for the answer. */
export async function writeKey(page: Page, key: string, value: string, through = 'leader'): Promise<void> {
  await submitWrite(page, key, value, through);
  await expectWriteAcknowledged(page, key, value, through);
}

/** Fills in the Keys form and presses Write, without waiting for the answer. */
export async function submitWrite(page: Page, key: string, value: string, through = 'leader'): Promise<void> {
  const keys = page.getByRole('region', { name: 'Keys' });
  await keys.getByLabel('Key', { exact: true }).fill(key);
  await keys.getByLabel('Value', { exact: true }).fill(value);
  await keys.getByLabel('Through node').selectOption({ label: through });
  await keys.getByRole('button', { name: 'Write' }).click();
}

/** Waits for the "Last key request" line to say this write was acknowledged. */
export async function expectWriteAcknowledged(page: Page, key: string, value: string, through = 'leader'): Promise<void> {
  const answer = page.getByRole('status', { name: 'Last key request' });
  await expect(answer).toContainText(`Write ${key} = ${JSON.stringify(value)} through ${through}`);
  await expect(answer).toContainText('acknowledged');
}

/** Presses "Read from all nodes" for a key and returns the table of answers, one column per node. */
export async function readFromAllNodes(page: Page, key: string): Promise<Locator> {
  const keys = page.getByRole('region', { name: 'Keys' });
  await keys.getByLabel('Key', { exact: true }).fill(key);
  await keys.getByRole('button', { name: 'Read from all nodes' }).click();
  return page.getByRole('table', { name: new RegExp(`^“${escapeRegExp(key)}” read from every node`) });
}

/*
 * e2e/ shares the server's tsconfig, which has no DOM library; the functions that run inside
 * the page describe the little of the DOM they touch.
 */
type Cell = { innerText: string };
type Table = { rows: ArrayLike<{ cells: ArrayLike<Cell> }>; tHead: { rows: ArrayLike<{ cells: ArrayLike<Cell> }> } | null; tBodies: ArrayLike<{ rows: ArrayLike<{ cells: ArrayLike<Cell> }> }> };
type Element = { textContent: string | null; getAttribute(name: string): string | null; nextElementSibling: Element | null; querySelectorAll(selector: string): ArrayLike<Element> };
type InPage = {
  document: Element & { body: unknown };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  sameEpochLeaders?: () => { found: string[]; checks: number; coexisting: string[] };
};

/** The read-from-all table as { node: what its Value cell says }, e.g. { n1: '"blue"', n2: '"blue" differs' }. */
export async function valuesByNode(table: Locator): Promise<Record<string, string>> {
  // Read in one go, so the columns and the values come from the same render.
  const { nodes, cells } = await table.evaluate((t: Table) => ({
    nodes: Array.from(t.tHead!.rows[0]!.cells).slice(1).map((c) => c.innerText),
    cells: Array.from(Array.from(t.tBodies[0]!.rows).find((r) => r.cells[0]!.innerText.trim() === 'Value')!.cells).slice(1).map((c) => c.innerText),
  }));
  return Object.fromEntries(nodes.map((n, i) => [clean(n), clean(cells[i])]));
}

/**
 * One node's column of "Every key on every node": { key: value } for the keys it holds
 * (a cell reads "blue @3": the value and the log index that wrote it; "absent" when it has none).
 */
export async function keysOnNode(page: Page, id: string): Promise<Record<string, string>> {
  const rows = await keysTable(page).evaluate((t: Table) =>
    Array.from(t.rows).map((r) => Array.from(r.cells).map((c) => c.innerText.replace(/\s+/g, ' ').trim())),
  );
  const column = (rows[0] ?? []).findIndex((h) => /^n\d+/.exec(h)?.[0] === id);
  if (column < 1) return {};
  const out: Record<string, string> = {};
  for (const row of rows.slice(1)) {
    const held = /^(.*) @\d+$/.exec(row[column] ?? '');
    if (held) out[row[0]!] = held[1]!;
  }
  return out;
}

/** The event log's rows as the sequence numbers they show (`… #123`), in the order shown. */
export async function shownSeqs(page: Page): Promise<number[]> {
  const rows = await page.getByRole('listbox', { name: 'Events' }).getByRole('option').allInnerTexts();
  return rows.map((row) => Number(/#(\d+)\s*$/.exec(row)?.[1] ?? NaN));
}

/** Every event the supervisor still holds, oldest first, from GET /api/events (paged). */
export async function supervisorEvents(cluster: Cluster): Promise<ClusterEvent[]> {
  const out: ClusterEvent[] = [];
  let since = 0;
  for (;;) {
    const res = await fetch(new URL(`/api/events?since=${since}&limit=20000`, cluster.url), { headers: cluster.headers() });
    const page = (await res.json()) as EventsPage;
    out.push(...page.events);
    const last = page.events.at(-1);
    if (!last || last.seq >= page.lastSeq) return out;
    since = last.seq;
  }
}

/**
 * Watches, for as long as a story runs, that no two nodes ever claim to lead the same epoch —
 * on the dashboard's cards (every time the page changes, not just now and then) and in the
 * supervisor's view of the cluster. Two leaders of *different* epochs may briefly coexist
 * (a paused leader that has not yet heard of the newer one); the same epoch, never.
 */
export async function watchForSameEpochLeaders(page: Page, cluster: Cluster) {
  await page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    const found: string[] = [];
    const coexisting = new Set<string>();
    let checks = 0;
    const epochOf = (card: Element): string =>
      Array.from(card.querySelectorAll('dt')).find((dt) => dt.textContent === 'Epoch')?.nextElementSibling?.textContent ?? '?';
    const check = () => {
      checks += 1;
      const leaders = new Map<string, string[]>();
      for (const card of Array.from(w.document.querySelectorAll('[role="group"][aria-label^="Node "]'))) {
        if (!/\bleader\b/.test(card.textContent ?? '')) continue;
        const epoch = epochOf(card);
        leaders.set(epoch, [...(leaders.get(epoch) ?? []), card.getAttribute('aria-label')!.slice('Node '.length)]);
      }
      for (const [epoch, ids] of leaders) if (ids.length > 1) found.push(`${ids.join(' and ')} both shown leading epoch ${epoch}`);
      if (leaders.size > 1) coexisting.add([...leaders].map(([epoch, ids]) => `${ids.join(', ')} (${epoch})`).join(' and '));
    };
    new w.MutationObserver(check).observe(w.document.body, { subtree: true, childList: true, characterData: true });
    w.sameEpochLeaders = () => ({ found, checks, coexisting: [...coexisting] });
  });

  const fromApi: string[] = [];
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    cluster
      .view()
      .then((view) => {
        samples += 1;
        const leaders = view.nodes.filter((n) => n.role === 'leader');
        for (const n of leaders) {
          const same = leaders.filter((m) => m.term === n.term);
          if (same.length > 1) fromApi.push(`${same.map((m) => m.id).join(' and ')} both lead epoch ${n.term} in /api/cluster`);
        }
      })
      .catch(() => {}) // The cluster going away at the end of a story is not a finding.
      .finally(() => (busy = false));
  }, 50);

  return {
    /**
     * Stops watching and returns what was seen: `found` (same-epoch leaders) must be empty;
     * `coexisting` lists the leaders of different epochs the cards showed at once, the lesson.
     */
    async stop(): Promise<{ found: string[]; coexisting: string[]; pageChecks: number; apiSamples: number }> {
      clearInterval(timer);
      const inPage = await page.evaluate(() => (globalThis as unknown as InPage).sameEpochLeaders!());
      return { found: [...new Set([...inPage.found, ...fromApi])], coexisting: inPage.coexisting, pageChecks: inPage.checks, apiSamples: samples };
    },
  };
}

function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlgorithmId, KvListing, NodeView } from '@clusterlab/shared';
import { action, call, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

/**
 * A node whose write-ahead log is damaged in the middle does not replay past the damage; the
 * restart that finds it rebuilds the node from the cluster, as its algorithm says is safe, and
 * keeps the damaged data for a person to look at.
 */
const KEYS = 12;

async function damageAndRestart(lab: ReturnType<typeof useSupervisor>, victim: string) {
  for (let i = 1; i <= KEYS; i++) {
    await waitFor(async () => (await call(lab.api(`/kv/k${i}`), kvWrite(`value-${i}`))).status === 200, { what: `write k${i}` });
  }
  await lab.waitForCluster((v) => v.nodes.every((n) => n.appliedIndex >= KEYS), { what: `${KEYS} writes on every node`, timeoutMs: 10_000 });
  expect((await call(lab.api(`/nodes/${victim}/stop`), action())).status).toBe(200);
  const dir = join(lab.supervisor.dataDir, victim);
  const logs = readdirSync(dir).filter((f) => f.startsWith('log-'));
  const log = join(dir, logs.at(-1)!);
  // One byte changed in a record with good ones after it: bit rot, not a torn write.
  const text = readFileSync(log, 'utf8');
  expect(text).toContain('value-3');
  writeFileSync(log, text.replace('value-3', 'value-Y'));

  const restart = await call<NodeView & { error?: string }>(lab.api(`/nodes/${victim}/restart`), action());
  expect(restart.status, JSON.stringify(restart.body)).toBe(200);
  const damaged = await lab.waitForEvent('node.log_damaged', (e) => e.node === victim, { timeoutMs: 5000 });
  expect(damaged.data.record).toBeGreaterThan(0);
  const rebuilt = await lab.waitForEvent('node.rebuilt', (e) => e.data.id === victim, { timeoutMs: 5000 });
  // The damaged folder is kept, outside the node's own.
  expect(existsSync(join(rebuilt.data.movedTo, logs.at(-1)!))).toBe(true);
  expect(readFileSync(join(rebuilt.data.movedTo, logs.at(-1)!), 'utf8')).toContain('value-Y');

  // Every key, with its real value, back on the rebuilt node.
  const view = await lab.cluster();
  const url = view.nodes.find((n) => n.id === victim)!.url as string;
  const listing = await waitFor(
    async () => {
      const page = (await call<KvListing>(`${url}/db?limit=100`)).body;
      return page.entries.length >= KEYS ? page : null;
    },
    { what: `${victim} holding all ${KEYS} keys again`, timeoutMs: 15_000 },
  );
  expect(Object.fromEntries(listing.entries.map(([k, v]) => [k, v.value]))).toMatchObject({ k3: 'value-3', k12: 'value-12' });
  return rebuilt;
}

describe.each<[AlgorithmId, string]>([
  ['bully', 'from-leader'],
  ['raft', 'as-new-member'],
])('%s: a node whose log is damaged in the middle', (algorithm, how) => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm } });

  it(`is rebuilt ${how === 'from-leader' ? 'from the leader' : 'as a new member'} by the restart that finds the damage`, { timeout: 60_000 }, async () => {
    const view = await lab.waitForLeader();
    const victim = view.nodes.find((n) => n.id !== view.leader)!.id;
    const rebuilt = await damageAndRestart(lab, victim);
    expect(rebuilt.data.how).toBe(how);
    if (algorithm === 'raft') {
      // Out of the configuration, then back in as a learner, then a voter once it caught up.
      const changes = (await lab.events()).events.flatMap((e) => (e.kind === 'membership.changed' && e.node === view.leader ? [e.data] : []));
      expect(changes.some((c) => !c.voters.includes(victim) && !c.learners.includes(victim))).toBe(true);
      await lab.waitForCluster((v) => v.nodes.find((n) => n.id === victim)?.membership === 'voter', { what: `${victim} a voter again`, timeoutMs: 15_000 });
    }
    expect((await call(lab.api('/kv/after-rebuild'), kvWrite('yes'))).status).toBe(200);
  });
});

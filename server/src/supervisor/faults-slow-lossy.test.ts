import { describe, expect, it } from 'vitest';
import type { FaultView, KvResult, NodeView } from '@clusterlab/shared';
import { action, call, json, kvWrite } from '../test-utils/http';
import { useSupervisor, type TestCluster } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

/**
 * A bad network that is not a broken one: with 30% of messages lost on every link the
 * cluster still takes writes (retried where a request or its answer was lost), and with
 * 200 ms more on every link a killed leader is still replaced.
 */

async function postFault(lab: TestCluster, fault: unknown): Promise<FaultView> {
  const answer = await call<FaultView>(lab.api('/faults'), json('POST', fault));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

/** A write through the supervisor, retried as a client would while requests or answers are lost. */
async function writeEventually(lab: TestCluster, key: string, value: string): Promise<number> {
  let attempts = 0;
  await waitFor(
    async () => {
      attempts++;
      return (await call<KvResult>(lab.api(`/kv/${key}`), kvWrite(value))).status === 200;
    },
    { what: `write ${key} through 30% loss`, timeoutMs: 20_000, intervalMs: 50 },
  );
  return attempts;
}

describe('a slow or lossy network (real processes)', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('with 30% of messages lost on every link, writes still succeed, and every replica has them once healed', { timeout: 60_000 }, async () => {
    await lab.waitForLeader();
    const loss = await postFault(lab, { kind: 'loss', rate: 0.3 });
    expect(loss.description).toBe('30% of messages on every link are lost');
    let attempts = 0;
    for (let i = 1; i <= 15; i++) attempts += await writeEventually(lab, `lossy-${i}`, `v${i}`);
    // Some requests or answers were lost on the way, and retried (15 writes, each at least once).
    expect(attempts).toBeGreaterThanOrEqual(15);
    const drops = (await lab.events()).events.filter((e) => e.kind === 'message.lost' && e.data.reason.includes(loss.id));
    expect(drops.length, 'peer messages lost to the fault').toBeGreaterThan(0);

    expect((await call(lab.api(`/faults/${loss.id}`), action('DELETE'))).status).toBe(204);
    const view = await lab.waitForLeader();
    await waitFor(
      async () => {
        for (const node of view.nodes) {
          const answer = await call<{ entries: [string, { value: string }][] }>(`${node.url}/db?limit=100`);
          const held = new Map(answer.body.entries.map(([k, v]) => [k, v.value]));
          for (let i = 1; i <= 15; i++) if (held.get(`lossy-${i}`) !== `v${i}`) return false;
        }
        return true;
      },
      { what: 'every node holding all 15 writes', timeoutMs: 15_000, intervalMs: 100 },
    );
  });

  it('with 200 ms more on every link, a killed leader is still replaced and writes go on', { timeout: 60_000 }, async () => {
    const first = (await lab.waitForLeader()).leader as string;
    const delay = await postFault(lab, { kind: 'delay', ms: 200, jitterMs: 0 });
    expect(delay.description).toMatch(/takes 200 ms more/);
    // Heartbeats arrive late but at their pace: the leader keeps leading under the delay.
    expect((await call<KvResult>(lab.api('/kv/slow-before'), kvWrite('yes'))).status).toBe(200);

    const since = (await lab.events()).events.at(-1)?.seq ?? 0;
    const kill = await call<NodeView>(lab.api(`/nodes/${first}/kill`), action());
    expect(kill.status).toBe(200);
    const elected = await lab.waitForEvent('leader.elected', (e) => e.node !== first, { since, timeoutMs: 20_000 });
    await lab.waitForLeader({ not: first, timeoutMs: 20_000 });
    await waitFor(async () => (await call<KvResult>(lab.api('/kv/slow-after'), kvWrite('yes'))).status === 200, {
      what: `a write through the new leader ${elected.node}`,
      timeoutMs: 15_000,
      intervalMs: 100,
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { KvReadAll, KvResult, NodeView } from '@clusterlab/shared';
import { action, call, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

/**
 * The counter test: 20 clients each add 1 twenty times, each with a compare-and-set retry loop
 * (read the counter and its version, write n + 1 only if the version is unchanged, else read
 * again), while the Raft leader is SIGKILLed and restarted. The counter must end at exactly 400.
 *
 * A write whose answer is lost with its leader may or may not have applied, so each value also
 * lists the increments it holds (`by`): a client that is not sure reads, and finds its own tag
 * there or tries again. CAS makes that exact — each value is built on the one before it — and
 * the list lets the test check that every one of the 400 increments is there, once.
 */
const CLIENTS = 20;
const EACH = 20;
const KILLS = 3;

type Counter = { n: number; by: string[] };

describe('a CAS counter on a Raft cluster whose leader is killed (real processes)', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft' } });

  it('ends at exactly 20 × 20 = 400, with every increment in it once', { timeout: 120_000 }, async () => {
    await lab.waitForLeader();
    let done = 0;
    let conflicts = 0;
    let unsure = 0;

    const read = async (): Promise<{ counter: Counter; version: number } | null> => {
      const r = await call<KvResult>(lab.api('/kv/counter'), { headers: lab.auth() });
      if (r.status === 404) return { counter: { n: 0, by: [] }, version: 0 };
      return r.status === 200 ? { counter: JSON.parse(r.body.value!) as Counter, version: r.body.version! } : null;
    };
    const increment = async (tag: string) => {
      for (;;) {
        const now = await read();
        if (!now) continue; // no leader for a moment: ask again
        if (now.counter.by.includes(tag)) return; // an earlier try whose answer was lost did apply
        const next: Counter = { n: now.counter.n + 1, by: [...now.counter.by, tag] };
        const condition: Record<string, string> = now.version === 0 ? { 'if-none-match': '*' } : { 'if-match': `"${now.version}"` };
        const init = kvWrite(JSON.stringify(next));
        const w = await call<KvResult>(lab.api('/kv/counter'), { ...init, headers: { ...(init.headers as Record<string, string>), ...lab.auth(), ...condition } });
        if (w.status === 200) return;
        if (w.status === 412) conflicts++;
        else unsure++;
      }
    };
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < EACH; i++) {
        await increment(`c${c}.${i}`);
        done++;
      }
    });

    // Meanwhile: kill the leader at a third, two thirds and near the end of the run, and bring it back.
    const killer = (async () => {
      for (let k = 1; k <= KILLS; k++) {
        await waitFor(() => done >= (k * CLIENTS * EACH) / (KILLS + 1), { what: `${(k * 100) / (KILLS + 1)}% of the increments`, timeoutMs: 60_000 });
        const leader = (await lab.waitForLeader({ timeoutMs: 20_000 })).leader!;
        const kill = await call<NodeView>(lab.api(`/nodes/${leader}/kill`), action());
        expect(kill.status, `kill ${leader}`).toBe(200);
        await lab.waitForLeader({ not: leader, timeoutMs: 20_000 });
        expect((await call(lab.api(`/nodes/${leader}/restart`), action())).status, `restart ${leader}`).toBe(200);
      }
    })();
    await Promise.all([...clients, killer]);

    const final = (await read())!.counter;
    expect(final.n).toBe(CLIENTS * EACH);
    expect(new Set(final.by).size).toBe(CLIENTS * EACH);
    expect(final.by.length).toBe(CLIENTS * EACH);
    // Every node ends with the same counter.
    await waitFor(
      async () => {
        const all = (await call<KvReadAll>(lab.api('/kv/counter?via=all'), { headers: lab.auth() })).body;
        return all.reads.length === 3 && all.reads.every((r) => r.value !== undefined && r.value !== null && (JSON.parse(r.value) as Counter).n === CLIENTS * EACH);
      },
      { what: 'every node to hold the counter at 400', timeoutMs: 20_000 },
    );
    // The test is about contention: without conflicts the CAS would not have been tested.
    expect(conflicts).toBeGreaterThan(CLIENTS);
    console.log(`cas counter: 400 increments, ${conflicts} lost races (412), ${unsure} answers lost or refused in failovers`);
  });
});

import { describe, expect, it } from 'vitest';
import type { NodeView } from '@clusterlab/shared';
import { action, call } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { EventRecorder, waitForReplicasToAgree, WriteLedger, Writers } from '../test-utils/write-load';

/**
 * A Raft node's disk is its memory: a follower SIGKILLed in the middle of a burst of writes
 * restarts from its own write-ahead log with at least everything it had applied (and told
 * the world it had), then catches up on what it missed from the leader. Thirty times over.
 */

const ITERATIONS = 30;
/** Writes in flight at once in each burst, each loop writing a few in a row. */
const BURST = 30;
const WRITES_PER_LOOP = 3;
const IDS = ['n1', 'n2', 'n3'];

describe('Raft follower crash and restart (real processes)', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft' } });

  it('a node SIGKILLed mid-burst and restarted 30 times comes back with its data', { timeout: 120_000 }, async () => {
    const recorder = new EventRecorder(lab);
    const ledger = new WriteLedger();
    const bursts: Writers[] = [];
    const restores: { victim: string; applied: number; restoredIndex: number; restoredKeys: number }[] = [];
    try {
      let victim: string | null = null;
      for (let i = 0; i < ITERATIONS; i++) {
        await lab.waitForLeader({ timeoutMs: 20_000 });
        const burst = new Writers(lab, { writers: BURST, prefix: `b${i}-`, maxWritesEach: WRITES_PER_LOOP, maxMs: 20_000, ledger });
        bursts.push(burst);
        // Kill it once the burst is flowing: appends to it are in flight as it dies.
        await burst.untilAcked(BURST / 3, { orDone: true });
        const view = await lab.cluster();
        // A follower (the same one each time, unless it has become the leader meanwhile).
        if (victim === null || victim === view.leader) victim = view.nodes.find((n) => n.id !== view.leader && n.status === 'running')?.id ?? null;
        expect(victim, `iteration ${i}: a running follower to kill`).not.toBeNull();
        const id = victim as string;
        const seenBeforeKill = view.nodes.find((n) => n.id === id)!.appliedIndex;
        const kill = await call<NodeView>(lab.api(`/nodes/${id}/kill`), action());
        expect(kill, `iteration ${i}: kill ${id}`).toMatchObject({ status: 200, body: { status: 'stopped', exit: { signal: 'SIGKILL' } } });

        const beforeRestart = recorder.seq;
        const restart = await call<NodeView>(lab.api(`/nodes/${id}/restart`), action());
        expect(restart.status, `iteration ${i}: restart ${id}`).toBe(200);
        const spawned = await recorder.next('node.spawned', (e) => e.data.id === id, { since: beforeRestart, what: `${id} spawned again` });
        // Everything the killed process said reached the supervisor before its successor was spawned.
        const said = recorder.of('replication.applied', (e) => e.node === id && e.seq < spawned.seq).at(-1)?.data.index ?? 0;
        const applied = Math.max(said, seenBeforeKill);
        const ready = await recorder.next('node.ready', (e) => e.data.id === id, { since: spawned.seq, what: `${id} ready (iteration ${i})` });
        restores.push({ victim: id, applied, restoredIndex: ready.data.restoredIndex, restoredKeys: ready.data.restoredKeys });
        expect(ready.data.restoredIndex, `iteration ${i}: ${id} had applied ${applied} before it was killed`).toBeGreaterThanOrEqual(applied);
        // Keys are never reused nor deleted: the state as of restoredIndex holds every write acknowledged at or before it.
        const ackedBy = [...ledger.acked.values()].filter((a) => a.index >= 0 && a.index <= ready.data.restoredIndex).length;
        expect(ready.data.restoredKeys, `iteration ${i}: keys restored at index ${ready.data.restoredIndex}`).toBeGreaterThanOrEqual(ackedBy);

        // Then it catches up on what the others committed while it was away.
        await burst.done();
        const target = Math.max(...[...ledger.acked.values()].map((a) => a.index));
        await lab.waitForCluster((v) => v.nodes.find((n) => n.id === id && n.status === 'running' && n.appliedIndex >= target), {
          what: `${id} to apply index ${target} (iteration ${i})`,
          timeoutMs: 15_000,
        });
      }

      const { problems } = await waitForReplicasToAgree(lab, ledger, IDS);
      expect(problems, ledger.summary()).toEqual([]);
      expect(recorder.missed, 'events lost before the recorder saw them').toBe(0);
      expect(restores).toHaveLength(ITERATIONS);
      // It restored real data from its disk, and more of it each time.
      expect(restores.at(-1)!.restoredIndex).toBeGreaterThan(restores[0]!.restoredIndex);
      expect(ledger.acked.size, ledger.summary()).toBeGreaterThan(ITERATIONS * BURST);
    } finally {
      recorder.stop();
      await Promise.all(bursts.map((b) => b.stop()));
    }
  });
});

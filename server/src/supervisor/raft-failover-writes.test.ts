import { describe, expect, it } from 'vitest';
import type { NodeView } from '@clusterlab/shared';
import { action, call } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { EventRecorder, waitForReplicasToAgree, Writers } from '../test-utils/write-load';

/**
 * Raft's promise under the crash a learner injects most: a write the cluster acknowledged
 * survives the leader that acknowledged it being SIGKILLed, again and again, while clients
 * keep writing. Real processes, real disks, real HTTP; only 200 answers count as promises.
 */

const ROUNDS = 6;
const WRITERS = 8;
const IDS = ['n1', 'n2', 'n3'];

describe('Raft leader failover under concurrent writes (real processes)', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft' } });

  it('killing the Raft leader again and again under concurrent writers loses no acknowledged write', { timeout: 90_000 }, async () => {
    const recorder = new EventRecorder(lab);
    const writers = new Writers(lab, { writers: WRITERS, prefix: '', maxWritesEach: 1000, maxMs: 60_000 });
    try {
      await lab.waitForLeader();
      await writers.untilAcked(20);

      const killed: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Crash a leader that is taking writes: the cluster acknowledges some, then its leader dies with more in hand.
        await writers.untilAcked(writers.acked + 20);
        const leader = (await lab.waitForLeader({ timeoutMs: 20_000 })).leader as string;

        const kill = await call<NodeView>(lab.api(`/nodes/${leader}/kill`), action());
        expect(kill, `round ${round}: kill ${leader}`).toMatchObject({ status: 200, body: { status: 'stopped', exit: { signal: 'SIGKILL' } } });
        killed.push(leader);

        await lab.waitForLeader({ not: leader, timeoutMs: 20_000 });
        const since = recorder.seq;
        const restart = await call<NodeView>(lab.api(`/nodes/${leader}/restart`), action());
        expect(restart.status, `round ${round}: restart ${leader}`).toBe(200);
        // Back to three before the next crash: two crashed nodes of three would be no majority.
        await recorder.next('node.ready', (e) => e.data.id === leader, { since, what: `${leader} ready again (round ${round})` });
      }

      const ledger = await writers.stop();
      const { problems } = await waitForReplicasToAgree(lab, ledger, IDS);
      expect(problems, ledger.summary()).toEqual([]);

      expect(ledger.acked.size, ledger.summary()).toBeGreaterThan(100);
      expect(recorder.missed, 'events lost before the recorder saw them').toBe(0);
      const elected = new Set(recorder.of('leader.elected').map((e) => `${e.node}@${e.data.term}`));
      // The first leader and one after every crash.
      expect(elected.size, [...elected].join(' ')).toBeGreaterThanOrEqual(ROUNDS + 1);
      expect(killed).toHaveLength(ROUNDS);
      // Acknowledgements came from more than one leader: the writes really crossed failovers.
      expect(new Set([...ledger.acked.values()].map((a) => a.servedBy)).size).toBeGreaterThan(1);
    } finally {
      recorder.stop();
      await writers.stop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { History, WorkloadHistoryFile } from '@clusterlab/shared';
import { call } from '../../test-utils/http';
import { useSupervisor } from '../../test-utils/test-supervisor';
import { startWorkload, waitForVerdict } from './workload-test-helpers';

/**
 * What the workload's verdict teaches, on real processes: the same faults cost Raft nothing it
 * promised and cost bully acknowledged writes; reads from a follower's own copy are stale.
 */

describe('Raft under leader kills and partitions', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft', writeTimeoutMs: 1000 } });

  it('is linearizable with linearizable reads, and loses no acknowledged write', { timeout: 90_000 }, async () => {
    const { leader } = await lab.waitForLeader();
    const other = ['n1', 'n2', 'n3'].find((n) => n !== leader)!;
    const id = await startWorkload(lab, {
      clients: 6,
      durationMs: 6000,
      keys: 4,
      mix: { read: 1, write: 1, delete: 0.2 },
      read: 'linearizable',
      faults: [
        { at: 1000, fault: { kind: 'kill', node: leader! } },
        { at: 2500, fault: { kind: 'restart', node: leader! } },
        { at: 3500, id: 'isolate', fault: { kind: 'partition', groups: [[other], ['n1', 'n2', 'n3'].filter((n) => n !== other)] } },
        { at: 5000, heal: 'isolate' },
      ],
    });
    const view = await waitForVerdict(lab, id);

    expect(view.state).toBe('done');
    expect(view.counts.write.ok, 'writes went through around the faults').toBeGreaterThan(20);
    expect(view.verdict.outcome, view.verdict.sentences.join('\n')).toBe('linearizable');
    expect(view.verdict.lostWrites).toBe(0);
    expect(view.verdict.summary).toBe('Linearizable');
    // The kill and the partition are both on the run's timeline, and both touched operations.
    const kill = view.faults.find((f) => f.fault.kind === 'kill');
    expect(kill?.toMs, 'the kill ends when the node is back').not.toBeNull();
    expect(kill?.bit, kill?.effect).toBe(true);
    expect(view.faults.some((f) => f.fault.kind === 'partition')).toBe(true);
    expect(view.series.length).toBeGreaterThanOrEqual(5);
  });
});

describe('Raft with compare-and-set clients', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft', writeTimeoutMs: 1000 } });

  // Most writes only apply if the key is still at the version the client last read; with six
  // clients on three keys many lose the race. The checker's cas model holds the history to it.
  it('is linearizable through a leader kill, with races won and lost', { timeout: 90_000 }, async () => {
    const { leader } = await lab.waitForLeader();
    const id = await startWorkload(lab, {
      clients: 6,
      durationMs: 5000,
      keys: 3,
      mix: { read: 1, write: 0.3, cas: 2 },
      read: 'linearizable',
      faults: [
        { at: 1500, fault: { kind: 'kill', node: leader! } },
        { at: 3000, fault: { kind: 'restart', node: leader! } },
      ],
    });
    const view = await waitForVerdict(lab, id);
    expect(view.counts.cas.ok, 'compare-and-sets that applied').toBeGreaterThan(20);
    expect(view.counts.cas.fail, 'compare-and-sets refused: the key had moved on').toBeGreaterThan(5);
    expect(view.verdict.outcome, view.verdict.sentences.join('\n')).toBe('linearizable');
    const history = (await call<WorkloadHistoryFile>(lab.api(`/workloads/${id}/history`))).body.history;
    const refused = history.find((op) => op.kind === 'cas' && op.outcome === 'fail');
    expect(refused?.reply).toMatch(/^412 from n\d: precondition failed \(If-(None-)?Match/);
    expect(history.filter((op) => op.kind === 'cas').every((op) => op.expected !== undefined)).toBe(true);
  });
});

describe('bully under a partition that isolates a follower', () => {
  // Long election timeouts: a loaded machine must not make n2 and n3 hold an election of their
  // own meanwhile, whose newer epoch would then outrank n1's and save the writes.
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'bully', writeTimeoutMs: 1000, electionTimeoutMinMs: 800, electionTimeoutMaxMs: 1000 } });

  // n1, cut off, hears no leader and, hearing no higher node either, declares itself leader of
  // a newer epoch; n3 goes on taking writes with n2's acknowledgement. The run ends in the
  // partition, which is then healed: n1's newer epoch wins and its older data replaces the
  // writes n3 acknowledged meanwhile. No write after the heal can cover them up.
  it('loses acknowledged writes, each one proven by the final state', { timeout: 90_000 }, async () => {
    await lab.waitForCluster((v) => v.leader === 'n3', { what: 'n3, the highest id, leading', timeoutMs: 15_000 });
    const id = await startWorkload(lab, {
      clients: 6,
      durationMs: 4500,
      keys: 3,
      mix: { write: 3, read: 1 },
      faults: [{ at: 1000, id: 'isolate-n1', fault: { kind: 'partition', groups: [['n1'], ['n2', 'n3']] } }],
    });
    const view = await waitForVerdict(lab, id);

    expect(view.verdict.lostWrites, view.verdict.sentences.join('\n')).toBeGreaterThan(0);
    expect(view.verdict.linearizable).toBe(false);
    expect(view.verdict.summary).toMatch(/^Not linearizable: \d+ of 3 keys · \d+ acknowledged writes? lost/);
    // Every lost write is an acknowledged write, and the key's final value on every node is older than it.
    const file = (await call<WorkloadHistoryFile>(lab.api(`/workloads/${id}/history`))).body;
    const byId = new Map(file.history.map((op) => [op.id, op]));
    const lost = view.verdict.anomalies.filter((a) => a.kind === 'lost-write');
    expect(lost.length).toBe(Math.min(view.verdict.lostWrites, 100));
    for (const a of lost) {
      const write = byId.get(a.opId!)!;
      expect(write.outcome).toBe('ok');
      const finals = Object.values(file.finalStates ?? {}).map((state) => state[a.key] ?? null);
      expect(finals.length).toBeGreaterThanOrEqual(2);
      for (const final of finals) {
        expect(final).not.toBe(write.value);
        const source = file.history.find((op) => op.kind === 'write' && op.key === a.key && op.value === final);
        // The value the cluster ended with was acknowledged before the lost write even began.
        if (source) expect(source.completeMs!).toBeLessThan(write.invokeMs);
      }
    }
    // The final state, read after the run, is what makes the lost writes a violation too; the diagram can draw those reads.
    expect(view.verdict.finalReads.map((op) => [op.client, op.key])).toEqual([0, 1, 2].map((i) => ['final-state', `${id}-k${i}`]));
    const partition = view.faults.find((f) => f.fault.kind === 'partition');
    expect(partition?.bit, partition?.effect).toBe(true);
  });
});

describe("reads of a follower's own copy", () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'bully' } });

  it('are stale while replication to that follower lags', { timeout: 90_000 }, async () => {
    const { leader } = await lab.waitForLeader();
    const follower = ['n1', 'n2', 'n3'].find((n) => n !== leader)!;
    const id = await startWorkload(lab, {
      clients: 4,
      durationMs: 4000,
      keys: 2,
      mix: { read: 2, write: 1 },
      read: 'local',
      through: follower,
      faults: [{ at: 0, id: 'slow', fault: { kind: 'delay', ms: 300, jitterMs: 0, from: leader!, to: follower } }],
    });
    const view = await waitForVerdict(lab, id);

    expect(view.verdict.staleReads, view.verdict.sentences.join('\n')).toBeGreaterThan(0);
    expect(view.verdict.summary).toMatch(/\d+ stale reads?/);
    const file = (await call<{ history: History }>(lab.api(`/workloads/${id}/history`))).body;
    const stale = view.verdict.anomalies.find((a) => a.kind === 'stale-read')!;
    const read = file.history.find((op) => op.id === stale.opId)!;
    expect(read.node).toBe(follower);
    expect(stale.sentence).toContain(`#${read.id}`);
  });
});

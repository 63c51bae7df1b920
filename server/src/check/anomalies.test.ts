import { describe, expect, it } from 'vitest';
import { findAnomalies } from './anomalies';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';
import { Rng } from '@clusterlab/shared';
import { registerOpsByKey } from './register-ops';
import { allSourcesPrecede, hasNoSource, readSources } from './sources';
import { findStaleReads } from './stale-reads';

describe('finding the named anomalies', () => {
  it('a clean history has none', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.read('k', '1', 200, 300);
    expect(findAnomalies(h.build(), { n1: { k: '1' }, n2: { k: '1' } })).toEqual({
      lostWrites: [],
      lostWritesChecked: true,
      staleReads: [],
      divergentReplicas: [],
      sentences: [],
      notes: [],
    });
  });

  it('reports lost writes, stale reads and divergent replicas together, one sentence each', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, 500);
    h.write('j', '1', 0, 100);
    const report = findAnomalies(h.build(), { n1: { k: '5', j: '1' }, n2: { k: '5', j: '2' } });
    expect(report.lostWrites).toHaveLength(1);
    expect(report.staleReads).toHaveLength(1);
    expect(report.divergentReplicas).toHaveLength(1);
    expect(report.sentences.map((s) => s.split(':')[0])).toEqual(['Lost write #2', 'Stale read #3', 'Divergent replicas']);
    expect(report.notes).toEqual(['Lost writes on j were not judged: the replicas disagree on it, so there is no one final value.']);
  });

  it('without final states no lost write is claimed, and the report says why', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, 500);
    const report = findAnomalies(h.build());
    expect(report.lostWrites).toEqual([]);
    expect(report.lostWritesChecked).toBe(false);
    expect(report.staleReads).toHaveLength(1); // the read is still stale: that needs no final state
    expect(report.notes).toEqual([
      "Lost writes and divergent replicas were not checked: they need each node's final state. " +
        'From reads alone, a write nobody read again may simply have been overwritten before anyone looked.',
    ]);
  });

  it('times in sentences count from the first invocation, or from a given origin', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 1000, 1100);
    h.write('k', '7', 1200, 1300);
    h.read('k', '5', 1400, 1500);
    expect(findAnomalies(h.build()).staleReads[0]?.sentence).toContain('write k=7 was acknowledged at t=0.30 s');
    expect(findAnomalies(h.build(), undefined, { originMs: 0 }).staleReads[0]?.sentence).toContain('write k=7 was acknowledged at t=1.30 s');
  });

  it('without final states there is nothing to say about replicas', () => {
    expect(findAnomalies([]).divergentReplicas).toEqual([]);
  });

  it('a history that makes no sense is refused', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '6', 0, 100, { outcome: 'ok' });
    const history = h.build().map((op) => ({ ...op, id: 1 }));
    expect(() => findAnomalies(history)).toThrow(/op 1: the id is used by another op too/);
  });
});

describe('the named anomalies agree with the linearizability check', () => {
  it('a history with a stale read is never linearizable', () => {
    const prng = new Rng(99);
    let seen = 0;
    for (let round = 0; round < 2000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(7));
      if (findAnomalies(history).staleReads.length === 0) continue;
      seen++;
      expect({ round, linearizable: checkLinearizability(history).linearizable }).toEqual({ round, linearizable: false });
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('a write is lost exactly when a read of the final state, made after everything, would be stale with it as an overwriter', () => {
    const prng = new Rng(7);
    let lostSeen = 0;
    let notLostSeen = 0;
    for (let round = 0; round < 2000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(7));
      // '4' is a value nobody writes (randomSmallHistory writes 1, 2 and 3).
      const finalValue = [null, '1', '2', '3', '4'][prng.int(5)]!;
      const report = findAnomalies(history, { n1: { k: finalValue }, n2: { k: finalValue } });
      const lostIds = report.lostWrites.map((l) => l.writeOpId);

      const finalRead = { id: history.length + 1, client: 'end', kind: 'read' as const, key: 'k', value: finalValue, invokeMs: 100, completeMs: 101, outcome: 'ok' as const };
      const withRead = [...history, finalRead];
      const ops = registerOpsByKey(withRead).get('k')!;
      const read = ops.find((op) => op.source.id === finalRead.id)!;
      const sources = readSources(read, ops);
      const overwriters = hasNoSource(sources)
        ? []
        : ops.filter((w) => w.kind === 'write' && w.source.outcome === 'ok' && w.value !== finalValue && allSourcesPrecede(sources, w));
      expect({ round, lostIds }).toEqual({ round, lostIds: overwriters.map((w) => w.source.id) });

      const stale = findStaleReads(withRead).some((s) => s.readOpId === finalRead.id);
      expect({ round, stale }).toEqual({ round, stale: lostIds.length > 0 });
      if (lostIds.length > 0) {
        lostSeen++;
        expect({ round, linearizable: checkLinearizability(withRead).linearizable }).toEqual({ round, linearizable: false });
      } else {
        notLostSeen++;
      }
    }
    expect(lostSeen).toBeGreaterThan(100);
    expect(notLostSeen).toBeGreaterThan(100);
  });
});

import { describe, expect, it } from 'vitest';
import { findAnomalies } from './anomalies';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';
import { Prng } from './prng';

describe('finding the named anomalies', () => {
  it('a clean history has none', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.read('k', '1', 200, 300);
    expect(findAnomalies(h.build(), { n1: { k: '1' }, n2: { k: '1' } })).toEqual({
      lostWrites: [],
      staleReads: [],
      divergentReplicas: [],
      sentences: [],
    });
  });

  it('reports lost writes, stale reads and divergent replicas together, one sentence each', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, 500);
    const report = findAnomalies(h.build(), { n1: { k: '7' }, n2: { k: '5' } });
    expect(report.lostWrites).toHaveLength(1);
    expect(report.staleReads).toHaveLength(1);
    expect(report.divergentReplicas).toHaveLength(1);
    expect(report.sentences.map((s) => s.split(':')[0])).toEqual(['Lost write #2', 'Stale read #3', 'Divergent replicas']);
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
  it('a history with a stale read or a lost write is never linearizable, and a lost write always comes with a stale read', () => {
    const prng = new Prng(99);
    let seen = 0;
    for (let round = 0; round < 2000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(7));
      const report = findAnomalies(history);
      if (report.lostWrites.length + report.staleReads.length === 0) continue;
      seen++;
      expect({ round, linearizable: checkLinearizability(history).linearizable }).toEqual({ round, linearizable: false });
      const staleReadIds = report.staleReads.map((s) => s.readOpId);
      for (const lost of report.lostWrites) expect(staleReadIds).toContain(lost.readOpId);
    }
    expect(seen).toBeGreaterThan(100);
  });
});

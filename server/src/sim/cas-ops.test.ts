import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, FAULT_FAMILIES, type FaultFamily } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { runSimulation } from './runner';
import { countOps } from './report';

/**
 * Simulated clients that compare-and-set as well as read, write and delete: a third of their
 * writes apply only if the key is still at the version the client last read. Raft must keep
 * every history linearizable under every fault kind — two racing compare-and-sets from one
 * version cannot both apply, which the checker's cas model would catch.
 */
const ROTATION = FAULT_FAMILIES.length + 1;
const familiesFor = (seed: number): FaultFamily[] => (seed % ROTATION < FAULT_FAMILIES.length ? [FAULT_FAMILIES[seed % ROTATION]!] : [...FAULT_FAMILIES]);

describe('compare-and-set clients on Raft', () => {
  it('leave linearizable histories under every fault kind, with races lost and won (seeds 1..90)', () => {
    const failures: string[] = [];
    const totals = { applied: 0, refused: 0 };
    for (let seed = 1; seed <= 90; seed++) {
      const r = runSimulation(defaultOptions({ seed, settings: { ...DEFAULT_SETTINGS, algorithm: 'raft' }, casShare: 0.3, durationMs: 8_000, faults: familiesFor(seed) }));
      const verdict = r.check!.linearizability;
      if (r.violation) failures.push(`seed ${seed}: ${r.violation.rule} — ${r.violation.detail.split('\n')[0]}\n  replay: ${r.replay}`);
      else if (verdict.verdict !== 'linearizable') failures.push(`seed ${seed}: ${verdict.explanation.split('\n')[0]}\n  replay: ${r.replay}`);
      const cas = countOps(r.history).cas;
      totals.applied += cas.ok;
      totals.refused += cas.fail;
    }
    expect(failures).toEqual([]);
    expect(totals.applied, 'compare-and-sets that applied').toBeGreaterThan(90 * 20);
    expect(totals.refused, 'compare-and-sets refused because the key had moved on').toBeGreaterThan(90 * 10);
  });
});

describe('compare-and-set clients on bully', () => {
  it('are not kept linearizable through a partition: a leader cut off with a minority still applies them', () => {
    const broken: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const r = runSimulation(defaultOptions({ seed, casShare: 0.3, durationMs: 8_000, faults: ['partitions'] }));
      expect(r.violation, `seed ${seed}`).toBeNull();
      if (r.check!.linearizability.verdict === 'not-linearizable') broken.push(seed);
    }
    expect(broken.length, `seeds not linearizable: ${broken.join(', ')}`).toBeGreaterThanOrEqual(4);
  });
});

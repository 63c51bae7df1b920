import { describe, expect, it } from 'vitest';
import { REFERENCE_MAX_OPS_PER_KEY, referenceLinearizable } from '../check/reference-checker';
import { defaultOptions } from './options';
import { runSimulation } from './runner';

/**
 * Real simulator histories, held against the brute-force reference checker that shares no
 * code with the real one. Short runs over many keys keep each key small enough for brute force;
 * bully reads from any node under partitions and crashes give plenty of stale reads.
 */
describe('the checker and the brute-force reference agree on simulator histories', () => {
  it('over many seeds of bully, reads from any node, partitions and crashes', () => {
    let compared = 0;
    let violated = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const result = runSimulation(defaultOptions({ seed, durationMs: 2000, keys: 10, clients: 4, readFrom: 'any', faults: ['partitions', 'crashes'] }));
      const perKey = new Map<string, number>();
      for (const op of result.history) perKey.set(op.key, (perKey.get(op.key) ?? 0) + 1);
      if (Math.max(...perKey.values()) > REFERENCE_MAX_OPS_PER_KEY) continue;
      const reference = referenceLinearizable(result.history);
      const checker = result.check!.linearizability;
      expect({ seed, verdict: checker.verdict }).toEqual({ seed, verdict: reference ? 'linearizable' : 'not-linearizable' });
      compared++;
      if (!reference) violated++;
    }
    // Enough runs of each verdict for the comparison to mean something.
    expect(compared).toBeGreaterThan(25);
    expect(violated).toBeGreaterThan(5);
    expect(compared - violated).toBeGreaterThan(3);
  });
});

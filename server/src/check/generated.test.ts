import { describe, expect, it } from 'vitest';
import { findAnomalies } from './anomalies';
import { generateLinearizableHistory, injectDoubleCas, injectStaleRead } from './generate-history';
import { checkLinearizability } from './linearizability';

describe('generated histories', () => {
  const big = generateLinearizableHistory({ seed: 1, ops: 10_000, keys: 100, clients: 10 });

  it('the generator produces what it promises: overlapping ops, unknown and failed outcomes', () => {
    expect(big).toHaveLength(10_000);
    expect(new Set(big.map((op) => op.key)).size).toBe(100);
    expect(new Set(big.map((op) => op.client)).size).toBe(10);
    expect(big.some((op) => op.outcome === 'unknown')).toBe(true);
    expect(big.some((op) => op.outcome === 'fail')).toBe(true);
    const overlapping = big.filter((op, i) => i > 0 && big[i - 1]!.completeMs !== null && big[i - 1]!.completeMs! > op.invokeMs);
    expect(overlapping.length).toBeGreaterThan(1000);
  });

  it('a linearizable history of 10,000 ops over 100 keys from 10 clients checks as linearizable', () => {
    const result = checkLinearizability(big);
    expect(result.verdict).toBe('linearizable');
    expect(result.keys).toHaveLength(100);
    expect(result.keys.every((k) => k.verdict === 'linearizable')).toBe(true);
    const anomalies = findAnomalies(big);
    expect(anomalies.sentences).toEqual([]);
  });

  it('one stale read injected into it is found, on its key, with the read and its source in the witness', () => {
    const injected = injectStaleRead(big, 7);
    if (!injected) throw new Error('the generated history has no read to make stale');
    const read = injected.history.find((op) => op.id === injected.readOpId)!;

    const result = checkLinearizability(injected.history);
    expect(result.verdict).toBe('not-linearizable');
    const bad = result.keys.filter((k) => k.verdict === 'not-linearizable');
    expect(bad.map((k) => k.key)).toEqual([read.key]);
    const violation = bad[0]?.verdict === 'not-linearizable' ? bad[0].violation : undefined;
    expect(violation?.culpritOpId).toBe(injected.readOpId);
    expect(violation?.witnessOpIds).toContain(injected.sourceOpId);
    expect(violation?.witness.length).toBeLessThanOrEqual(4);
    expect(result.explanation).toContain('(which started after it finished)');

    expect(findAnomalies(injected.history).staleReads.map((s) => s.readOpId)).toEqual([injected.readOpId]);
  });

  it('many seeds with few keys and heavy overlap all check as linearizable, and each injected stale read is found and narrowed down', () => {
    for (let seed = 100; seed < 110; seed++) {
      const history = generateLinearizableHistory({ seed, ops: 2000, keys: 3, clients: 10, unknownRate: 0.05 });
      expect({ seed, verdict: checkLinearizability(history).verdict }).toEqual({ seed, verdict: 'linearizable' });
      const injected = injectStaleRead(history, seed);
      if (!injected) continue;
      const result = checkLinearizability(injected.history);
      const bad = result.keys.find((k) => k.verdict === 'not-linearizable');
      const violation = bad?.verdict === 'not-linearizable' ? bad.violation : undefined;
      expect({ seed, verdict: result.verdict, culprit: violation?.culpritOpId, small: violation!.witness.length <= 4 }).toEqual({
        seed, verdict: 'not-linearizable', culprit: injected.readOpId, small: true,
      });
    }
  });

  it('with cas among the writes: linearizable as generated, and two cas made to succeed from one value are found and named', () => {
    for (let seed = 200; seed < 205; seed++) {
      const history = generateLinearizableHistory({ seed, ops: 3000, keys: 10, clients: 10, unknownRate: 0.05, casRate: 0.4 });
      expect(history.filter((op) => op.kind === 'cas' && op.outcome === 'ok').length).toBeGreaterThan(300);
      const result = checkLinearizability(history);
      expect({ seed, verdict: result.verdict }).toEqual({ seed, verdict: 'linearizable' });
      expect(findAnomalies(history).sentences).toEqual([]);

      const injected = injectDoubleCas(history, seed);
      if (!injected) throw new Error(`seed ${seed}: no two cas to make collide`);
      const bad = checkLinearizability(injected.history).keys.filter((k) => k.verdict === 'not-linearizable');
      const key = injected.history.find((op) => op.id === injected.casOpIds[0])!.key;
      expect({ seed, keys: bad.map((k) => k.key) }).toEqual({ seed, keys: [key] });
      const violation = bad[0]?.verdict === 'not-linearizable' ? bad[0].violation : undefined;
      expect({ seed, small: violation!.witness.length <= 4, cas: violation!.witnessOpIds.includes(injected.casOpIds[1]) }).toEqual({ seed, small: true, cas: true });
    }
  });
});

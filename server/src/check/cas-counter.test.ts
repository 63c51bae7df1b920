import { describe, expect, it } from 'vitest';
import { casCounterHistory } from './cas-counter';
import { DEFAULT_MAX_STATES_PER_KEY, checkLinearizability } from './linearizability';

describe('a counter incremented by cas retry loops', () => {
  const history = casCounterHistory({ seed: 1, clients: 20, increments: 20 });
  const count = (kind: string, outcome: string) => history.filter((op) => op.kind === kind && op.outcome === outcome).length;

  it('is what a counter under contention looks like: 401 cas that took effect, one per value from 0 to 400, and many that failed', () => {
    const applied = history.filter((op) => op.kind === 'cas' && op.outcome === 'ok');
    expect(applied).toHaveLength(401);
    expect(applied.map((op) => Number(op.value)).sort((a, b) => a - b)).toEqual(Array.from({ length: 401 }, (_, i) => i));
    expect(count('cas', 'fail')).toBeGreaterThan(1000);
    expect(count('read', 'ok')).toBeGreaterThan(1000);
    expect(new Set(history.map((op) => op.key))).toEqual(new Set(['counter']));
  });

  it('is decided linearizable by the search, far inside its work limit and in well under a second', () => {
    const result = checkLinearizability(history);
    expect(result.verdict).toBe('linearizable');
    const [key] = result.keys;
    expect(key).toMatchObject({ key: 'counter', method: 'search' });
    // From each value only the cas that expected it fits: the search walks the chain.
    expect(key!.exploredStates).toBeLessThan(DEFAULT_MAX_STATES_PER_KEY / 20);
    // Seconds of headroom on a busy machine; on an idle one it takes about a tenth of a second.
    expect(key!.ms).toBeLessThan(2000);
  });

  it('stays cheap with timeouts: attempts that may or may not have taken effect', () => {
    for (const seed of [2, 3]) {
      const flaky = casCounterHistory({ seed, clients: 20, increments: 20, unknownRate: 0.05 });
      expect(flaky.filter((op) => op.kind === 'cas' && op.outcome === 'unknown').length).toBeGreaterThan(50);
      const [key] = checkLinearizability(flaky).keys;
      expect({ seed, verdict: key!.verdict }).toEqual({ seed, verdict: 'linearizable' });
      expect(key!.exploredStates).toBeLessThan(DEFAULT_MAX_STATES_PER_KEY / 20);
      expect(key!.ms).toBeLessThan(2000);
    }
  });

  it('two increments from one value, as a server that let both If-Match through would report, are found and named', () => {
    const loser = history.find((op) => op.kind === 'cas' && op.outcome === 'fail' && op.expected === '200')!;
    const winner = history.find((op) => op.kind === 'cas' && op.outcome === 'ok' && op.expected === '200')!;
    const source = history.find((op) => op.kind === 'cas' && op.outcome === 'ok' && op.value === '200')!;
    const broken = history.map((op) => (op.id === loser.id ? { ...op, outcome: 'ok' as const } : op));
    const [key] = checkLinearizability(broken).keys;
    expect(key!.verdict).toBe('not-linearizable');
    expect(key!.ms).toBeLessThan(5000);
    const violation = key!.verdict === 'not-linearizable' ? key!.violation : undefined;
    expect(violation?.witnessOpIds.sort((a, b) => a - b)).toEqual([source.id, winner.id, loser.id].sort((a, b) => a - b));
    expect(violation?.reason).toMatch(
      new RegExp(
        `^cas #\\d+ at t=[\\d.]+ s and cas #\\d+ at t=[\\d.]+ s both changed counter from 200 \\(both to 201\\), but only one of ` +
          `them can have seen 200: the only write of 200 either could have found is #${source.id}, so whichever came ` +
          `second would have found it already replaced by the first$`,
      ),
    );
  });
});

import { Rng } from '@clusterlab/shared';
import { describe, expect, it } from 'vitest';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { shrinkViolation } from './minimize';
import { registerOpsByKey } from './register-ops';
import { searchLinearization } from './search';

describe('shrinking a violation with cas to a witness', () => {
  it('a cas chain is not dragged in: the link the colliding cas found stands as a plain write of its value', () => {
    const h = new HistoryBuilder();
    h.write('k', '0', 0, 10);
    for (let i = 0; i < 10; i++) h.cas('k', String(i), String(i + 1), 20 + i * 20, 30 + i * 20);
    const a = h.cas('k', '10', '11', 300, 320);
    const b = h.cas('k', '10', '12', 310, 330);
    const ops = registerOpsByKey(h.build()).get('k')!;
    const witness = shrinkViolation(ops, { remaining: 1_000_000 });
    expect(witness.minimal).toBe(true);
    expect(witness.ops.map((op) => [op.source.id, op.kind])).toEqual([
      [11, 'write'], // cas k: 9 → 10, judged without the write of 9 it found
      [a, 'cas'],
      [b, 'cas'],
    ]);
  });

  it('every witness has no valid order, and holds only ops of the history, a cas at most weakened to a write', () => {
    const prng = new Rng(12);
    let shrunk = 0;
    for (let round = 0; round < 2000; round++) {
      const ops = registerOpsByKey(randomSmallHistory(prng, 3 + prng.int(8), { cas: true })).get('k') ?? [];
      if (searchLinearization(ops, 1_000_000).kind !== 'violation') continue;
      shrunk++;
      const witness = shrinkViolation(ops, { remaining: 1_000_000 });
      expect({ round, verdict: searchLinearization(witness.ops, 1_000_000).kind }).toEqual({ round, verdict: 'violation' });
      for (const op of witness.ops) {
        const original = ops.find((o) => o.source === op.source)!;
        expect(op === original || (original.kind === 'cas' && op.kind === 'write' && op.value === original.value)).toBe(true);
      }
    }
    expect(shrunk).toBeGreaterThan(500);
  });
});

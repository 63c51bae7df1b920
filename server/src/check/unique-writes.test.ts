import type { History, HistoryOp } from '@clusterlab/shared';
import { Rng } from '@clusterlab/shared';
import { describe, expect, it } from 'vitest';
import { generateLinearizableHistory, injectStaleRead } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';
import { registerOpsByKey, type RegisterOp } from './register-ops';
import { applyOp, searchLinearization } from './search';
import { stressCase } from './stress-cases';
import { decideUniqueWrites } from './unique-writes';

const SEARCH_STEPS = 2_000_000;

/** Both checks on every key; tallies where the fast one applied and what it said. */
function compareOnKeys(history: History, tally: Tally, label: string): void {
  for (const [key, ops] of registerOpsByKey(history)) {
    const fast = decideUniqueWrites(ops);
    if (!fast) {
      tally.declined++;
      continue;
    }
    const search = searchLinearization(ops, SEARCH_STEPS);
    if (search.kind === 'gave-up') continue;
    expect({ label, key, verdict: fast.kind }).toEqual({ label, key, verdict: search.kind });
    if (fast.kind === 'linearizable') expectValidOrder(ops, fast.order);
    if (fast.kind !== 'gave-up') tally[fast.kind]++;
  }
}

interface Tally {
  linearizable: number;
  violation: number;
  declined: number;
}
const newTally = (): Tally => ({ linearizable: 0, violation: 0, declined: 0 });

function expectValidOrder(ops: readonly RegisterOp[], order: readonly number[]): void {
  let state: string | null = null;
  for (const [position, i] of order.entries()) {
    const next = applyOp(state, ops[i]!);
    expect(next).not.toBeUndefined();
    state = next ?? null;
    for (const later of order.slice(position + 1)) expect(ops[later]!.returnMs < ops[i]!.invokeMs).toBe(false);
  }
  ops.forEach((op, i) => {
    if (op.returnMs !== Infinity) expect(order).toContain(i);
  });
}

/**
 * A small one-key history with unique written values, deletes, unknown outcomes and reads of
 * any value written (or absent), at small integer times so that ops overlap: both verdicts,
 * and absent reads with one, several or no live source.
 */
function randomUniqueHistory(prng: Rng, size: number, mix = { deletes: 0.15, absentReads: 0.3 }): History {
  const history: HistoryOp[] = [];
  let written = 0;
  for (let id = 1; id <= size; id++) {
    const invokeMs = prng.int(12);
    const roll = prng.next();
    const kind: HistoryOp['kind'] = roll < 0.5 ? 'read' : roll < 0.5 + mix.deletes ? 'delete' : 'write';
    const absent = prng.chance(mix.absentReads);
    const value = kind === 'write' ? String(++written) : kind === 'delete' || absent ? null : String(1 + prng.int(Math.max(1, written + 1)));
    const outcome: HistoryOp['outcome'] = kind !== 'read' && prng.chance(0.2) ? 'unknown' : prng.chance(0.05) ? 'fail' : 'ok';
    const completeMs = outcome === 'unknown' ? null : invokeMs + prng.int(6);
    history.push({ id, client: `c${id}`, kind, key: 'k', value, invokeMs, completeMs, outcome });
  }
  return history;
}

/** Breaks a linearizable history in small ways: a read returns another value, or an op moves in time. */
function mutate(history: History, prng: Rng): History {
  const copy = history.map((op) => ({ ...op }));
  const reads = copy.filter((op) => op.kind === 'read' && op.outcome === 'ok');
  if (reads.length === 0) return copy;
  const read = reads[prng.int(reads.length)]!;
  const values = copy.filter((op) => op.key === read.key && op.kind !== 'read').map((op) => op.value);
  if (prng.chance(0.7) && values.length > 0) read.value = values[prng.int(values.length)]!;
  else {
    const shift = prng.uniform(20, 200);
    read.invokeMs += shift;
    read.completeMs! += shift;
  }
  return copy;
}

describe('the unique-writes check agrees with the search', () => {
  it('on thousands of small random histories with unique values, deletes and unknown outcomes', () => {
    const prng = new Rng(97);
    const tally = newTally();
    for (let round = 0; round < 4000; round++) compareOnKeys(randomUniqueHistory(prng, 3 + prng.int(9)), tally, `round ${round}`);
    // Both verdicts, and enough decided by the fast check, or the comparison proves little.
    expect(tally.linearizable).toBeGreaterThan(500);
    expect(tally.violation).toBeGreaterThan(500);
    expect(tally.declined).toBeLessThan(100);
  });

  it('on thousands more where most ops are deletes and reads that found the key absent', () => {
    const prng = new Rng(98);
    const tally = newTally();
    for (let round = 0; round < 4000; round++) {
      compareOnKeys(randomUniqueHistory(prng, 3 + prng.int(10), { deletes: 0.3, absentReads: 0.7 }), tally, `round ${round}`);
    }
    expect(tally.linearizable).toBeGreaterThan(500);
    expect(tally.violation).toBeGreaterThan(500);
    expect(tally.declined).toBeLessThan(200);
  });

  it('on generated histories, as generated, with a stale read injected, and mutated', () => {
    const prng = new Rng(5);
    const tally = newTally();
    for (let seed = 1; seed <= 60; seed++) {
      const history = generateLinearizableHistory({ seed, ops: 120, keys: 4, clients: 6, unknownRate: 0.1 });
      compareOnKeys(history, tally, `seed ${seed}`);
      const injected = injectStaleRead(history, seed);
      if (injected) compareOnKeys(injected.history, tally, `seed ${seed}, stale read`);
      for (let m = 0; m < 3; m++) compareOnKeys(mutate(history, prng), tally, `seed ${seed}, mutation ${m}`);
    }
    expect(tally.linearizable).toBeGreaterThan(200);
    expect(tally.violation).toBeGreaterThan(60);
  });

  it('on the stress cases small enough for the search, and on variants of them', () => {
    const tally = newTally();
    for (const family of ['overlapping', 'unknown-chain', 'ordered-reads'] as const) {
      for (const size of [8, 10, 12, 14, 16]) {
        for (let seed = 0; seed < 5; seed++) {
          for (const violation of [false, 'a-b-a', 'read-from-the-future'] as const) {
            const c = stressCase(family, size, violation, 300 + seed);
            compareOnKeys(c.history, tally, c.name);
          }
        }
      }
    }
    expect(tally.linearizable).toBeGreaterThan(50);
    expect(tally.violation).toBeGreaterThan(100);
  });

  it('leaves to the search what none of its ways of placing absent reads fits', () => {
    // The last read found the key absent: the first delete, or the unknown one landing late. The
    // order that fits puts the unknown delete after the read of 1, which no guess here tries.
    const h = new HistoryBuilder();
    h.read('k', null, 8, 8);
    h.write('k', '1', 4, 9);
    h.delete('k', 3, 5);
    h.delete('k', 5, null);
    h.read('k', '1', 14, 18);
    h.read('k', null, 12, 18);
    const history = h.build();
    expect(decideUniqueWrites(registerOpsByKey(history).get('k')!)).toBeUndefined();
    expect(checkLinearizability(history).keys).toMatchObject([{ verdict: 'linearizable', method: 'search' }]);
  });

  it('proves a violation without the absent reads whose source is open, when there is one without them', () => {
    const h = new HistoryBuilder();
    h.delete('k', 0, 10);
    h.read('k', null, 5, 15); // the initial state or the delete
    h.write('k', '1', 20, 30);
    h.write('k', '2', 40, 50);
    h.read('k', '1', 60, 70); // stale
    const result = checkLinearizability(h.build());
    expect(result.keys).toMatchObject([{ verdict: 'not-linearizable', method: 'unique-writes' }]);
    const [key] = result.keys;
    expect(key?.verdict === 'not-linearizable' && key.violation?.witnessOpIds).toEqual([3, 4, 5]);
  });

  it('proves linearizable, with a guessed source, an absent read that the initial state and a delete could both explain', () => {
    const h = new HistoryBuilder();
    h.delete('k', 0, 10);
    h.read('k', null, 5, 15);
    expect(checkLinearizability(h.build()).keys).toMatchObject([{ verdict: 'linearizable', method: 'unique-writes' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { Rng } from '@clusterlab/shared';
import { registerOpsByKey, type RegisterOp, type RegisterValue } from './register-ops';
import { applyOp, searchLinearization } from './search';

/**
 * The definition, executed literally: try every order of every allowed subset (ops with an
 * unknown outcome may be left out), keep those that respect real time, replay each against a
 * register. Exponential, so only for a handful of ops — which is what makes it a trustworthy
 * oracle for the clever search.
 */
function bruteForceLinearizable(ops: readonly RegisterOp[]): boolean {
  const placed: RegisterOp[] = [];
  const used = new Set<RegisterOp>();
  const extend = (state: RegisterValue): boolean => {
    if (ops.every((op) => used.has(op) || op.returnMs === Infinity)) return true;
    for (const op of ops) {
      if (used.has(op)) continue;
      // Real time: every unplaced op that must happen (or was left for later) and finished
      // before `op` started would end up after it.
      const blocked = ops.some((other) => other !== op && !used.has(other) && other.returnMs < op.invokeMs);
      if (blocked) continue;
      const next = applyOp(state, op);
      if (next === undefined) continue;
      used.add(op);
      placed.push(op);
      if (extend(next)) return true;
      placed.pop();
      used.delete(op);
    }
    return false;
  };
  return extend(null);
}

/** When the search finds an order: it replays against the register, respects real time, and holds every op that must have happened. */
function expectValidOrder(ops: readonly RegisterOp[]): void {
  const outcome = searchLinearization(ops, 1_000_000);
  if (outcome.kind !== 'linearizable') return;
  let state: RegisterValue = null;
  const order = outcome.order.map((i) => ops[i]!);
  for (const [position, op] of order.entries()) {
    const next = applyOp(state, op);
    expect(next).not.toBeUndefined();
    state = next ?? null;
    for (const later of order.slice(position + 1)) expect(later.returnMs < op.invokeMs).toBe(false);
  }
  const definite = ops.filter((op) => op.returnMs !== Infinity);
  for (const op of definite) expect(order).toContain(op);
}

describe('the Wing–Gong/Lowe search', () => {
  it('agrees with trying every order, on thousands of small random histories', () => {
    const prng = new Rng(20240611);
    let violations = 0;
    for (let round = 0; round < 3000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(6));
      const ops = registerOpsByKey(history).get('k') ?? [];
      const expected = bruteForceLinearizable(ops);
      const outcome = searchLinearization(ops, 1_000_000);
      if (outcome.kind === 'violation') violations++;
      expect({ round, verdict: outcome.kind }).toEqual({ round, verdict: expected ? 'linearizable' : 'violation' });
    }
    // The generator must produce both verdicts, or the comparison proves little.
    expect(violations).toBeGreaterThan(300);
    expect(violations).toBeLessThan(2700);
  });

  it('agrees with trying every order on small random histories with cas, from and to values that repeat', () => {
    const prng = new Rng(5150);
    let violations = 0;
    let withCas = 0;
    for (let round = 0; round < 3000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(6), { cas: true });
      if (history.some((op) => op.kind === 'cas')) withCas++;
      const ops = registerOpsByKey(history).get('k') ?? [];
      const expected = bruteForceLinearizable(ops);
      const outcome = searchLinearization(ops, 1_000_000);
      if (outcome.kind === 'violation') violations++;
      expect({ round, verdict: outcome.kind }).toEqual({ round, verdict: expected ? 'linearizable' : 'violation' });
    }
    expect(withCas).toBeGreaterThan(1000);
    expect(violations).toBeGreaterThan(300);
    expect(violations).toBeLessThan(2700);
  });

  it('returns an order that replays correctly and respects real time', () => {
    const prng = new Rng(7);
    for (let round = 0; round < 500; round++) expectValidOrder(registerOpsByKey(randomSmallHistory(prng, 6)).get('k') ?? []);
  });

  it('returns such an order with cas too: each finds what it expected there', () => {
    const prng = new Rng(8);
    for (let round = 0; round < 500; round++) expectValidOrder(registerOpsByKey(randomSmallHistory(prng, 6, { cas: true })).get('k') ?? []);
  });

  it('on a violation, reports the longest order it managed and the op it could not place', () => {
    const ops = registerOpsByKey([
      { id: 1, client: 'a', kind: 'write', key: 'k', value: '1', invokeMs: 0, completeMs: 10, outcome: 'ok' },
      { id: 2, client: 'b', kind: 'write', key: 'k', value: '2', invokeMs: 20, completeMs: 30, outcome: 'ok' },
      { id: 3, client: 'c', kind: 'read', key: 'k', value: '1', invokeMs: 40, completeMs: 50, outcome: 'ok' },
    ]).get('k')!;
    const outcome = searchLinearization(ops, 1000);
    expect(outcome).toMatchObject({ kind: 'violation', longestPrefix: [0, 1], stuckOp: 2 });
  });

  it('does not try reads of one value in every subset: once a read that fitted fails, so has the path before it', () => {
    // Twenty reads in flight while the key holds 1 (written twice, so the search decides), then one
    // too many: proving that needs no order of those reads tried, only the one where they fit.
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 10);
    h.write('k', '1', 0, 10);
    for (let i = 0; i < 20; i++) h.read('k', '1', 20 + i, 200);
    h.write('k', '2', 20, 200);
    h.read('k', '2', 100, 110);
    h.read('k', '1', 300, 310);
    const outcome = searchLinearization(registerOpsByKey(h.build()).get('k')!, 1_000_000);
    expect(outcome.kind).toBe('violation');
    expect(outcome.steps).toBeLessThan(5000);
  });

  it('stops at its step limit', () => {
    const ops = registerOpsByKey(
      Array.from({ length: 8 }, (_, i) => ({
        id: i, client: `c${i}`, kind: 'write' as const, key: 'k', value: String(i), invokeMs: 0, completeMs: 10, outcome: 'ok' as const,
      })),
    ).get('k')!;
    expect(searchLinearization([...ops, { ...ops[0]!, kind: 'read', value: 'x', invokeMs: 20, returnMs: 30 }], 50)).toEqual({
      kind: 'gave-up',
      steps: 50,
    });
  });
});

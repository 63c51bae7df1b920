import type { History } from '@clusterlab/shared';
import { Rng } from '@clusterlab/shared';
import { describe, expect, it } from 'vitest';
import { generateLinearizableHistory, injectDoubleCas, injectStaleRead, randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';
import { referenceLinearizable } from './reference-checker';
import { stressCase } from './stress-cases';

/** The real checker's verdict, which must be decided. */
function verdict(history: History): boolean {
  const result = checkLinearizability(history, { explain: false });
  expect(result.verdict).not.toBe('unknown');
  return result.linearizable;
}

/** Histories whose verdict is known by construction, and the verdict. */
function knownCases(): { name: string; history: History; linearizable: boolean }[] {
  const cases: { name: string; history: History; linearizable: boolean }[] = [];
  // Like the simulator's: clients one op at a time, overlapping, some timeouts and failures.
  for (let seed = 1; seed <= 150; seed++) {
    const history = generateLinearizableHistory({ seed, ops: 14 + (seed % 10), keys: 1 + (seed % 2), clients: 5, unknownRate: 0.15, failRate: 0.05 });
    cases.push({ name: `generated ${seed}`, history, linearizable: true });
    const injected = injectStaleRead(history, seed);
    if (injected) cases.push({ name: `generated ${seed}, stale read`, history: injected.history, linearizable: false });
  }
  // Many overlapping ops, and chains of unknown outcomes, at sizes brute force can still try.
  for (const family of ['overlapping', 'unknown-chain', 'ordered-reads'] as const) {
    for (let seed = 0; seed < 12; seed++) {
      for (const violation of [false, 'a-b-a', 'read-from-the-future'] as const) {
        const c = stressCase(family, 10 + (seed % 8), violation, 500 + seed);
        cases.push({ name: c.name, history: c.history, linearizable: c.linearizable });
      }
    }
  }
  cases.push(...lateUnknownWrites());
  return cases;
}

/**
 * Writes that timed out and must be assumed to have landed late, after writes begun and even
 * acknowledged long after them — and the same with one read too many, which no landing time
 * explains.
 */
function lateUnknownWrites(): { name: string; history: History; linearizable: boolean }[] {
  const cases: { name: string; history: History; linearizable: boolean }[] = [];
  for (let n = 2; n <= 6; n++) {
    // Unknown writes u1..un invoked early; an acknowledged write; reads see un, then u(n-1), ... u1:
    // each must have landed after the acknowledged write and in reverse order of invocation.
    const h = new HistoryBuilder();
    for (let i = 1; i <= n; i++) h.write('k', `u${i}`, i, null);
    h.write('k', 'acked', 100, 110);
    h.read('k', 'acked', 120, 130);
    for (let i = n; i >= 1; i--) h.read('k', `u${i}`, 200 + (n - i) * 20, 210 + (n - i) * 20);
    cases.push({ name: `${n} unknown writes landing late, in reverse`, history: h.build(), linearizable: true });
    // Reading u(n) again after u1 would need u(n) to land twice.
    h.read('k', `u${n}`, 1000, 1010);
    cases.push({ name: `${n} unknown writes landing late, one landing twice`, history: h.build(), linearizable: false });
  }
  // An unknown delete that must land late, after the key was written again.
  const d = new HistoryBuilder();
  d.write('k', '1', 0, 10);
  d.delete('k', 20, null);
  d.write('k', '2', 30, 40);
  d.read('k', '2', 50, 60);
  d.read('k', null, 70, 80);
  cases.push({ name: 'an unknown delete landing after a later write', history: d.build(), linearizable: true });
  d.read('k', '2', 90, 100);
  cases.push({ name: 'an unknown delete landing, then its overwritten value read', history: d.build(), linearizable: false });
  return cases;
}

describe('an independent brute-force checker', () => {
  it('gives the verdict each known case was built to have, and so does checkLinearizability', () => {
    const cases = knownCases();
    expect(cases.length).toBeGreaterThan(350);
    expect(cases.filter((c) => !c.linearizable).length).toBeGreaterThan(150);
    for (const c of cases) {
      expect({ name: c.name, reference: referenceLinearizable(c.history) }).toEqual({ name: c.name, reference: c.linearizable });
      expect({ name: c.name, checker: verdict(c.history) }).toEqual({ name: c.name, checker: c.linearizable });
    }
  });

  it('gives the verdict generated histories with cas were built to have, and so does checkLinearizability', () => {
    const cases: { name: string; history: History; linearizable: boolean }[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const history = generateLinearizableHistory({ seed, ops: 14 + (seed % 9), keys: 1 + (seed % 2), clients: 5, unknownRate: 0.15, failRate: 0.05, casRate: 0.5 });
      cases.push({ name: `generated ${seed} with cas`, history, linearizable: true });
      const double = injectDoubleCas(history, seed);
      if (double) cases.push({ name: `generated ${seed} with cas, two from one value`, history: double.history, linearizable: false });
      const stale = injectStaleRead(history, seed);
      if (stale) cases.push({ name: `generated ${seed} with cas, stale read`, history: stale.history, linearizable: false });
    }
    expect(cases.filter((c) => c.history.some((op) => op.kind === 'cas' && op.outcome === 'ok')).length).toBeGreaterThan(250);
    expect(cases.filter((c) => c.name.endsWith('two from one value')).length).toBeGreaterThan(75);
    for (const c of cases) {
      expect({ name: c.name, reference: referenceLinearizable(c.history) }).toEqual({ name: c.name, reference: c.linearizable });
      expect({ name: c.name, checker: verdict(c.history) }).toEqual({ name: c.name, checker: c.linearizable });
    }
  });

  it('agrees with checkLinearizability on thousands of tiny histories where values repeat', () => {
    const prng = new Rng(31337);
    let violations = 0;
    for (let round = 0; round < 2000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(8));
      const reference = referenceLinearizable(history);
      if (!reference) violations++;
      expect({ round, checker: verdict(history) }).toEqual({ round, checker: reference });
    }
    expect(violations).toBeGreaterThan(200);
    expect(violations).toBeLessThan(1800);
  });

  it('agrees on thousands of tiny histories with cas, from and to values that repeat', () => {
    const prng = new Rng(4242);
    let violations = 0;
    for (let round = 0; round < 3000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(9), { cas: true });
      const reference = referenceLinearizable(history);
      if (!reference) violations++;
      expect({ round, checker: verdict(history) }).toEqual({ round, checker: reference });
    }
    expect(violations).toBeGreaterThan(300);
    expect(violations).toBeLessThan(2700);
  });
});

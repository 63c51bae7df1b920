import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, FAULT_FAMILIES, type AlgorithmId, type FaultFamily } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { runSimulation } from './runner';

/**
 * Simulation tests (DESIGN.md, "Testing" step 2): many seeds of random faults, every invariant
 * checked after every step, convergence checked once the faults are mended. Seed s draws its
 * faults from one family alone (s mod (F + 1) < F, for F families) or from all of them mixed.
 * A failure names the seed and the command that replays it. One file per cluster size, so
 * the test runner spreads them over both cores.
 */
const SEEDS = Array.from({ length: 250 }, (_, i) => i + 1);
const ROTATION = FAULT_FAMILIES.length + 1;
const familiesFor = (seed: number): FaultFamily[] => (seed % ROTATION < FAULT_FAMILIES.length ? [FAULT_FAMILIES[seed % ROTATION]!] : [...FAULT_FAMILIES]);

export function describeManySeeds(nodes: number, algorithm: AlgorithmId = 'bully'): void {
  const settings = { ...DEFAULT_SETTINGS, algorithm };
  const promise = algorithm === 'raft' ? ', lose no acknowledged write' : '';
  describe(`${algorithm}: ${nodes}-node clusters under random faults`, () => {
    for (const half of [SEEDS.slice(0, 125), SEEDS.slice(125)]) {
      it(`keep every invariant${promise} and converge after healing (seeds ${half[0]}..${half.at(-1)})`, () => {
        const failures: string[] = [];
        for (const seed of half) {
          const r = runSimulation(defaultOptions({ seed, nodes, settings, durationMs: 15_000, faults: familiesFor(seed), check: false }));
          if (r.violation) failures.push(`seed ${seed}: ${r.violation.rule} at ${r.violation.atMs} ms — ${r.violation.detail.split('\n')[0]}\n  replay: ${r.replay}`);
          else expect(r.settledAtMs, `seed ${seed} settled`).not.toBeNull();
        }
        expect(failures).toEqual([]);
      });
    }
  });
}

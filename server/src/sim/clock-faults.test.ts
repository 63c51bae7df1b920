import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AlgorithmId, type NodeId } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { runSimulation, type SimResult } from './runner';

/**
 * A node whose clock jumps ahead by more than an election timeout (1–3 s against 200–300 ms)
 * and, three seconds later, back. Its core sees the skewed time; the trace and the history
 * keep true time. Each seed skews another node, at another moment, by another amount.
 */
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

type Skew = { node: NodeId; atMs: number; offsetMs: number };
const skewOf = (seed: number): Skew => ({ node: `n${(seed % 3) + 1}`, atMs: 2000 + ((seed * 131) % 3000), offsetMs: 1000 + ((seed * 397) % 2000) });

function run(algorithm: AlgorithmId, seed: number): { r: SimResult; skew: Skew } {
  const skew = skewOf(seed);
  const r = runSimulation(
    defaultOptions({
      seed,
      settings: { ...DEFAULT_SETTINGS, algorithm },
      trace: true,
      schedule: {
        file: 'clock-ahead.json',
        faults: [
          { at: skew.atMs, id: 'ahead', fault: { kind: 'clock', node: skew.node, offsetMs: skew.offsetMs } },
          { at: skew.atMs + 3000, heal: 'ahead' },
        ],
      },
    }),
  );
  return { r, skew };
}

describe('a node whose clock runs ahead by more than an election timeout', () => {
  it(`Raft keeps every promise: invariants, no acknowledged write lost, linearizable (${SEEDS.length} seeds)`, () => {
    const failures: string[] = [];
    let skewedLeaderSteppedDown = 0;
    for (const seed of SEEDS) {
      const { r, skew } = run('raft', seed);
      if (r.violation || r.lostAcknowledged.length > 0 || r.check?.linearizability.verdict !== 'linearizable') {
        failures.push(`seed ${seed}: ${r.violation?.rule ?? `${r.lostAcknowledged.length} lost, ${r.check?.linearizability.verdict}`}`);
      }
      // What it costs: a leader whose clock leaps takes the leap for a majority's silence (CheckQuorum) and steps down at once.
      const down = r.trace.find((e) => e.kind === 'leader.stepped_down' && e.node === skew.node && e.time >= skew.atMs && e.time < skew.atMs + 50);
      if (down?.kind === 'leader.stepped_down' && /check quorum/.test(down.data.reason ?? '')) skewedLeaderSteppedDown++;
    }
    expect(failures).toEqual([]);
    expect(skewedLeaderSteppedDown).toBeGreaterThan(0);
  });

  // A follower's next heartbeat re-arms its election timer on the new time before that timer
  // fires, in either design; and a bully leader never asks when it last heard from anyone.
  it(`bully keeps its invariants and its leader, and loses nothing to the skew alone (${SEEDS.length} seeds)`, () => {
    const found: string[] = [];
    for (const seed of SEEDS) {
      const { r } = run('bully', seed);
      if (r.violation) found.push(`seed ${seed}: ${r.violation.rule}`);
      if (r.stats.leaders.length !== 1) found.push(`seed ${seed}: ${r.stats.leaders.length} leaderships`);
      if (r.lostAcknowledged.length > 0) found.push(`seed ${seed}: ${r.lostAcknowledged.length} acknowledged writes lost`);
    }
    expect(found).toEqual([]);
  });

  it('the record keeps true time: the step-down a leap causes is stamped when it happened, not when the skewed clock said', () => {
    const { r, skew } = run('raft', 24);
    const down = r.trace.find((e) => e.kind === 'leader.stepped_down' && e.node === skew.node)!;
    expect(down.time).toBeGreaterThanOrEqual(skew.atMs);
    expect(down.time).toBeLessThan(skew.atMs + skew.offsetMs);
  });
});

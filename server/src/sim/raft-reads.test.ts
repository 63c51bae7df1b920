import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, FAULT_FAMILIES } from '@clusterlab/shared';
import type { ReadMode } from '../node/core/types';
import { defaultOptions } from './options';
import { findings } from './report';
import { runSimulation } from './runner';

/**
 * What Raft's reads promise, as the checker judges the clients' histories: with
 * read=linearizable (ReadIndex) every history is linearizable, whatever the faults; with
 * read=local a follower answers from its own copy, and under partitions the checker finds
 * the stale reads — the lesson, not a bug.
 */
const raft = { ...DEFAULT_SETTINGS, algorithm: 'raft' as const };
const run = (seed: number, readMode: ReadMode, faults = [...FAULT_FAMILIES]) =>
  runSimulation(defaultOptions({ seed, settings: raft, readMode, readFrom: 'any', durationMs: 10_000, faults, check: true }));

describe('Raft reads under random faults', () => {
  it('with read=linearizable, every history is linearizable and no acknowledged write is lost (mixed faults, 120 seeds)', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 120; seed++) {
      const r = run(seed, 'linearizable');
      const f = findings(r);
      if (f.violation || f.notLinearizable || f.undecided || f.reallyLost) {
        failures.push(`seed ${seed}: ${r.violation?.rule ?? r.check?.linearizability.verdict} — replay: ${r.replay}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('with read=local, a follower cut off from the leader serves stale reads, and the checker names them', () => {
    let stale = 0;
    for (let seed = 1; seed <= 40 && stale === 0; seed++) {
      const r = run(seed, 'local', ['partitions']);
      expect(r.violation, `seed ${seed}`).toBeNull();
      if (findings(r).staleReads) stale++;
    }
    expect(stale).toBeGreaterThan(0);
  });
});

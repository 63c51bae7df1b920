import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AlgorithmId } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { runSimulation } from './runner';

/**
 * The comparison the playground exists for: the same seed draws the same faults, whichever
 * algorithm runs, so a learner can run one schedule against both designs and see what each
 * keeps. Seed 26 isolates a node with partitions.
 */
const run = (algorithm: AlgorithmId) =>
  runSimulation(defaultOptions({ seed: 26, faults: ['partitions'], settings: { ...DEFAULT_SETTINGS, algorithm } }));

describe('one partition schedule, both designs (seed 26)', () => {
  const bully = run('bully');
  const raft = run('raft');

  it('is the same schedule of faults for both', () => {
    expect(raft.schedule).toEqual(bully.schedule);
    expect(bully.schedule.length).toBeGreaterThan(0);
  });

  it('bully loses acknowledged writes when the isolated node comes back with a newer epoch, and the checker says the history is not linearizable', () => {
    expect(bully.violation).toBeNull();
    expect(bully.lostAcknowledged.length).toBeGreaterThan(50);
    expect(bully.check?.linearizability.verdict).toBe('not-linearizable');
  });

  it('Raft keeps every acknowledged write and stays linearizable, and PreVote keeps the isolated node from deposing the leader', () => {
    expect(raft.violation).toBeNull();
    expect(raft.lostAcknowledged).toEqual([]);
    expect(raft.check?.linearizability.verdict).toBe('linearizable');
    expect(raft.leaders).toHaveLength(1);
  });
});

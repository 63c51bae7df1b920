import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, FAULT_FAMILIES, type FaultFamily } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { runSimulation, type SimResult } from './runner';

/**
 * The bank, in the simulator: clients move money between accounts in transactions (each one
 * log entry, applied only if both accounts are still at the versions the client read) and read
 * every balance in one transaction. Seeds rotate through the fault families, then all at once.
 */
const ROTATION = FAULT_FAMILIES.length + 1;
const familiesFor = (seed: number): FaultFamily[] => (seed % ROTATION < FAULT_FAMILIES.length ? [FAULT_FAMILIES[seed % ROTATION]!] : [...FAULT_FAMILIES]);
const bank = (seed: number, algorithm: 'bully' | 'raft', faults: FaultFamily[]): SimResult =>
  runSimulation(defaultOptions({ seed, settings: { ...DEFAULT_SETTINGS, algorithm }, workload: 'bank', clients: 4, keys: 4, durationMs: 12_000, faults }));

describe('the bank under Raft', () => {
  it('never shows money made or lost, nor a balance below zero, and keeps every acknowledged transfer, under every fault kind (seeds 1..120)', () => {
    const failures: string[] = [];
    let transfers = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const r = bank(seed, 'raft', familiesFor(seed));
      const b = r.bank!.check!;
      transfers += b.transfers;
      if (r.violation) failures.push(`seed ${seed}: ${r.violation.rule} — ${r.violation.detail.split('\n')[0]}\n  replay: ${r.replay}`);
      else if (b.violations.length > 0 || b.final) failures.push(`seed ${seed}: ${b.sentences[0]}\n  replay: ${r.replay}`);
      else expect(b.reads, `seed ${seed} read the balances`).toBeGreaterThan(0);
    }
    expect(failures).toEqual([]);
    expect(transfers, 'transfers done over all seeds').toBeGreaterThan(120 * 20);
  });
});

describe('the bank under bully with partitions', () => {
  /**
   * What breaks is not the money: a transfer is one entry, and every replica's state is one
   * leader's history, so every read adds up. What breaks is the bank's word: a leader cut off
   * with a minority still acknowledges transfers, and when the partition heals the majority's
   * history wins and those transfers are gone — acknowledged, then undone.
   */
  it('keeps every read adding up, but loses transfers it acknowledged (seeds 1..20)', () => {
    const losing: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const r = bank(seed, 'bully', ['partitions']);
      const b = r.bank!.check!;
      expect(r.violation, `seed ${seed}`).toBeNull();
      expect(b.violations, `seed ${seed}: ${b.sentences[0]}`).toEqual([]);
      if (r.lostAcknowledged.length > 0) losing.push(seed);
    }
    expect(losing.length, `seeds that lost acknowledged transfers: ${losing.join(', ')}`).toBeGreaterThanOrEqual(10);
  });
});

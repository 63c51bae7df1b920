import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_FAMILIES, FaultSchedule, faultFamily, isHeal, type Fault, type FaultFamily } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { Rng } from '@clusterlab/shared';
import { runSimulation } from './runner';
import { parseSchedule, randomSchedule } from './schedule';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const clients = ['c1', 'c2'];
const faultsOf = (s: FaultSchedule): Fault[] => s.flatMap((step) => (isHeal(step) ? [] : [step.fault]));

describe('random fault schedules', () => {
  it('draw only from the chosen families, in time order, inside the window, as valid schedules', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const families: FaultFamily[] = [FAULT_FAMILIES[seed % FAULT_FAMILIES.length]!, 'crashes'];
      const s = randomSchedule(new Rng(seed), { nodes, clients, families, fromMs: 1000, toMs: 20_000 });
      expect(s.length).toBeGreaterThan(0);
      expect(FaultSchedule.safeParse(s).success).toBe(true);
      for (const fault of faultsOf(s)) expect(families).toContain(faultFamily(fault));
      for (const step of s) {
        expect(step.at).toBeGreaterThanOrEqual(1000);
        expect(step.at).toBeLessThanOrEqual(20_000);
      }
      expect(s.map((step) => step.at)).toEqual([...s.map((step) => step.at)].sort((a, b) => a - b));
    }
  });

  it('end every fault they inflict before the window closes: each lasting one healed by its id, each kill restarted, each pause resumed', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = randomSchedule(new Rng(seed), { nodes, clients, families: [...FAULT_FAMILIES], fromMs: 500, toMs: 10_000 });
      const open = new Map<string, number>();
      const count = (what: string, by: number) => open.set(what, (open.get(what) ?? 0) + by);
      for (const step of s) {
        if (isHeal(step)) count(step.heal, -1);
        else if (step.id !== undefined) count(step.id, 1);
        else if (step.fault.kind === 'kill' || step.fault.kind === 'pause') count(`${step.fault.kind === 'kill' ? 'down' : 'paused'}:${step.fault.node}`, 1);
        else if (step.fault.kind === 'restart' || step.fault.kind === 'resume') count(`${step.fault.kind === 'restart' ? 'down' : 'paused'}:${step.fault.node}`, -1);
        else throw new Error(`a lasting fault without an id cannot be healed alone: ${JSON.stringify(step)}`);
      }
      expect([...open].filter(([, n]) => n !== 0)).toEqual([]);
    }
  });

  it('partition every node into some group, each group non-empty', () => {
    const s = randomSchedule(new Rng(3), { nodes, clients, families: ['partitions'], fromMs: 0, toMs: 60_000 });
    for (const fault of faultsOf(s)) {
      if (fault.kind !== 'partition') continue;
      expect(fault.groups.every((g) => g.some((p) => nodes.includes(p)))).toBe(true);
      expect(fault.groups.flat().filter((p) => nodes.includes(p)).sort()).toEqual(nodes);
    }
  });

  it('cut links one way, and set clocks both ahead and behind', () => {
    const cuts = faultsOf(randomSchedule(new Rng(4), { nodes, clients, families: ['cuts'], fromMs: 0, toMs: 120_000 }));
    expect(cuts.length).toBeGreaterThan(10);
    for (const f of cuts) expect(f).toMatchObject({ kind: 'cut', from: expect.any(String), to: expect.any(String) });
    const clocks = faultsOf(randomSchedule(new Rng(4), { nodes, clients, families: ['clocks'], fromMs: 0, toMs: 120_000 }));
    const offsets = clocks.map((f) => (f.kind === 'clock' ? f.offsetMs : 0));
    expect(offsets.some((o) => o > 300)).toBe(true); // more than an election timeout ahead
    expect(offsets.some((o) => o < 0)).toBe(true);
  });
});

describe('hand-written schedules', () => {
  it('are read from JSON, as a list or as { faults }, and sorted by time', () => {
    const faults = [
      { at: 3000, fault: { kind: 'restart', node: 'n2' } },
      { at: 1000, fault: { kind: 'kill', node: 'n2' } },
    ];
    expect(parseSchedule(faults, nodes, clients).map((f) => f.at)).toEqual([1000, 3000]);
    expect(parseSchedule({ description: 'kill n2 for two seconds', faults }, nodes, clients)).toHaveLength(2);
  });

  it('are refused with a reason when they name a node or client the run does not have, or are not schedules', () => {
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'kill', node: 'n9' } }], nodes, clients)).toThrow(/n9/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'partition', groups: [['n1', 'c7'], ['n2']] } }], nodes, clients)).toThrow(/c7/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'cut', from: 'n1', to: 'n8' } }], nodes, clients)).toThrow(/n8/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'explode' } }], nodes, clients)).toThrow(/not a fault schedule/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'partition', groups: [['n1'], ['n1', 'n2']] } }], nodes, clients)).toThrow(/only one group/);
  });

  it('written the old way are refused with what to write now', () => {
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'heal' } }], nodes, clients)).toThrow(/a heal is a step of its own now: \{ "at": …, "heal"/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'crash', node: 'n1' } }], nodes, clients)).toThrow(/"crash" is called "kill" now/);
    expect(() => parseSchedule({ faults: [{ at: 0, fault: { kind: 'drop', rate: 0.1 } }] }, nodes, clients)).toThrow(/"drop" is called "loss" now/);
  });
});

describe('the example schedules in schedules/', () => {
  const dir = join(import.meta.dirname, 'schedules');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`${file} is a valid schedule for three nodes and three clients, and the cluster survives it`, () => {
      const json: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const faults = parseSchedule(json, ['n1', 'n2', 'n3'], ['c1', 'c2', 'c3']);
      const r = runSimulation(defaultOptions({ schedule: { faults, file }, check: false }));
      expect(r.violation).toBeNull();
      expect(r.stats.faults.size).toBeGreaterThan(0);
    });
  }
});

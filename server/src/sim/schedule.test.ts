import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_FAMILIES, faultFamily, isMend, type FaultFamily } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { Rng } from '@clusterlab/shared';
import { runSimulation } from './runner';
import { parseSchedule, randomSchedule } from './schedule';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const clients = ['c1', 'c2'];

describe('random fault schedules', () => {
  it('draw only from the chosen families, in time order, inside the window', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const families: FaultFamily[] = [FAULT_FAMILIES[seed % FAULT_FAMILIES.length]!, 'crashes'];
      const s = randomSchedule(new Rng(seed), { nodes, clients, families, fromMs: 1000, toMs: 20_000 });
      expect(s.length).toBeGreaterThan(0);
      for (const tf of s) {
        expect(families).toContain(faultFamily(tf.fault));
        expect(tf.at).toBeGreaterThanOrEqual(1000);
        expect(tf.at).toBeLessThanOrEqual(20_000);
      }
      expect(s.map((tf) => tf.at)).toEqual([...s.map((tf) => tf.at)].sort((a, b) => a - b));
    }
  });

  it('mend every fault they inflict before the window closes', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = randomSchedule(new Rng(seed), { nodes, clients, families: [...FAULT_FAMILIES], fromMs: 500, toMs: 10_000 });
      const open = new Map<string, number>();
      for (const { fault } of s) {
        const what = 'node' in fault ? `${faultFamily(fault)}:${fault.node}` : faultFamily(fault);
        open.set(what, (open.get(what) ?? 0) + (isMend(fault) ? -1 : 1));
      }
      expect([...open].filter(([, n]) => n !== 0)).toEqual([]);
    }
  });

  it('partition every node into some group, each group non-empty', () => {
    const s = randomSchedule(new Rng(3), { nodes, clients, families: ['partitions'], fromMs: 0, toMs: 60_000 });
    for (const { fault } of s) {
      if (fault.kind !== 'partition') continue;
      expect(fault.groups.every((g) => g.some((p) => nodes.includes(p)))).toBe(true);
      expect(fault.groups.flat().filter((p) => nodes.includes(p)).sort()).toEqual(nodes);
    }
  });
});

describe('hand-written schedules', () => {
  it('are read from JSON, as a list or as { faults }, and sorted by time', () => {
    const faults = [
      { at: 3000, fault: { kind: 'restart', node: 'n2' } },
      { at: 1000, fault: { kind: 'crash', node: 'n2' } },
    ];
    expect(parseSchedule(faults, nodes, clients).map((f) => f.at)).toEqual([1000, 3000]);
    expect(parseSchedule({ description: 'kill n2 for two seconds', faults }, nodes, clients)).toHaveLength(2);
  });

  it('are refused with a reason when they name a node or client the run does not have, or are not schedules', () => {
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'crash', node: 'n9' } }], nodes, clients)).toThrow(/n9/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'partition', groups: [['n1', 'c7']] } }], nodes, clients)).toThrow(/c7/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'explode' } }], nodes, clients)).toThrow(/not a fault schedule/);
    expect(() => parseSchedule([{ at: 0, fault: { kind: 'partition', groups: [['n1'], ['n1', 'n2']] } }], nodes, clients)).toThrow(/only one group/);
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

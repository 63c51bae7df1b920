import { describe, expect, it } from 'vitest';
import { ActiveFaults } from './active-faults';
import { clockOffsetMs } from './clock-offset';

describe('the faults in force', () => {
  it('are healed by id or all at once, and healing twice heals nothing more', () => {
    const faults = new ActiveFaults();
    faults.apply('a', { kind: 'cut', from: 'n1', to: 'n2' });
    faults.apply('b', { kind: 'loss', rate: 0.1 });
    expect(faults.heal('a').map((f) => f.id)).toEqual(['a']);
    expect(faults.heal('a')).toEqual([]);
    expect(faults.list().map((f) => f.id)).toEqual(['b']);
    expect(faults.heal('all').map((f) => f.id)).toEqual(['b']);
    expect(faults.heal('all')).toEqual([]);
  });

  it('refuse a second fault under an id already in force', () => {
    const faults = new ActiveFaults();
    faults.apply('a', { kind: 'loss', rate: 0.1 });
    expect(() => faults.apply('a', { kind: 'loss', rate: 0.2 })).toThrow(/already in force/);
  });

  it("add up the clock faults on one node, and leave other nodes' clocks alone", () => {
    const faults = new ActiveFaults();
    faults.apply('a', { kind: 'clock', node: 'n1', offsetMs: 1500 });
    faults.apply('b', { kind: 'clock', node: 'n1', offsetMs: -200 });
    expect(clockOffsetMs(faults.list(), 'n1')).toBe(1300);
    expect(clockOffsetMs(faults.list(), 'n2')).toBe(0);
  });
});

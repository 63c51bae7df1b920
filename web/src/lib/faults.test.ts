import { describe, expect, it } from 'vitest';
import type { ClusterEvent, FaultView } from '@clusterlab/shared';
import { affectedLinks, foldFaultEvents, foldFaultPeriods, linkEffect, nextLinkEdit, presets, registryReach } from './faults';

const view = (id: string, fault: FaultView['fault']): FaultView => ({ id, fault, description: '', since: 0, sinceSeq: 0 });

describe('linkEffect', () => {
  it('cuts both ways between partition groups, and not within one', () => {
    const f = [view('p', { kind: 'partition', groups: [['n3'], ['n1', 'n2', 'registry']] })];
    expect(linkEffect(f, 'n3', 'n1').cut).toBe(true);
    expect(linkEffect(f, 'registry', 'n3').cut).toBe(true);
    expect(linkEffect(f, 'n1', 'n2').cut).toBe(false);
  });
  it('a cut is one way; delays add and losses combine', () => {
    const f = [view('c', { kind: 'cut', from: 'n1', to: 'n2' }), view('d1', { kind: 'delay', ms: 100, jitterMs: 0 }), view('d2', { kind: 'delay', from: 'n1', ms: 50, jitterMs: 0 }), view('l1', { kind: 'loss', rate: 0.5 }), view('l2', { kind: 'loss', rate: 0.5 })];
    expect(linkEffect(f, 'n1', 'n2')).toEqual({ cut: true, delayMs: 150, lossRate: 0.75 });
    expect(linkEffect(f, 'n2', 'n1')).toEqual({ cut: false, delayMs: 100, lossRate: 0.75 });
  });
});

describe('affectedLinks', () => {
  it('draws a one-way cut with its direction and a slowed link apart', () => {
    const links = affectedLinks([view('c', { kind: 'cut', from: 'n2', to: 'n1' }), view('d', { kind: 'delay', from: 'n3', to: 'n1', ms: 200, jitterMs: 0 })], ['n1', 'n2', 'n3']);
    expect(links).toEqual([
      { a: 'n1', b: 'n2', state: 'cut-one-way', cutFrom: 'n2', cutTo: 'n1', title: 'n2 → n1 cut (n1 → n2 still works)' },
      { a: 'n1', b: 'n3', state: 'slow', title: 'n1 ↔ n3 slowed: +200 ms' },
    ]);
  });
});

describe('foldFaultEvents', () => {
  const fault = { kind: 'cut', from: 'n1', to: 'n2' } as const;
  const ev = (seq: number, kind: 'fault.network' | 'fault.healed', id: string) =>
    ({ seq, time: seq * 10, node: 'supervisor', kind, data: { id, fault, description: 'd' } }) as unknown as ClusterEvent;
  it('adds on fault.network, removes on fault.healed, and ignores repeats', () => {
    const added = foldFaultEvents([], [ev(1, 'fault.network', 'cut-1'), ev(1, 'fault.network', 'cut-1')]);
    expect(added).toEqual([{ id: 'cut-1', fault, description: 'd', since: 10, sinceSeq: 1 }]);
    expect(foldFaultEvents(added, [ev(2, 'fault.healed', 'cut-1')])).toEqual([]);
    expect(foldFaultEvents(added, [ev(3, 'fault.healed', 'cut-9')])).toBe(added);
  });
});

describe('presets', () => {
  const list = presets({ leader: 'n3', nodeIds: ['n1', 'n2', 'n3'], delayMs: 200, lossPercent: 20 });
  const get = (id: string) => list.find((p) => p.id === id)!.faults;
  it('isolates the leader from every other node and the registry', () => {
    expect(get('isolate-leader')).toEqual([{ kind: 'partition', groups: [['n3'], ['n1', 'n2', 'registry']] }]);
  });
  it('cuts the leader to one follower one way', () => {
    expect(get('cut-one-way')).toEqual([{ kind: 'cut', from: 'n3', to: 'n1' }]);
  });
  it('a one-way ring on three nodes lets each send only to the next', () => {
    expect(get('ring')).toEqual([
      { kind: 'cut', from: 'n1', to: 'n3' },
      { kind: 'cut', from: 'n2', to: 'n1' },
      { kind: 'cut', from: 'n3', to: 'n2' },
    ]);
  });
  it('says why a preset cannot apply without a leader', () => {
    const none = presets({ leader: null, nodeIds: ['n1', 'n2', 'n3'], delayMs: 0, lossPercent: 20 });
    expect(none.find((p) => p.id === 'isolate-leader')!.faults).toEqual({ unavailable: 'needs a leader' });
    expect(none.find((p) => p.id === 'slow')!.faults).toEqual({ unavailable: 'set a delay above 0 ms' });
  });
});

describe('foldFaultPeriods', () => {
  const fault = { kind: 'cut', from: 'n1', to: 'n2' } as const;
  const ev = (seq: number, kind: 'fault.network' | 'fault.healed', id: string) =>
    ({ seq, time: seq * 10, node: 'supervisor', kind, data: { id, fault, description: 'd' } }) as unknown as ClusterEvent;
  it('opens on fault.network, closes on fault.healed, and ignores a repeated history', () => {
    const open = foldFaultPeriods([], [ev(1, 'fault.network', 'cut-1')]);
    const closed = foldFaultPeriods(open, [ev(4, 'fault.healed', 'cut-1')]);
    expect(closed).toEqual([{ id: 'cut-1', description: 'd', startAt: 10, endAt: 40 }]);
    expect(foldFaultPeriods(closed, [ev(1, 'fault.network', 'cut-1'), ev(4, 'fault.healed', 'cut-1')])).toBe(closed);
  });
  it('adds a fault in force the events never showed, from its since', () => {
    expect(foldFaultPeriods([], [], [view('loss-1', { kind: 'loss', rate: 0.1 })])).toEqual([{ id: 'loss-1', description: '', startAt: 0, endAt: null }]);
  });
});

describe('registryReach', () => {
  it('names who the registry reaches and who is cut off', () => {
    const ids = ['n1', 'n2', 'n3'];
    expect(registryReach([], ids)).toBe('Reaches every node');
    expect(registryReach([view('p', { kind: 'partition', groups: [['n3'], ['n1', 'n2', 'registry']] })], ids)).toBe('Reaches n1 and n2 · cut off from n3 (both ways)');
    expect(registryReach([view('c', { kind: 'cut', from: 'n1', to: 'registry' })], ids)).toBe('Reaches n2 and n3 · it can reach n1, not back');
  });
});

describe('nextLinkEdit', () => {
  it('cycles a link: cut one way, then both ways, then heal', () => {
    expect(nextLinkEdit([], 'n1', 'n2')).toMatchObject({ kind: 'cut', fault: { kind: 'cut', from: 'n1', to: 'n2' } });
    const one = [view('cut-1', { kind: 'cut', from: 'n1', to: 'n2' })];
    expect(nextLinkEdit(one, 'n1', 'n2')).toMatchObject({ kind: 'cut', fault: { kind: 'cut', from: 'n2', to: 'n1' } });
    const both = [...one, view('cut-2', { kind: 'cut', from: 'n2', to: 'n1' })];
    expect(nextLinkEdit(both, 'n1', 'n2')).toMatchObject({ kind: 'heal', ids: ['cut-1', 'cut-2'] });
  });
  it('a link a partition cuts is healed from the list, not the ring', () => {
    const p = [view('partition-1', { kind: 'partition', groups: [['n1'], ['n2']] })];
    expect(nextLinkEdit(p, 'n1', 'n2')).toMatchObject({ kind: 'blocked', by: ['partition-1'] });
  });
});

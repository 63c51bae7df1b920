import { describe, expect, it } from 'vitest';
import type { ActiveFault, ClusterEvent, EventBody } from '@clusterlab/shared';
import { FaultState } from './fault-state';

function state() {
  const events: EventBody[] = [];
  const sets: ActiveFault[][] = [];
  const faults = new FaultState({
    emit: (body) => {
      events.push(body);
      return { seq: events.length, node: 'supervisor', time: 1000 + events.length, ...body } as ClusterEvent;
    },
    onChange: (active) => sets.push([...active]),
  });
  return { faults, events, sets };
}

describe('the supervisor’s faults in force', () => {
  it('names each fault by its kind and a counter, says so in a fault.network event and hands every node the whole new set', () => {
    const { faults, events, sets } = state();
    const a = faults.apply({ kind: 'partition', groups: [['n1'], ['n2', 'n3']] });
    const b = faults.apply({ kind: 'cut', from: 'n1', to: 'n2' });
    const c = faults.apply({ kind: 'partition', groups: [['n3'], ['n1']] });
    expect([a.id, b.id, c.id]).toEqual(['partition-1', 'cut-1', 'partition-2']);
    expect(a).toMatchObject({ description: 'n1 is cut off from n2 and n3, both ways', since: 1001, sinceSeq: 1 });
    expect(events[0]).toEqual({ kind: 'fault.network', data: { id: 'partition-1', fault: a.fault, description: a.description } });
    expect(sets.at(-1)!.map((f) => f.id)).toEqual(['partition-1', 'cut-1', 'partition-2']);
  });

  it('heals idempotently: a second heal of the same id changes nothing and says nothing', () => {
    const { faults, events, sets } = state();
    faults.apply({ kind: 'loss', rate: 0.5 });
    expect(faults.heal('loss-1').map((f) => f.id)).toEqual(['loss-1']);
    expect(faults.heal('loss-1')).toEqual([]);
    expect(events.map((e) => e.kind)).toEqual(['fault.network', 'fault.healed']);
    expect(sets).toEqual([[{ id: 'loss-1', fault: { kind: 'loss', rate: 0.5 } }], []]);
  });

  it('heals every fault at once, each with its own fault.healed, and never reuses an id', () => {
    const { faults, events } = state();
    faults.apply({ kind: 'clock', node: 'n1', offsetMs: 500 });
    faults.apply({ kind: 'delay', ms: 100, jitterMs: 10 });
    faults.heal('all');
    expect(events.filter((e) => e.kind === 'fault.healed').map((e) => (e.kind === 'fault.healed' ? e.data.id : ''))).toEqual(['clock-1', 'delay-1']);
    expect(faults.views()).toEqual([]);
    expect(faults.apply({ kind: 'clock', node: 'n1', offsetMs: 500 }).id).toBe('clock-2');
  });
});

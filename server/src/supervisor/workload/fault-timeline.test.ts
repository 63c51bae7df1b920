import { describe, expect, it } from 'vitest';
import type { ClusterEvent, EventBody, History, LastingFault } from '@clusterlab/shared';
import { FaultTimeline } from './fault-timeline';

/** Which faults a run saw, from the events as they passed, and whether each one bit. */

const START = 1_000_000;
let seq = 0;
const at = (ms: number, body: EventBody, node = 'supervisor'): ClusterEvent => ({ seq: ++seq, node, time: START + ms, ...body }) as ClusterEvent;
const partition: LastingFault = { kind: 'partition', groups: [['n1'], ['n2', 'n3']] };
const op = (id: number, invokeMs: number, completeMs: number | null, outcome: 'ok' | 'fail' | 'unknown' = 'ok') =>
  ({ id, client: 'c1', kind: 'write', key: 'k', value: `v${id}`, invokeMs, completeMs, outcome }) as History[number];

describe('the faults of a run', () => {
  it('times a partition from its event to its heal, and says it bit when it ate messages', () => {
    const t = new FaultTimeline(START, []);
    t.observe(at(1000, { kind: 'fault.network', data: { id: 'partition-1', fault: partition, description: 'n1 is cut off' } }));
    t.observe(at(1200, { kind: 'message.lost', data: { id: 'm1', from: 'n1', to: 'n2', type: 'heartbeat', reason: 'cut by partition-1' } }, 'n1'));
    t.observe(at(3000, { kind: 'fault.healed', data: { id: 'partition-1', fault: partition, description: 'healed' } }));
    const [f] = t.judge([op(1, 900, 1500), op(2, 1600, null, 'unknown')], 5000);
    expect(f).toMatchObject({ id: 'partition-1', fromMs: 1000, toMs: 3000, bit: true });
    expect(f!.effect).toBe('1 message or request was lost to it; 2 operations ran while it held; 1 failed or ended unknown');
  });

  it('flags a partition that cut no link a message used, and a fault while nothing ran', () => {
    const t = new FaultTimeline(START, [{ id: 'partition-2', fault: partition, description: 'n1 is cut off', since: START - 10, sinceSeq: 1 }]);
    t.observe(at(4000, { kind: 'fault.injected', data: { action: 'kill', target: 'n2' } }));
    const [quiet, kill] = t.judge([op(1, 0, 100)], 5000);
    expect(quiet).toMatchObject({ fromMs: 0, toMs: null, bit: false, effect: 'it cut no link a message used: no message or request was lost to it' });
    expect(kill).toMatchObject({ fault: { kind: 'kill', node: 'n2' }, fromMs: 4000, bit: false, effect: 'no operation ran while it was in force' });
  });

  it('ends a kill when the node is ready again, and a pause when it is resumed', () => {
    const t = new FaultTimeline(START, []);
    t.observe(at(100, { kind: 'fault.injected', data: { action: 'kill', target: 'n3' } }));
    t.observe(at(600, { kind: 'fault.injected', data: { action: 'restart', target: 'n3' } }));
    t.observe(at(900, { kind: 'node.ready', data: { id: 'n3', pid: 1, port: 1, algorithm: 'raft', restoredIndex: 0, restoredKeys: 0 } }, 'n3'));
    t.observe(at(1000, { kind: 'fault.injected', data: { action: 'pause', target: 'n1' } }));
    t.observe(at(1500, { kind: 'fault.injected', data: { action: 'resume', target: 'n1' } }));
    const faults = t.judge([op(1, 0, 2000)], 2000);
    expect(faults.map((f) => [f.fault.kind, f.fromMs, f.toMs, f.bit])).toEqual([
      ['kill', 100, 900, true],
      ['pause', 1000, 1500, true],
    ]);
  });
});

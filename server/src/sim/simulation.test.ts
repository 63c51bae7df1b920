import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmittedEvent, History, type FaultSchedule } from '@clusterlab/shared';
import { BullyCore } from '../node/algorithms/bully/bully-core';
import { defaultOptions, type SimOptions } from './options';
import { runSimulation } from './runner';

/** A traced run of three nodes for 5 s with a hand-written schedule. */
function run(faults: FaultSchedule, overrides: Partial<SimOptions> = {}) {
  return runSimulation(defaultOptions({ seed: 5, durationMs: 5000, schedule: { faults, file: 'test.json' }, trace: true, check: false, ...overrides }));
}
type Ev<K extends EmittedEvent['kind']> = Extract<EmittedEvent, { kind: K }>;
const of = <K extends EmittedEvent['kind']>(trace: EmittedEvent[], kind: K) => trace.filter((e): e is Ev<K> => e.kind === kind);

describe('the simulated node processes', () => {
  it('a paused node takes the messages that waited in its buffer when it resumes; their senders heard "no answer" meanwhile', () => {
    const r = run([
      { at: 1000, fault: { kind: 'pause', node: 'n1' } },
      { at: 2500, fault: { kind: 'resume', node: 'n1' } },
    ]);
    expect(r.violation).toBeNull();
    const waited = of(r.trace, 'message.sent').filter((e) => e.data.to === 'n1' && e.time > 1000 && e.time < 1400);
    expect(waited.length).toBeGreaterThan(0);
    for (const sent of waited) {
      const received = of(r.trace, 'message.received').find((e) => e.data.id === sent.data.id);
      expect(received?.time).toBe(2500);
      const dropped = of(r.trace, 'message.lost').find((e) => e.data.id === sent.data.id);
      expect(dropped?.time).toBe(sent.time + 1000); // PeerTransport: max(1000, 4 × heartbeat)
      expect(dropped?.data.reason).toMatch(/no answer/);
    }
  });

  it('a message to a crashed node is refused, and the sender learns within a round trip', () => {
    const r = run([{ at: 1000, fault: { kind: 'kill', node: 'n2' } }]);
    const refused = of(r.trace, 'message.lost').filter((e) => e.data.to === 'n2' && e.data.reason === 'connection refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const d of refused) {
      const sent = of(r.trace, 'message.sent').find((e) => e.data.id === d.data.id)!;
      expect(d.time - sent.time).toBeLessThan(100);
    }
  });

  it('the registry forgets a paused node after its TTL and lists it again once it resumes', () => {
    const r = run([
      { at: 1000, fault: { kind: 'pause', node: 'n1' } },
      { at: 3000, fault: { kind: 'resume', node: 'n1' } },
    ]);
    const expired = of(r.trace, 'registry.expired').find((e) => e.data.id === 'n1');
    expect(expired?.time).toBeGreaterThanOrEqual(1000 + 1000 - 150); // TTL after its last heartbeat
    expect(expired?.time).toBeLessThan(2500);
    expect(of(r.trace, 'registry.registered').some((e) => e.data.id === 'n1' && e.time >= 3000)).toBe(true);
    // Meanwhile the others dropped it from their peer lists.
    expect(of(r.trace, 'node.peers').some((e) => e.node === 'n3' && !e.data.peers.includes('n1') && e.time > expired!.time)).toBe(true);
  });

  it('a partition that names the registry cuts the other side off from discovery', () => {
    const r = run([
      { at: 1000, id: 'isolate-n1', fault: { kind: 'partition', groups: [['n1'], ['n2', 'n3', 'registry']] } },
      { at: 3000, heal: 'isolate-n1' },
    ]);
    expect(of(r.trace, 'registry.expired').map((e) => e.data.id)).toEqual(['n1']);
  });

  it('a stopped node asks the registry to forget it as it exits, so the others drop it from their peers long before its TTL', () => {
    const r = run([
      { at: 1000, fault: { kind: 'stop', node: 'n1' } },
      { at: 3000, fault: { kind: 'restart', node: 'n1' } },
    ]);
    expect(r.violation).toBeNull();
    expect(of(r.trace, 'node.exited').find((e) => e.data.id === 'n1')?.data).toMatchObject({ code: 0, signal: null });
    const left = of(r.trace, 'registry.deregistered').find((e) => e.data.id === 'n1');
    expect(left?.time).toBeLessThan(1100);
    expect(of(r.trace, 'registry.expired').filter((e) => e.data.id === 'n1')).toEqual([]);
    const dropped = of(r.trace, 'node.peers').find((e) => e.node === 'n3' && e.time > 1000 && !e.data.peers.includes('n1'));
    expect(dropped?.time).toBeLessThan(1000 + 500);
  });

  it('a crashed node restarts from its disk, with what it had applied', () => {
    const r = run([
      { at: 2000, fault: { kind: 'kill', node: 'n1' } },
      { at: 3000, fault: { kind: 'restart', node: 'n1' } },
    ]);
    expect(r.violation).toBeNull();
    const ready = of(r.trace, 'node.ready').filter((e) => e.node === 'n1');
    expect(ready.map((e) => e.time)).toEqual([0, 3000]);
    expect(ready[1]!.data.restoredIndex).toBeGreaterThan(0);
  });

  it('clients find the leader: every acknowledged write was acknowledged by a leader, and every value written is unique', () => {
    const r = run([]);
    const leaders = new Set(r.leaders.map((l) => l.node));
    const writes = r.history.filter((op) => op.kind === 'write');
    const acked = writes.filter((op) => op.outcome === 'ok');
    expect(acked.length).toBeGreaterThan(50);
    for (const op of acked) expect(leaders).toContain(op.node);
    expect(new Set(writes.map((op) => op.value)).size).toBe(writes.length);
  });
});

describe('what a run writes out', () => {
  it('the trace is shared EmittedEvents in virtual time, the history a shared History', () => {
    const r = runSimulation(defaultOptions({ seed: 9, durationMs: 4000, faults: ['partitions', 'crashes', 'duplicates'], trace: true, check: false }));
    expect(() => EmittedEvent.array().parse(r.trace)).not.toThrow();
    expect(() => History.parse(r.history)).not.toThrow();
    expect(r.trace.map((e) => e.time)).toEqual([...r.trace.map((e) => e.time)].sort((a, b) => a - b));
    // Every received message was sent, under the same id.
    const sent = new Set(of(r.trace, 'message.sent').map((e) => e.data.id));
    for (const e of of(r.trace, 'message.received')) expect(sent).toContain(e.data.id);
  });
});

describe('a run that breaks an invariant', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an exception in a core stops the run, with the seed and the command that replays it', () => {
    const step = BullyCore.prototype.step;
    vi.spyOn(BullyCore.prototype, 'step').mockImplementation(function (this: BullyCore, input) {
      if (input.now >= 1234 && this.id === 'n2') throw new Error('boom');
      return step.call(this, input);
    });
    const r = runSimulation(defaultOptions({ seed: 77, faults: ['crashes'], check: false }));
    expect(r.violation).toMatchObject({ rule: 'the core never throws' });
    expect(r.violation!.detail).toMatch(/n2 threw on .*boom/s);
    expect(r.violation!.atMs).toBeGreaterThanOrEqual(1234);
    expect(r.replay).toBe('npm run sim -- --seed 77 --nodes 3 --duration 10s --faults crashes');
  });

  it('a cluster that has not converged when the quiet period ends is reported', () => {
    // The leader dies just before the end; 100 ms is not enough for anyone to take over.
    const r = run([{ at: 4950, fault: { kind: 'kill', node: 'n3' } }], { settleTimeoutMs: 100 });
    expect(r.violation).toMatchObject({ rule: 'replicas converge once faults heal' });
    expect(r.replay).toContain('--settle-timeout-ms 100');
    expect(r.replay).toContain('--schedule test.json');
  });
});

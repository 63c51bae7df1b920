import { describe, expect, it } from 'vitest';
import { defaultOptions, type SimOptions } from './options';
import { runSimulation } from './runner';

/** The property everything else rests on: a seed replays its run exactly. */
const traced = (o: Partial<SimOptions>) => runSimulation(defaultOptions({ nodes: 5, durationMs: 8000, faults: ['partitions', 'crashes', 'pauses', 'drops', 'delays', 'duplicates'], trace: true, check: false, ...o }));

describe('determinism', () => {
  it('the same seed gives the same run, event for event', () => {
    const a = traced({ seed: 11 });
    const b = traced({ seed: 11 });
    expect(a.trace.length).toBeGreaterThan(2000);
    expect(a.schedule.length).toBeGreaterThan(5);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(b.history).toEqual(a.history);
    expect(b.finalStates).toEqual(a.finalStates);
  });

  it('a different seed gives a different run', () => {
    const a = traced({ seed: 11 });
    const b = traced({ seed: 12 });
    expect(JSON.stringify(b.schedule)).not.toBe(JSON.stringify(a.schedule));
    expect(JSON.stringify(b.trace)).not.toBe(JSON.stringify(a.trace));
  });

  it('the same seed keeps the same fault schedule under another write-ack mode, so the two can be compared', () => {
    const majority = traced({ seed: 11 });
    const all = traced({ seed: 11, settings: { ...majority.options.settings, writeAck: 'all' } });
    expect(all.schedule).toEqual(majority.schedule);
    expect(JSON.stringify(all.trace)).not.toBe(JSON.stringify(majority.trace));
  });

  it('the replay command names every option that differs from the defaults', () => {
    const r = traced({ seed: 11, clients: 5, readFrom: 'any', settings: { ...defaultOptions().settings, writeAck: 'none', heartbeatIntervalMs: 40 } });
    expect(r.replay).toBe(
      'npm run sim -- --seed 11 --nodes 5 --duration 8s --faults partitions,crashes,pauses,drops,delays,duplicates --heartbeat-interval-ms 40 --write-ack none --clients 5 --reads any',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { Fault, FaultSchedule } from './faults';

const problem = (schedule: unknown) => {
  const r = FaultSchedule.safeParse(schedule);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
};

describe('the fault schema', () => {
  it('takes every kind the fault API and the schedules speak', () => {
    const faults: unknown[] = [
      { kind: 'partition', groups: [['n1'], ['n2', 'n3', 'registry']] },
      { kind: 'cut', from: 'n1', to: 'n2' },
      { kind: 'delay', ms: 200, jitterMs: 50 },
      { kind: 'delay', from: 'client', to: 'n1', ms: 10, jitterMs: 0 },
      { kind: 'loss', from: 'n2', rate: 0.3 },
      { kind: 'duplicate', to: 'n3', rate: 0.1 },
      { kind: 'clock', node: 'n1', offsetMs: -400 },
      ...['kill', 'stop', 'pause', 'resume', 'restart'].map((kind) => ({ kind, node: 'n2' })),
    ];
    for (const f of faults) expect(Fault.safeParse(f).success, JSON.stringify(f)).toBe(true);
  });

  it('refuses faults that would do nothing or name no real link, saying why', () => {
    const why = (f: unknown) => Fault.safeParse(f).error?.issues[0]?.message;
    expect(why({ kind: 'partition', groups: [['n1']] })).toMatch(/at least two groups: a party in no group keeps all its links/);
    expect(why({ kind: 'partition', groups: [['n1'], ['n1', 'n2']] })).toMatch(/only one group/);
    expect(why({ kind: 'loss', rate: 0 })).toMatch(/heal the fault instead/);
    expect(why({ kind: 'clock', node: 'n1', offsetMs: 0 })).toMatch(/heal the fault instead/);
    expect(why({ kind: 'delay', ms: 10, jitterMs: 20 })).toMatch(/jitterMs may not exceed ms/);
    expect(why({ kind: 'cut', from: 'client', to: 'registry' })).toMatch(/never talk to each other/);
    expect(why({ kind: 'duplicate', from: 'client', rate: 0.5 })).toMatch(/between nodes only/);
    expect(why({ kind: 'cut', from: 'n1', to: 'n2', oneWay: true })).toMatch(/oneWay/);
  });
});

describe('a schedule', () => {
  it('applies faults with ids and heals them by id, or all at once', () => {
    expect(
      problem([
        { at: 3000, id: 'isolate-n1', fault: { kind: 'partition', groups: [['n1'], ['n2', 'n3']] } },
        { at: 4000, fault: { kind: 'loss', rate: 0.2 } },
        { at: 7000, heal: 'isolate-n1' },
        { at: 9000, heal: 'all' },
      ]),
    ).toBeNull();
  });

  it('refuses a heal of an id never applied before it, an id used twice, and an id on a process fault', () => {
    expect(problem([{ at: 1000, heal: 'typo' }])).toMatch(/^0\.heal: heals "typo", but no fault with that id was applied before 1000 ms/);
    expect(problem([{ at: 5000, heal: 'late' }, { at: 6000, id: 'late', fault: { kind: 'loss', rate: 0.5 } }])).toMatch(/no fault with that id/);
    expect(
      problem([
        { at: 1, id: 'x', fault: { kind: 'loss', rate: 0.5 } },
        { at: 2, id: 'x', fault: { kind: 'loss', rate: 0.5 } },
      ]),
    ).toMatch(/^1\.id: the id "x" is used twice/);
    expect(problem([{ at: 1, id: 'k', fault: { kind: 'kill', node: 'n1' } }])).toMatch(/^0\.id: only a lasting fault takes an id; .*restart after kill/);
  });

  it('reports a mistake against the kind of step it meant to be', () => {
    expect(problem([{ at: 1, heal: 3 }])).toBe('0.heal: heal names the id of a fault, or "all"');
    expect(problem([{ at: 1, fault: { kind: 'loss', rate: 0.5 }, forMs: 100 }])).toBe('0: Unrecognized key: "forMs"');
  });
});

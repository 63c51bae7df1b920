import { Rng } from '@clusterlab/shared';
import { describe, expect, it } from 'vitest';
import type { Violation } from './explain';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';
import { referenceLinearizable } from './reference-checker';

function violationOf(h: HistoryBuilder): Violation {
  const result = checkLinearizability(h.build());
  const bad = result.keys.find((k) => k.verdict === 'not-linearizable');
  if (bad?.verdict !== 'not-linearizable' || !bad.violation) throw new Error(`expected a violation:\n${result.explanation}`);
  return bad.violation;
}

describe('explaining a violation with cas', () => {
  it('two cas that both changed a value written once: only one of them can have seen it', () => {
    const h = new HistoryBuilder();
    const five = h.write('k', '5', 0, 100);
    const first = h.cas('k', '5', '6', 200, 400);
    const second = h.cas('k', '5', '7', 250, 450);
    const violation = violationOf(h);
    expect(violation.reason).toBe(
      'cas #2 at t=0.20 s and cas #3 at t=0.25 s both changed k from 5 (to 6 and to 7), but only one of them can have ' +
        'seen 5: the only write of 5 either could have found is #1, so whichever came second would have found it ' +
        'already replaced by the first',
    );
    expect(violation.witnessOpIds).toEqual([five, first, second]);
    expect(violation.culpritOpId).toBe(second);
    expect(violation.text).toContain('#2 c2: cas k: 5 → 6, t=0.20 s → 0.40 s, ok');
  });

  it('the same one after the other, and for two creations of an absent key (If-None-Match)', () => {
    const after = new HistoryBuilder();
    after.write('k', '5', 0, 100);
    after.cas('k', '5', '6', 200, 300);
    after.cas('k', '5', '7', 400, 500);
    expect(violationOf(after).reason).toMatch(/^cas #2 at t=0\.20 s and cas #3 at t=0\.40 s both changed k from 5 \(to 6 and to 7\)/);

    const created = new HistoryBuilder();
    created.cas('k', null, '1', 0, 100);
    created.cas('k', null, '2', 50, 150);
    expect(violationOf(created).reason).toBe(
      'cas #1 at t=0.00 s and cas #2 at t=0.05 s both found k absent and wrote it (to 1 and to 2), but only one of them ' +
        'can have found it absent: nothing deleted k in time for either, so whichever came second would have found it ' +
        'already written by the first',
    );

    // After a delete both had to follow, it is that delete they both needed.
    const deleted = new HistoryBuilder();
    deleted.write('k', '0', 0, 10);
    deleted.delete('k', 20, 30);
    deleted.cas('k', null, '1', 100, 200);
    deleted.cas('k', null, '2', 150, 250);
    expect(violationOf(deleted).reason).toContain(
      'both found k absent and wrote it (to 1 and to 2), but only one of them can have found it absent: the only delete ' +
        'either could have found is #2, so',
    );
  });

  it('a read after a cas cannot find the value that cas replaced', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.cas('k', '5', '6', 50, 300); // began before the write of 5 was acknowledged
    h.read('k', '5', 400, 500);
    expect(violationOf(h).reason).toBe(
      'cas k: 5 → 6 was acknowledged at t=0.30 s, but a read at t=0.40 s (which started after it finished) returned 5; ' +
        '#2 had already replaced the only write of 5 that read could have found (#1)',
    );
  });

  it('a cas that succeeded from a value nobody wrote, or only a failed write did', () => {
    const never = new HistoryBuilder();
    never.write('k', '1', 0, 100);
    const cas = never.cas('k', '9', '2', 200, 300);
    const violation = violationOf(never);
    expect(violation.reason).toBe(
      'a cas at t=0.20 s found 9 and replaced it with 2, but no write of k=9 had started by the time that cas finished (t=0.30 s)',
    );
    expect(violation.witnessOpIds).toEqual([cas]);

    const failed = new HistoryBuilder();
    failed.write('k', '1', 0, 100);
    failed.cas('k', '1', '2', 200, 300, { outcome: 'fail' });
    failed.read('k', '2', 400, 500);
    expect(violationOf(failed).reason).toBe(
      'a read at t=0.40 s returned 2, but no write of k=2 had started by the time that read finished (t=0.50 s); ' +
        'cas #2 of that value failed, so it never took effect',
    );
  });

  it('a cas that succeeded from a value already overwritten reads like a stale read', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 800);
    h.write('k', '7', 1000, 1200);
    h.cas('k', '5', '6', 2050, 2100);
    expect(violationOf(h).reason).toBe(
      'write k=7 was acknowledged at t=1.20 s, but a cas at t=2.05 s (which started after it finished) found 5 and ' +
        'replaced it with 6; the write of 5 had been acknowledged at t=0.80 s, before the write of 7 started, so 5 was already overwritten',
    );
  });

  it('a value whose only write is a cas that cannot have taken effect', () => {
    const unknown = new HistoryBuilder();
    unknown.write('k', '1', 0, 100);
    unknown.cas('k', '5', '6', 200, null);
    unknown.read('k', '6', 1000, 1100);
    expect(violationOf(unknown).reason).toBe(
      'a read at t=1.00 s returned 6, but the only write of 6 it could have found, cas k: 5 → 6 (#2), cannot have ' +
        'taken effect: nothing wrote k=5 at all',
    );

    // The cas had to take effect before the read finished; the value it expected came too late for that.
    const late = new HistoryBuilder();
    late.cas('k', '5', '6', 0, 500);
    late.read('k', '6', 100, 200);
    late.write('k', '5', 300, 400);
    expect(violationOf(late).reason).toBe(
      'a read at t=0.10 s returned 6, but the only write of 6 it could have found, cas k: 5 → 6 (#1), cannot have ' +
        'taken effect: no write of k=5 had started by the time that read finished (t=0.20 s)',
    );
  });

  it('two cas that can each only have found what the other wrote', () => {
    const h = new HistoryBuilder();
    h.cas('k', '1', '2', 0, 100);
    h.cas('k', '2', '1', 50, 150);
    expect(violationOf(h).reason).toBe(
      'cas #2 at t=0.05 s can only have found 2 written by cas #1, and cas #1 can only have found 1 written by cas #2: ' +
        'neither can have taken effect first',
    );
  });

  it('a write that had to come between a value and the cas that found it, or between that cas and a read of its value', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.cas('k', '5', '6', 50, 500);
    h.write('k', '9', 200, 300);
    h.read('k', '6', 400, 600);
    expect(violationOf(h).reason).toBe(
      'write k=9 was acknowledged at t=0.30 s, but a read at t=0.40 s (which started after it finished) returned 6; ' +
        'the only write of 6 it could have found is cas k: 5 → 6 (#2); the write of 5 had been acknowledged at ' +
        't=0.10 s, before the write of 9 started, so 5 was already overwritten',
    );
  });

  it('anything subtler is shown as its real-time order, and the reason says what a cas needs', () => {
    const h = new HistoryBuilder();
    h.write('k', 'a', 0, 100);
    h.write('k', 'b', 50, 200);
    h.read('k', 'b', 150, 400);
    h.cas('k', 'a', 'c', 210, 350);
    const { reason, text } = violationOf(h);
    expect(reason).toBe(
      'no order of these 4 operations both respects real time (an operation that finished before another started must ' +
        'come first) and gives every read the latest value written before it, and every cas the value it expected',
    );
    expect(text).toContain('Real-time order among them:\n  #1 finished (t=0.10 s) before #3 started (t=0.15 s)');
    expect(text).toContain('#2 finished (t=0.20 s) before #4 started (t=0.21 s)');
  });

  it('every witness, as recorded, has no valid order on its own by the brute-force definition', () => {
    const prng = new Rng(99);
    let explained = 0;
    for (let round = 0; round < 3000; round++) {
      const history = randomSmallHistory(prng, 2 + prng.int(9), { cas: true });
      for (const key of checkLinearizability(history).keys) {
        if (key.verdict !== 'not-linearizable' || !key.violation?.witness.some((op) => op.kind === 'cas')) continue;
        explained++;
        expect({ round, witnessLinearizable: referenceLinearizable(key.violation.witness) }).toEqual({ round, witnessLinearizable: false });
      }
    }
    expect(explained).toBeGreaterThan(500);
  });
});

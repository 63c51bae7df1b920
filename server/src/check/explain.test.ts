import { describe, expect, it } from 'vitest';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability, type CheckOptions } from './linearizability';
import type { Violation } from './explain';
import { Rng } from '@clusterlab/shared';
import { registerOpsByKey } from './register-ops';
import { readSources, sourcesOfReads, sourcesToKeep } from './sources';

function violationOf(h: HistoryBuilder, options?: CheckOptions): Violation {
  const result = checkLinearizability(h.build(), options);
  const bad = result.keys.find((k) => k.verdict === 'not-linearizable');
  if (bad?.verdict !== 'not-linearizable' || !bad.violation) throw new Error(`expected a violation:\n${result.explanation}`);
  return bad.violation;
}

describe('explaining a violation', () => {
  it('a stale read is explained by the write that overwrote it, with times counted from the first invocation', () => {
    const h = new HistoryBuilder();
    const five = h.write('k', '5', 10_000, 10_800);
    const seven = h.write('k', '7', 11_000, 11_200);
    const read = h.read('k', '5', 12_050, 12_100);
    const violation = violationOf(h);
    expect(violation.reason).toBe(
      'write k=7 was acknowledged at t=1.20 s, but a read at t=2.05 s (which started after it finished) returned 5; ' +
        'the write of 5 had been acknowledged at t=0.80 s, before the write of 7 started, so 5 was already overwritten',
    );
    expect(violation.culpritOpId).toBe(read);
    expect(violation.witnessOpIds).toEqual([five, seven, read]);
  });

  it('lists each op involved with its client, times and outcome, and says how far the search got', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 800, { client: 'alice' });
    h.write('k', '7', 1000, 1200, { client: 'bob' });
    h.read('k', '5', 2050, 2100, { client: 'carol' });
    const { text } = violationOf(h);
    expect(text).toContain('Key k is not linearizable: write k=7 was acknowledged at t=1.20 s');
    expect(text).toContain('#1 alice: write k=5, t=0.00 s → 0.80 s, ok');
    expect(text).toContain('#2 bob: write k=7, t=1.00 s → 1.20 s, ok');
    expect(text).toContain('#3 carol: read k → 5, t=2.05 s → 2.10 s, ok');
    expect(text).toContain("covers 2 of the key's 3 operations; after it, #3 (read k → 5) could not be placed");
  });

  it('the witness leaves out the operations that have nothing to do with the violation', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.read('k', '1', 150, 200);
    h.write('k', '2', 250, 300);
    const five = h.write('k', '5', 400, 500);
    h.read('k', '5', 450, 480);
    h.read('k', '5', 600, 700);
    const seven = h.write('k', '7', 800, 900);
    h.read('k', '7', 950, 990);
    const stale = h.read('k', '5', 1000, 1100);
    h.write('k', '8', 1200, 1300);
    h.read('k', '8', 1400, 1500);
    const violation = violationOf(h);
    expect(violation.witnessIsMinimal).toBe(true);
    expect(violation.witnessOpIds).toEqual([five, seven, stale]);
    expect(violation.culpritOpId).toBe(stale);
  });

  it('a witness keeps every write that could have produced a value it reads', () => {
    const h = new HistoryBuilder();
    const first = h.write('k', '1', 0, 100);
    const second = h.write('k', '1', 50, 150);
    const two = h.write('k', '2', 200, 1000);
    const sawTwo = h.read('k', '2', 300, 400);
    const sawOne = h.read('k', '1', 500, 600);
    const violation = violationOf(h);
    expect(violation.witnessOpIds).toEqual([first, second, two, sawTwo, sawOne]);
    expect(violation.reason).toContain('every write of 1 had taken effect (by t=0.10 s and t=0.15 s), before the write of 2 started');
  });

  it('of writes already overwritten before a stale read, the witness names the newest', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    const second = h.write('k', '5', 120, 150);
    const seven = h.write('k', '7', 200, 300);
    const read = h.read('k', '5', 400, 500);
    const violation = violationOf(h);
    expect(violation.witnessOpIds).toEqual([second, seven, read]);
    expect(violation.reason).toContain('the write of 5 had been acknowledged at t=0.15 s, before the write of 7 started');
  });

  it('a read that found the key absent keeps only the deletes it can have seen, not every delete before it', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 5; i++) {
      h.write('k', `old-${i}`, 1000 * i, 1000 * i + 100);
      h.delete('k', 1000 * i + 200, 1000 * i + 300);
    }
    h.write('k', '1', 5000, 5100);
    const lastDelete = h.delete('k', 5200, 5300);
    const seven = h.write('k', '7', 5400, 5500);
    const read = h.read('k', null, 5600, 5700);
    const violation = violationOf(h);
    expect(violation.witnessOpIds).toEqual([lastDelete, seven, read]);
    expect(violation.reason).toBe(
      'write k=7 was acknowledged at t=5.50 s, but a read at t=5.60 s (which started after it finished) found the ' +
        'key absent; the delete had been acknowledged at t=5.30 s, before the write of 7 started, so the key had been written again since',
    );
  });

  it('a value nobody wrote is blamed on the read alone, and a failed write of it is pointed out', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    const failed = h.write('k', '9', 200, 300, { outcome: 'fail' });
    const read = h.read('k', '9', 400, 500);
    const violation = violationOf(h);
    expect(violation.witnessOpIds).toEqual([read]);
    expect(violation.reason).toBe(
      `a read at t=0.40 s returned 9, but no write of k=9 had started by the time that read finished (t=0.50 s); ` +
        `write #${failed} of that value failed, so it never took effect`,
    );
  });

  it('a value read before anybody started writing it is pointed out', () => {
    const h = new HistoryBuilder();
    h.read('k', '9', 0, 100);
    h.write('k', '9', 300, 400);
    expect(violationOf(h).reason).toContain('the first write of that value started only at t=0.30 s');
  });

  it('a read that finds the key absent after an acknowledged write reads as if the write never happened', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.read('k', null, 200, 300);
    expect(violationOf(h).reason).toBe(
      'write k=1 was acknowledged at t=0.10 s, but a read at t=0.20 s (which started after it finished) ' +
        'found the key absent, as if the write of 1 had never happened',
    );
  });

  it('a delete that was acknowledged is named as what overwrote the value', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.delete('k', 200, 300);
    h.read('k', '1', 400, 500);
    expect(violationOf(h).reason).toBe(
      'delete k was acknowledged at t=0.30 s, but a read at t=0.40 s (which started after it finished) returned 1; ' +
        'the write of 1 had been acknowledged at t=0.10 s, before the delete started, so 1 was already overwritten',
    );
  });

  it('a read that goes back in time is explained by the earlier read that saw the newer value', () => {
    const h = new HistoryBuilder();
    const old = h.write('k', '1', 0, 100);
    const fresh = h.write('k', '2', 200, 1000);
    const sawNew = h.read('k', '2', 300, 400);
    const sawOld = h.read('k', '1', 500, 600);
    const violation = violationOf(h);
    expect(violation.witnessOpIds).toEqual([old, fresh, sawNew, sawOld]);
    expect(violation.culpritOpId).toBe(sawOld);
    expect(violation.reason).toBe(
      'a read at t=0.30 s returned 2, so the write of 2 had taken effect; yet a later read at t=0.50 s ' +
        '(which started after that read finished) returned 1; the write of 1 had been acknowledged at t=0.10 s, ' +
        'before the write of 2 started, so 1 was already overwritten',
    );
  });

  it('reads that disagree on the order of two concurrent writes are explained', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 500);
    h.write('k', '2', 0, 500);
    h.read('k', '1', 600, 700);
    h.read('k', '2', 800, 900);
    expect(violationOf(h).reason).toBe(
      'a read at t=0.60 s returned 1, although the write of 2 had been acknowledged at t=0.50 s, before that read ' +
        'started, so the write of 1 took effect after it; yet a later read at t=0.80 s (which started after that ' +
        'read finished) returned 2, an older value',
    );
  });

  it('two overlapping reads after the writes settled must agree', () => {
    const h = new HistoryBuilder();
    h.write('k', '2', 0, 400);
    h.write('k', '1', 0, 200);
    h.read('k', '1', 500, 900);
    h.read('k', '2', 800, 900);
    expect(violationOf(h).reason).toBe(
      'the write of 2 and the write of 1 had both taken effect by t=0.40 s, so any read starting after that must ' +
        'see whichever came last; yet a read at t=0.50 s returned 1 and a read at t=0.80 s returned 2',
    );
  });

  it('a write of unknown outcome that a read saw counts as having taken effect when that read ended', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, null);
    h.read('k', '1', 50, 100);
    h.write('k', '2', 200, 300);
    h.read('k', '1', 400, 500);
    expect(violationOf(h).reason).toBe(
      'write k=2 was acknowledged at t=0.30 s, but a read at t=0.40 s (which started after it finished) returned 1; ' +
        'the write of 1 had been seen by a read that ended at t=0.10 s, before the write of 2 started, so 1 was already overwritten',
    );
  });

  it('anything no pattern names is explained by the real-time order of the ops involved', () => {
    const h = new HistoryBuilder();
    h.delete('k', 0, 200);
    h.write('k', '1', 200, 300);
    h.read('k', '1', 300, 800);
    h.read('k', null, 500, 600);
    const violation = violationOf(h);
    expect(violation.reason).toMatch(/^no order of these 4 operations both respects real time/);
    expect(violation.text).toContain('Real-time order among them:\n  #1 finished (t=0.20 s) before #3 started (t=0.30 s)');
    expect(violation.text).toContain('#2 finished (t=0.30 s) before #4 started (t=0.50 s)');
  });

  it('when the work budget for explaining runs out, the verdict stands and the witness says it is not minimal', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.read('k', '1', 150, 200);
    h.write('k', '5', 400, 500);
    h.write('k', '7', 800, 900);
    h.read('k', '5', 1000, 1100);
    const result = checkLinearizability(h.build(), { maxExplainStatesPerKey: 1 });
    expect(result.verdict).toBe('not-linearizable');
    const [key] = result.keys;
    expect(key?.verdict === 'not-linearizable' && key.violation?.witnessIsMinimal).toBe(false);
    expect(result.explanation).toContain('not fully narrowed down: work limit reached');
  });

  it('can count times from a given origin instead of the first invocation', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 1000, 1100);
    h.read('k', '2', 1200, 1300);
    expect(violationOf(h, { originMs: 0 }).reason).toMatch(/^a read at t=1\.20 s returned 2/);
  });

  it('can skip explaining when only the verdict is wanted', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.read('k', '2', 150, 200);
    const result = checkLinearizability(h.build(), { explain: false });
    expect(result.keys).toEqual([
      { key: 'k', verdict: 'not-linearizable', opCount: 2, exploredStates: expect.any(Number), method: 'unique-writes', ms: expect.any(Number) },
    ]);
  });
});

describe('witnesses are sound', () => {
  it('every witness on its own has no valid order, holds every live source of its reads, and cannot lose an op', () => {
    const prng = new Rng(4242);
    let explained = 0;
    for (let round = 0; round < 1500; round++) {
      const history = randomSmallHistory(prng, 3 + prng.int(6));
      const result = checkLinearizability(history);
      const [key] = result.keys;
      if (key?.verdict !== 'not-linearizable' || !key.violation) continue;
      explained++;
      const witness = key.violation.witness;
      expect({ round, verdict: checkLinearizability(witness).verdict }).toEqual({ round, verdict: 'not-linearizable' });

      const all = registerOpsByKey(history).get('k') ?? [];
      const kept = registerOpsByKey(witness).get('k') ?? [];
      const keptIds = new Set(kept.map((op) => op.source.id));
      const live = sourcesToKeep(all, sourcesOfReads(all));
      for (const read of all.filter((op) => keptIds.has(op.source.id) && op.kind === 'read')) {
        for (const source of live.get(read) ?? []) expect(keptIds).toContain(source.source.id);
      }
      // 1-minimal: dropping any op that is not a source of a kept read leaves a valid order.
      for (const op of kept) {
        const isSource = kept.some((read) => read.kind === 'read' && readSources(read, kept).writes.includes(op));
        if (isSource) continue;
        const rest = witness.filter((w) => w.id !== op.source.id);
        expect({ round, dropped: op.source.id, verdict: checkLinearizability(rest).verdict }).toEqual({
          round, dropped: op.source.id, verdict: 'linearizable',
        });
      }
    }
    expect(explained).toBeGreaterThan(300);
  });
});

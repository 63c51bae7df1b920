import { describe, expect, it } from 'vitest';
import { Rng, type History } from '@clusterlab/shared';
import { generateLinearizableHistory, injectStaleRead, randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { registerOpsByKey } from './register-ops';
import { referenceLinearizable } from './reference-checker';
import { observed, overwriterBefore } from './sources';
import { findStaleReads } from './stale-reads';

describe('stale reads', () => {
  it('a read returning a value overwritten by a write acknowledged before the read started is stale', () => {
    const h = new HistoryBuilder();
    const five = h.write('k', '5', 0, 800);
    const seven = h.write('k', '7', 1000, 1200);
    const read = h.read('k', '5', 2050, 2100);
    expect(findStaleReads(h.build())).toEqual([
      {
        kind: 'stale-read',
        key: 'k',
        readOpId: read,
        value: '5',
        readInvokeMs: 2050,
        overwrittenByOpId: seven,
        overwrittenByValue: '7',
        overwriteAckMs: 1200,
        sourceOpIds: [five],
        sentence:
          'Stale read #3: write k=7 was acknowledged at t=1.20 s, but a read at t=2.05 s (which started after it ' +
          'finished) returned 5; the write of 5 had been acknowledged at t=0.80 s, before the write of 7 started, ' +
          'so 5 was already overwritten.',
      },
    ]);
  });

  it('names the last of several overwrites', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '6', 200, 300);
    const seven = h.write('k', '7', 400, 500);
    h.read('k', '5', 600, 700);
    expect(findStaleReads(h.build()).map((s) => s.overwrittenByOpId)).toEqual([seven]);
  });

  it('a read concurrent with the overwriting write is not stale', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 500);
    h.read('k', '5', 400, 600);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('a value whose write was still in flight when the overwrite began is not stale', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 300);
    h.write('k', '7', 200, 250);
    h.read('k', '5', 400, 500);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('a write of unknown outcome may land at any time, so a read of its value is never stale', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, null);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, 500);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('a failed write neither overwrites a value nor explains one', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300, { outcome: 'fail' });
    h.read('k', '5', 400, 500);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('finding the key absent after an acknowledged write is stale when nothing deleted it since', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    const read = h.read('k', null, 200, 300);
    const [stale] = findStaleReads(h.build());
    expect(stale).toMatchObject({ readOpId: read, value: null, sourceOpIds: [] });
    expect(stale?.sentence).toContain('found the key absent, as if the write of 1 had never happened');
  });

  it('finding the key absent is not stale when a delete could explain it', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    h.delete('k', 50, 150);
    h.read('k', null, 200, 300);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('a value written again recently is not stale', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.write('k', '5', 350, 700);
    h.read('k', '5', 400, 500);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('a value nobody wrote is not a stale read (the linearizability check reports it)', () => {
    const h = new HistoryBuilder();
    h.write('k', '7', 0, 100);
    h.read('k', '5', 200, 300);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('reads of unknown outcome are not judged', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, null);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('keys do not mix', () => {
    const h = new HistoryBuilder();
    h.write('a', '5', 0, 100);
    h.write('b', '7', 200, 300);
    h.read('a', '5', 400, 500);
    expect(findStaleReads(h.build())).toEqual([]);
  });

  it('a cas that succeeded from an overwritten value read a stale value', () => {
    const h = new HistoryBuilder();
    const five = h.write('k', '5', 0, 800);
    const seven = h.write('k', '7', 1000, 1200);
    const cas = h.cas('k', '5', '6', 2050, 2100);
    expect(findStaleReads(h.build())).toEqual([
      expect.objectContaining({
        readOpId: cas,
        value: '5',
        overwrittenByOpId: seven,
        sourceOpIds: [five],
        sentence:
          'Stale read #3: write k=7 was acknowledged at t=1.20 s, but a cas at t=2.05 s (which started after it ' +
          'finished) found 5 and replaced it with 6; the write of 5 had been acknowledged at t=0.80 s, before the ' +
          'write of 7 started, so 5 was already overwritten.',
      }),
    ]);
  });

  it('a cas is a write like any other: it overwrites, and it is a source of its value', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    const cas = h.cas('k', '5', '6', 200, 300);
    const stale = h.read('k', '5', 400, 500);
    h.read('k', '6', 400, 500);
    expect(findStaleReads(h.build()).map((s) => [s.readOpId, s.overwrittenByOpId])).toEqual([[stale, cas]]);
    expect(findStaleReads(h.build())[0]!.sentence).toContain('cas k: 5 → 6 was acknowledged at t=0.30 s, but a read at t=0.40 s');
  });

  it('a cas of unknown outcome may never have happened: it is never the stale read, and may land late as a source', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.cas('k', '5', '6', 400, null);
    h.cas('k', '7', '8', 150, null);
    h.read('k', '8', 500, 600);
    expect(findStaleReads(h.build())).toEqual([]);
  });
});

describe('stale reads, found all at once', () => {
  // The definition read literally — for each read, a scan of its key (overwriterBefore) — against
  // the one pass findStaleReads makes, on small histories where values repeat, ops overlap and
  // outcomes are unknown, and on long generated ones with stale reads put in.
  const byScan = (history: History) => {
    const out: { read: number; overwriter: number }[] = [];
    for (const ops of registerOpsByKey(history).values()) {
      for (const read of ops) {
        if (!observed(read)) continue;
        const w = overwriterBefore(read, ops);
        if (w) out.push({ read: read.source.id, overwriter: w.source.id });
      }
    }
    return out.sort((a, b) => a.read - b.read);
  };
  const found = (history: History) =>
    findStaleReads(history)
      .map((s) => ({ read: s.readOpId, overwriter: s.overwrittenByOpId }))
      .sort((a, b) => a.read - b.read);

  it('name the same reads and the same overwriters as a scan per read', () => {
    const prng = new Rng(7);
    let stale = 0;
    for (let i = 0; i < 3000; i++) {
      const history = randomSmallHistory(prng, 3 + (i % 9));
      const expected = byScan(history);
      stale += expected.length;
      expect(found(history), JSON.stringify(history)).toEqual(expected);
    }
    expect(stale).toBeGreaterThan(300);
  });

  it('the same with cas among them, each stale read in a history no order explains', () => {
    const prng = new Rng(8);
    let stale = 0;
    for (let i = 0; i < 3000; i++) {
      const history = randomSmallHistory(prng, 3 + (i % 9), { cas: true });
      const expected = byScan(history);
      stale += expected.length;
      expect(found(history), JSON.stringify(history)).toEqual(expected);
      if (expected.length > 0) expect(referenceLinearizable(history), JSON.stringify(history)).toBe(false);
    }
    expect(stale).toBeGreaterThan(300);
  });

  it('agree on long histories with stale reads put in', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const base = generateLinearizableHistory({ seed, ops: 2000, keys: 3, clients: 8 });
      const injected = injectStaleRead(base, seed)?.history ?? base;
      expect(found(injected)).toEqual(byScan(injected));
    }
  });
});

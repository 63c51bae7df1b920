import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './history-builder';
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
});

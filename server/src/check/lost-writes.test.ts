import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './history-builder';
import { findLostWrites } from './lost-writes';

describe('lost writes', () => {
  it('an acknowledged write is lost when a later read sees an older value and nobody reads it again', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 800);
    const seven = h.write('k', '7', 1000, 1200);
    const read = h.read('k', '5', 2050, 2100);
    h.read('k', '5', 3000, 3100);
    expect(findLostWrites(h.build())).toEqual([
      {
        kind: 'lost-write',
        key: 'k',
        writeOpId: seven,
        value: '7',
        writeAckMs: 1200,
        readOpId: read,
        readValue: '5',
        readInvokeMs: 2050,
        sentence:
          'Lost write #2: write k=7 was acknowledged at t=1.20 s, but a read at t=2.05 s (which started after it ' +
          'finished) returned 5, an older value, and 7 was never read again.',
      },
    ]);
  });

  it('a write whose value is read again after the older read is not lost (that was only a stale read)', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, 500);
    h.read('k', '7', 600, 700);
    expect(findLostWrites(h.build())).toEqual([]);
  });

  it('a read concurrent with the write proves nothing', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 500);
    h.read('k', '5', 400, 600);
    expect(findLostWrites(h.build())).toEqual([]);
  });

  it('a write overwritten by a newer one is not lost', () => {
    const h = new HistoryBuilder();
    h.write('k', '7', 0, 100);
    h.write('k', '8', 200, 300);
    h.read('k', '8', 400, 500);
    expect(findLostWrites(h.build())).toEqual([]);
  });

  it('a write is not lost to a value that a concurrent write may have put back', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.write('k', '5', 250, 450);
    h.read('k', '5', 400, 500);
    expect(findLostWrites(h.build())).toEqual([]);
  });

  it('finding the key absent loses a write only when no delete could explain it', () => {
    const lost = new HistoryBuilder();
    lost.delete('k', 0, 100);
    lost.write('k', '7', 200, 300);
    lost.read('k', null, 400, 500);
    const [found] = findLostWrites(lost.build());
    expect(found).toMatchObject({ writeOpId: 2, readOpId: 3, readValue: null });
    expect(found?.sentence).toContain('found the key absent, as it had been before, and 7 was never read again');

    const explained = new HistoryBuilder();
    explained.write('k', '7', 200, 300);
    explained.delete('k', 250, 350);
    explained.read('k', null, 400, 500);
    expect(findLostWrites(explained.build())).toEqual([]);
  });

  it('a delete is lost when the deleted value comes back and the key is never found absent again', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    const del = h.delete('k', 200, 300);
    h.read('k', '1', 400, 500);
    const [found] = findLostWrites(h.build());
    expect(found).toMatchObject({ writeOpId: del, value: null });
    expect(found?.sentence).toBe(
      'Lost write #2: delete k was acknowledged at t=0.30 s, but a read at t=0.40 s (which started after it ' +
        'finished) returned 1, an older value, and the key was never found absent again.',
    );
  });

  it('failed writes and writes of unknown outcome are never called lost', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300, { outcome: 'fail' });
    h.write('k', '8', 200, null);
    h.read('k', '5', 400, 500);
    expect(findLostWrites(h.build())).toEqual([]);
  });

  it('reports the first read that saw the older value', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    const first = h.read('k', '5', 400, 500);
    h.read('k', '5', 600, 700);
    expect(findLostWrites(h.build()).map((l) => l.readOpId)).toEqual([first]);
  });
});

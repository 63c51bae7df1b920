import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './history-builder';
import { findLostWrites } from './lost-writes';

/** Every node of a three-node cluster ended with the same state. */
const agreed = (state: Record<string, string | null>) => ({ n1: { ...state }, n2: { ...state }, n3: { ...state } });

describe('lost writes, judged against the final state', () => {
  it('an acknowledged write is lost when the cluster ends with a value written before it began', () => {
    const h = new HistoryBuilder();
    const five = h.write('k', '5', 0, 900);
    const seven = h.write('k', '7', 1000, 1200);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([
      {
        kind: 'lost-write',
        key: 'k',
        writeOpId: seven,
        value: '7',
        writeInvokeMs: 1000,
        writeAckMs: 1200,
        finalValue: '5',
        finalSourceOpIds: [five],
        finalSourceAckMs: 900,
        sentence:
          'Lost write #2: write k=7 was acknowledged at t=1.20 s, but the cluster ended with k=5, written by #1 and ' +
          'acknowledged at t=0.90 s, before #2 began (t=1.00 s): #2 was undone, not overwritten.',
      },
    ]);
  });

  it('a stale read from a lagging follower, then a legitimate overwrite nobody read, is not a lost write (sim seed 2, #535)', () => {
    // The old rule called #2 lost: a read after its acknowledgement saw the older 5, and 7 was
    // never read again. But 8 overwrote it and stayed: the read was only stale.
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.read('k', '5', 400, 500);
    h.write('k', '8', 600, 700);
    expect(findLostWrites(h.build(), agreed({ k: '8' }))).toEqual([]);
  });

  it('the same reads with the older value left at the end: now it is lost, whatever the reads said', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    const seven = h.write('k', '7', 200, 300);
    h.read('k', '7', 400, 500); // even though someone read it
    expect(findLostWrites(h.build(), agreed({ k: '5' })).map((l) => l.writeOpId)).toEqual([seven]);
  });

  it('a write concurrent with the write of the final value is not lost: that one may have come last', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 300);
    h.write('k', '7', 200, 400);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([]);
  });

  it('ops that merely touch count as concurrent', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 200);
    h.write('k', '7', 200, 400);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([]);
  });

  it('every acknowledged write that began after the final value was acknowledged is lost, one entry each', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    const seven = h.write('k', '7', 200, 300);
    const del = h.delete('k', 400, 500);
    const eight = h.write('k', '8', 600, 700);
    expect(findLostWrites(h.build(), agreed({ k: '5' })).map((l) => l.writeOpId)).toEqual([seven, del, eight]);
  });

  it('keys are judged one by one', () => {
    const h = new HistoryBuilder();
    h.write('a', '1', 0, 100);
    const lost = h.write('a', '2', 200, 300);
    h.write('b', '1', 0, 100);
    h.write('b', '2', 200, 300);
    expect(findLostWrites(h.build(), agreed({ a: '1', b: '2' })).map((l) => [l.key, l.writeOpId])).toEqual([['a', lost]]);
  });
});

describe('lost writes: deletes and absent keys', () => {
  it('a key that ends absent loses the writes that began after every delete was acknowledged', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    const del = h.delete('k', 200, 300);
    const seven = h.write('k', '7', 400, 500);
    const [found, ...rest] = findLostWrites(h.build(), agreed({}));
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ writeOpId: seven, finalValue: null, finalSourceOpIds: [del], finalSourceAckMs: 300 });
    expect(found?.sentence).toBe(
      'Lost write #3: write k=7 was acknowledged at t=0.50 s, but the cluster ended with k absent, deleted by #2 and ' +
        'acknowledged at t=0.30 s, before #3 began (t=0.40 s): #3 was undone, not overwritten.',
    );
  });

  it('a key never deleted that ends absent is back to its initial state: every acknowledged write of it is lost', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    const [found] = findLostWrites(h.build(), agreed({ k: null }));
    expect(found).toMatchObject({ writeOpId: 1, finalValue: null, finalSourceOpIds: [], finalSourceAckMs: null });
    expect(found?.sentence).toBe(
      'Lost write #1: write k=5 was acknowledged at t=0.10 s, but the cluster ended with k absent, as it started, ' +
        'and no one ever deleted it: #1 was undone, not overwritten.',
    );
  });

  it('a key that ends absent after a delete concurrent with the write loses nothing', () => {
    const h = new HistoryBuilder();
    h.write('k', '7', 200, 300);
    h.delete('k', 250, 350);
    expect(findLostWrites(h.build(), agreed({}))).toEqual([]);
  });

  it('several deletes: the write is lost only when all of them were acknowledged before it began', () => {
    const lost = new HistoryBuilder();
    lost.delete('k', 0, 100);
    lost.delete('k', 150, 250);
    const seven = lost.write('k', '7', 400, 500);
    const [found] = findLostWrites(lost.build(), agreed({}));
    expect(found?.writeOpId).toBe(seven);
    expect(found?.sentence).toContain('ended with k absent, and every delete of k (#1, #2) was acknowledged by t=0.25 s, before #3 began (t=0.40 s)');

    const explained = new HistoryBuilder();
    explained.delete('k', 0, 100);
    explained.write('k', '7', 400, 500);
    explained.delete('k', 600, 700);
    expect(findLostWrites(explained.build(), agreed({}))).toEqual([]);
  });

  it('an acknowledged delete is lost when the cluster ends with a value written before it began', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 100);
    const del = h.delete('k', 200, 300);
    const [found] = findLostWrites(h.build(), agreed({ k: '1' }));
    expect(found).toMatchObject({ writeOpId: del, value: null, finalValue: '1' });
    expect(found?.sentence).toBe(
      'Lost write #2: delete k was acknowledged at t=0.30 s, but the cluster ended with k=1, written by #1 and ' +
        'acknowledged at t=0.10 s, before #2 began (t=0.20 s): #2 was undone, not overwritten.',
    );
  });

  it('a delete is never lost to a key that ends absent: it may be the very delete that left it so', () => {
    const h = new HistoryBuilder();
    h.delete('k', 0, 100);
    h.delete('k', 200, 300);
    expect(findLostWrites(h.build(), agreed({}))).toEqual([]);
  });
});

describe('lost writes: unknown and failed ops', () => {
  it('a write of unknown outcome explains the final value even if it began before: it may have taken effect last', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, null);
    h.write('k', '7', 200, 300);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([]);
  });

  it('a delete of unknown outcome explains a key that ends absent', () => {
    const h = new HistoryBuilder();
    h.delete('k', 0, null);
    h.write('k', '7', 200, 300);
    expect(findLostWrites(h.build(), agreed({}))).toEqual([]);
  });

  it('writes of unknown or failed outcome are never called lost: they were never acknowledged', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300, { outcome: 'fail' });
    h.write('k', '8', 200, null);
    h.delete('k', 400, null);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([]);
  });

  it('a failed write is no source: a final value only it wrote proves nothing, and a failed delete is ignored', () => {
    const nobody = new HistoryBuilder();
    nobody.write('k', '5', 0, 100, { outcome: 'fail' });
    nobody.write('k', '7', 200, 300);
    expect(findLostWrites(nobody.build(), agreed({ k: '5' }))).toEqual([]);

    const failedDelete = new HistoryBuilder();
    failedDelete.write('k', '7', 200, 300);
    failedDelete.delete('k', 400, 500, { outcome: 'fail' });
    expect(findLostWrites(failedDelete.build(), agreed({})).map((l) => l.writeOpId)).toEqual([1]);
  });

  it('a final value nobody wrote is not a lost write (there is nothing to measure against)', () => {
    const h = new HistoryBuilder();
    h.write('k', '7', 200, 300);
    expect(findLostWrites(h.build(), agreed({ k: '9' }))).toEqual([]);
  });
});

describe('lost writes: values written more than once', () => {
  it('lost when every write of the final value was acknowledged before the write began', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '5', 50, 150);
    const seven = h.write('k', '7', 200, 300);
    const [found] = findLostWrites(h.build(), agreed({ k: '5' }));
    expect(found).toMatchObject({ writeOpId: seven, finalSourceOpIds: [1, 2], finalSourceAckMs: 150 });
    expect(found?.sentence).toContain('ended with k=5, and every write of 5 (#1, #2) was acknowledged by t=0.15 s, before #3 began');
  });

  it('not lost when any write of the final value may have come after it', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.write('k', '5', 250, 450);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([]);
  });
});

describe('lost writes: what decides', () => {
  it('divergent replicas: the key is not judged, others still are', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.write('k', '7', 200, 300);
    h.write('j', '1', 0, 100);
    const lost = h.write('j', '2', 200, 300);
    const states = { n1: { k: '5', j: '1' }, n2: { k: '7', j: '1' }, n3: { k: '5', j: '1' } };
    expect(findLostWrites(h.build(), states).map((l) => [l.key, l.writeOpId])).toEqual([['j', lost]]);
    // A key missing on one node counts as absent there: that is divergence too.
    expect(findLostWrites(h.build(), { n1: { k: '5', j: '1' }, n2: { j: '1' } }).map((l) => l.key)).toEqual(['j']);
  });

  it('an acknowledged cas is a write like any other: lost when the cluster ends with the value it replaced', () => {
    const h = new HistoryBuilder();
    const five = h.write('k', '5', 0, 900);
    const cas = h.cas('k', '5', '6', 1000, 1200);
    h.cas('k', '6', '7', 1300, null);
    expect(findLostWrites(h.build(), agreed({ k: '5' }))).toEqual([
      expect.objectContaining({
        writeOpId: cas,
        value: '6',
        finalSourceOpIds: [five],
        sentence:
          'Lost write #2: cas k: 5 → 6 was acknowledged at t=1.20 s, but the cluster ended with k=5, written by #1 and ' +
          'acknowledged at t=0.90 s, before #2 began (t=1.00 s): #2 was undone, not overwritten.',
      }),
    ]);
  });

  it('a cas is a source of the value it wrote, and a conditional delete of a key that ends absent', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.cas('k', '5', '6', 200, null);
    expect(findLostWrites(h.build(), agreed({ k: '6' }))).toEqual([]);
    const d = new HistoryBuilder();
    d.write('k', '5', 0, 100);
    d.cas('k', '5', null, 200, 300);
    const later = d.write('k', '9', 400, 500);
    expect(findLostWrites(d.build(), agreed({ k: null })).map((l) => [l.writeOpId, l.finalSourceOpIds])).toEqual([[later, [2]]]);
  });

  it('without final states nothing is called lost, whatever the reads saw', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 800);
    h.write('k', '7', 1000, 1200);
    h.read('k', '5', 2050, 2100);
    h.read('k', '5', 3000, 3100);
    expect(findLostWrites(h.build(), undefined)).toEqual([]);
    expect(findLostWrites(h.build(), {})).toEqual([]); // no nodes: no final state either
  });
});

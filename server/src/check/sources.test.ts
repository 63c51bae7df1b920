import { describe, expect, it } from 'vitest';
import { randomSmallHistory } from './generate-history';
import { HistoryBuilder } from './history-builder';
import { Rng } from '@clusterlab/shared';
import { registerOpsByKey, type RegisterOp } from './register-ops';
import { foundValue, readSources, sourcesOfReads, sourcesToKeep } from './sources';

const opsOf = (h: HistoryBuilder) => registerOpsByKey(h.build()).get('k') ?? [];

describe('the sources of a read', () => {
  it('are the writes of its value that started by the time it ended, touching included', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 10);
    h.write('k', '5', 30, 40);
    h.write('k', '5', 31, 40);
    h.write('k', '6', 0, 10);
    h.read('k', '5', 20, 30);
    const ops = opsOf(h);
    expect(readSources(ops[4]!, ops).writes.map((w) => w.source.id)).toEqual([1, 2]);
  });

  it('an absent result is also explained by the initial state', () => {
    const h = new HistoryBuilder();
    h.read('k', null, 0, 10);
    const ops = opsOf(h);
    expect(readSources(ops[0]!, ops)).toEqual({ writes: [], initial: true });
  });

  it('a cas reads the value it expected and writes its own: its sources are the writes of what it expected, never itself', () => {
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 10);
    h.cas('k', '5', '5', 20, 30);
    h.cas('k', '5', '6', 40, 50);
    h.read('k', '6', 60, 70);
    const ops = opsOf(h);
    expect(readSources(ops[1]!, ops).writes.map((w) => w.source.id)).toEqual([1]);
    expect(readSources(ops[2]!, ops).writes.map((w) => w.source.id)).toEqual([1, 2]);
    expect(readSources(ops[3]!, ops).writes.map((w) => w.source.id)).toEqual([3]);
    expect([...sourcesOfReads(ops).keys()].map((op) => op.source.id)).toEqual([2, 3, 4]);
  });

  it('a source is dead once an acknowledged write of another value started after it and ended before the read', () => {
    const prng = new Rng(5);
    for (let round = 0; round < 2000; round++) {
      const ops = registerOpsByKey(randomSmallHistory(prng, 2 + prng.int(8))).get('k') ?? [];
      const all = sourcesOfReads(ops);
      const kept = sourcesToKeep(ops, all);
      for (const [read, sources] of all) {
        const isDead = (s: RegisterOp) =>
          ops.some((x) => x.kind === 'write' && x.value !== read.value && s.returnMs < x.invokeMs && x.returnMs < read.invokeMs);
        const live = sources.writes.filter((s) => !isDead(s));
        const newest = [...sources.writes].sort((a, b) => b.returnMs - a.returnMs).slice(0, 1);
        const expected = live.length > 0 ? live : newest;
        expect({ round, kept: kept.get(read)?.map((w) => w.source.id) }).toEqual({ round, kept: expected.map((w) => w.source.id) });
      }
    }
  });

  it('the same rule for cas, which read what they expected, and whose writes can kill a source', () => {
    const prng = new Rng(6);
    for (let round = 0; round < 2000; round++) {
      const ops = registerOpsByKey(randomSmallHistory(prng, 2 + prng.int(8), { cas: true })).get('k') ?? [];
      const all = sourcesOfReads(ops);
      const kept = sourcesToKeep(ops, all);
      for (const [read, sources] of all) {
        const isDead = (s: RegisterOp) =>
          ops.some((x) => x.kind !== 'read' && x.value !== foundValue(read) && s.returnMs < x.invokeMs && x.returnMs < read.invokeMs);
        const live = sources.writes.filter((s) => !isDead(s));
        const newest = [...sources.writes].sort((a, b) => b.returnMs - a.returnMs).slice(0, 1);
        const expected = live.length > 0 ? live : newest;
        expect({ round, kept: kept.get(read)?.map((w) => w.source.id) }).toEqual({ round, kept: expected.map((w) => w.source.id) });
      }
    }
  });
});

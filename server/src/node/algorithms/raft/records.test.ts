import { describe, expect, it } from 'vitest';
import { raft } from './index';
import { diskLastIndex, diskLog, emptyDisk, fold, type RaftDisk } from './records';
import { put } from './testing';

const entries = (...e: ReturnType<typeof put>[]) => ({ type: 'entries', entries: e }) as const;
const shape = (d: RaftDisk) => ({ term: d.term, votedFor: d.votedFor, snapshot: d.snapshot?.index ?? null, log: diskLog(d).map((e) => `${e.index}:${e.term}`), commit: d.commitIndex });

describe('Raft records', () => {
  it('fold replays hard state, entries, truncations, snapshots and commits', () => {
    let d = emptyDisk();
    d = fold(d, { type: 'hard_state', term: 2, votedFor: 'n3' });
    d = fold(d, entries(put(1, 1, 'a'), put(2, 1, 'b'), put(3, 2, 'c')));
    d = fold(d, { type: 'commit', index: 2 });
    d = fold(d, { type: 'truncate', afterIndex: 2 });
    d = fold(d, entries(put(3, 3, 'd')));
    d = fold(d, { type: 'commit', index: 1 }); // commits never go back
    expect(shape(d)).toEqual({ term: 2, votedFor: 'n3', snapshot: null, log: ['1:1', '2:1', '3:3'], commit: 2 });
    d = fold(d, { type: 'snapshot', index: 10, term: 3, config: { voters: ['n1'], learners: [] }, data: [['k', { value: 'v', index: 9 }]] });
    d = fold(d, entries(put(11, 3, 'e')));
    expect(shape(d)).toEqual({ term: 2, votedFor: 'n3', snapshot: 10, log: ['11:3'], commit: 10 });
    expect(diskLastIndex(d)).toBe(11);
  });

  it('fold never changes the meaning of a disk the caller still holds', () => {
    const base = fold(emptyDisk(), entries(put(1, 1, 'a'), put(2, 1, 'b'), put(3, 1, 'c')));
    const before = JSON.stringify(shape(base));
    const longer = fold(base, entries(put(4, 1, 'd')));
    const branch = fold(base, entries(put(4, 2, 'x'))); // the same disk folded twice
    const cut = fold(longer, { type: 'truncate', afterIndex: 2 });
    const regrown = fold(cut, entries(put(3, 3, 'y')));
    expect(JSON.stringify(shape(base))).toBe(before);
    expect(shape(longer).log).toEqual(['1:1', '2:1', '3:1', '4:1']);
    expect(shape(branch).log).toEqual(['1:1', '2:1', '3:1', '4:2']);
    expect(shape(cut).log).toEqual(['1:1', '2:1']);
    expect(shape(regrown).log).toEqual(['1:1', '2:1', '3:3']);
  });

  it('replaying a long log is linear, not quadratic', () => {
    let d = emptyDisk();
    for (let i = 1; i <= 50_000; i++) d = fold(d, entries(put(i, 1, 'k')));
    expect(diskLastIndex(d)).toBe(50_000);
    expect(d.log.length).toBe(50_000); // one array, grown in place
  });

  it('lineage: entries give their (index, term), truncate its point, a snapshot its index', () => {
    expect(raft.lineage(entries(put(4, 2, 'a'), put(5, 2, 'b')))).toEqual({ type: 'entries', entries: [{ index: 4, term: 2 }, { index: 5, term: 2 }] });
    expect(raft.lineage({ type: 'truncate', afterIndex: 3 })).toEqual({ type: 'truncate', afterIndex: 3 });
    expect(raft.lineage({ type: 'snapshot', index: 9, term: 2, config: { voters: [], learners: [] }, data: [] })).toEqual({ type: 'snapshot', index: 9 });
    expect(raft.lineage({ type: 'hard_state', term: 1, votedFor: null })).toBeNull();
    expect(raft.lineage({ type: 'commit', index: 1 })).toBeNull();
    expect(raft.snapshotIndex({ type: 'install_snapshot', term: 1, lastIncludedIndex: 7, lastIncludedTerm: 1, config: { voters: [], learners: [] }, offset: 0, data: [], done: true })).toBe(7);
    expect(raft.snapshotIndex({ type: 'install_snapshot.reply', term: 1, lastIncludedIndex: 7, nextOffset: 0, done: true })).toBeNull();
  });
});

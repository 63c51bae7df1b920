import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './history-builder';
import { registerOpsByKey } from './register-ops';
import { planSearch } from './search-plan';

/** The ids of the ops the search will consider. */
function planned(build: (h: HistoryBuilder) => void): number[] {
  const h = new HistoryBuilder();
  build(h);
  return planSearch(registerOpsByKey(h.build()).get('k') ?? []).map((p) => p.op.source.id);
}

// Whether leaving these out is exact is tested against brute force in search.test.ts.
describe('which ops the search has to consider', () => {
  it('an unknown write nobody read is left out; one somebody read stays', () => {
    expect(
      planned((h) => {
        h.write('k', '1', 0, null);
        h.write('k', '2', 0, null);
        h.read('k', '2', 10, 20);
      }),
    ).toEqual([2, 3]);
  });

  it('a cas that expected a value counts as having seen it, so an unknown write of it stays', () => {
    expect(
      planned((h) => {
        h.write('k', '1', 0, null);
        h.cas('k', '1', '2', 10, 20);
      }),
    ).toEqual([1, 2]);
  });

  it('an unknown cas nobody saw goes, and takes with it the unknown write only it expected', () => {
    expect(
      planned((h) => {
        h.write('k', '1', 0, null);
        h.cas('k', '1', '2', 10, null);
        h.read('k', null, 30, 40);
      }),
    ).toEqual([3]);
  });

  it('an unknown cas that writes back what it expected changes nothing, and goes', () => {
    expect(
      planned((h) => {
        h.write('k', '1', 0, 10);
        h.cas('k', '1', '1', 20, null);
        h.read('k', '1', 30, 40);
      }),
    ).toEqual([1, 3]);
  });

  it('an unknown cas from a value nobody writes fits nowhere, and goes', () => {
    expect(
      planned((h) => {
        h.cas('k', '9', '2', 0, null);
        h.read('k', '2', 30, 40);
      }),
    ).toEqual([2]);
  });

  it('an unknown cas from a value written once, which an acknowledged cas changed too, goes; and so, in turn, do those after it', () => {
    // The retry loop of a counter: attempts that timed out pile up behind the one that took effect.
    expect(
      planned((h) => {
        h.write('k', '0', 0, 10);
        h.cas('k', '0', '1', 20, null); // 2: lost to #3, which took effect
        h.cas('k', '0', '1', 20, 30);
        h.cas('k', '1', '2', 40, null); // 4: lost to #5
        h.cas('k', '1', '2', 40, 50);
        h.read('k', '2', 60, 70);
      }),
    ).toEqual([1, 3, 5, 6]);
  });

  it('the same from absent, when nothing deletes the key: only the initial state can be found absent', () => {
    expect(
      planned((h) => {
        h.cas('k', null, '1', 0, null);
        h.cas('k', null, '2', 0, 10);
        h.read('k', '1', 20, 30);
      }),
    ).toEqual([2, 3]);
  });

  it('but not when the value has two writes: each cas may have found its own', () => {
    expect(
      planned((h) => {
        h.write('k', '0', 0, 10);
        h.write('k', '0', 0, 10);
        h.cas('k', '0', '1', 20, null);
        h.cas('k', '0', '2', 20, 30);
        h.read('k', '1', 60, 70);
      }),
    ).toEqual([1, 2, 3, 4, 5]);
  });
});

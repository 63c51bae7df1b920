import { describe, expect, it } from 'vitest';
import { differingNodes, referenceValue } from './divergence';

describe('spotting replicas that disagree', () => {
  it("the leader's copy is the reference, even when it is the minority", () => {
    const copies = { n1: 'old', n2: 'old', n3: 'new' };
    expect(referenceValue(copies, 'n3')).toBe('new');
    expect([...differingNodes(copies, 'n3')]).toEqual(['n1', 'n2']);
  });

  it('without a leader the most common copy is the reference', () => {
    expect([...differingNodes({ n1: 'a', n2: 'b', n3: 'a' }, null)]).toEqual(['n2']);
  });

  it('a key missing on one node differs; an unreachable node does not', () => {
    expect([...differingNodes({ n1: 'a', n2: null, n3: undefined }, 'n1')]).toEqual(['n2']);
  });

  it('all equal: nothing highlighted', () => {
    expect(differingNodes({ n1: 'a', n2: 'a' }, 'n2').size).toBe(0);
  });
});

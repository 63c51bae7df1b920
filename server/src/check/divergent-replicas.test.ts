import { describe, expect, it } from 'vitest';
import { findDivergentReplicas } from './divergent-replicas';

describe('divergent replicas', () => {
  it('nodes that agree on every key do not diverge', () => {
    expect(findDivergentReplicas({ n1: { a: '1', b: null }, n2: { a: '1' }, n3: { a: '1', b: null } })).toEqual([]);
  });

  it('a key with different values on different nodes is divergent, and the sentence groups the nodes', () => {
    expect(findDivergentReplicas({ n1: { k: '7', x: '1' }, n2: { k: '7', x: '1' }, n3: { k: '5', x: '1' } })).toEqual([
      {
        kind: 'divergent-replicas',
        key: 'k',
        valuesByNode: { n1: '7', n2: '7', n3: '5' },
        sentence: 'Divergent replicas: nodes disagree on k: n1 and n2 have 7; n3 has 5.',
      },
    ]);
  });

  it('a key missing on one node counts as absent there', () => {
    const [divergent] = findDivergentReplicas({ n1: { k: '7' }, n2: {} });
    expect(divergent?.valuesByNode).toEqual({ n1: '7', n2: null });
    expect(divergent?.sentence).toBe('Divergent replicas: nodes disagree on k: n1 has 7; n2 has it absent.');
  });

  it('keys come out sorted, and a single node cannot diverge', () => {
    const keys = findDivergentReplicas({ n1: { b: '1', a: '1' }, n2: { b: '2', a: '2' } }).map((d) => d.key);
    expect(keys).toEqual(['a', 'b']);
    expect(findDivergentReplicas({ n1: { a: '1' } })).toEqual([]);
    expect(findDivergentReplicas({})).toEqual([]);
  });
});

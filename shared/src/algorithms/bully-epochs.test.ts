import { describe, expect, it } from 'vitest';
import { epochOwner, formatEpoch, nextEpoch } from './bully';

describe('epochs', () => {
  it('a node only ever claims epochs it owns, each above everything seen', () => {
    expect(nextEpoch(0, 'n3')).toBe(3);
    expect(nextEpoch(3, 'n2')).toBe(102);
    expect(nextEpoch(102, 'n3')).toBe(103);
    expect(nextEpoch(103, 'n3')).toBe(203);
    for (const seen of [0, 5, 99, 100, 150, 9999]) {
      const claim = nextEpoch(seen, 'n7');
      expect(claim).toBeGreaterThan(seen);
      expect(epochOwner(claim)).toBe('n7');
    }
  });

  it('two nodes can never claim the same epoch', () => {
    const byEpoch = new Map<number, string>();
    for (const id of ['n1', 'n2', 'n9', 'n42', 'n99']) {
      for (let seen = 0; seen < 1000; seen += 37) {
        const e = nextEpoch(seen, id);
        expect(byEpoch.get(e) ?? id).toBe(id);
        byEpoch.set(e, id);
      }
    }
  });

  it('reads as round·owner, rounds counted from 1, and "—" before any leader', () => {
    expect(formatEpoch(3)).toBe('1·n3');
    expect(formatEpoch(203)).toBe('3·n3');
    expect(formatEpoch(0)).toBe('—');
    expect(epochOwner(-5)).toBeNull();
  });
});

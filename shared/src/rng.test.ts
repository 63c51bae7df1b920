import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

const draw = (rng: Rng, n = 5) => Array.from({ length: n }, () => rng.next());

describe('the seeded generator', () => {
  it('the same seed and stream give the same numbers', () => {
    expect(draw(Rng.stream(42, 'network'))).toEqual(draw(Rng.stream(42, 'network')));
  });

  it('streams of one seed are independent of each other, and of nearby seeds', () => {
    expect(draw(Rng.stream(42, 'network'))).not.toEqual(draw(Rng.stream(42, 'clients')));
    expect(draw(Rng.stream(42, 'network'))).not.toEqual(draw(Rng.stream(43, 'network')));
  });

  it('draws stay in their ranges', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const x = rng.between(3, 5);
      expect(x === 3 || x === 4 || x === 5).toBe(true);
      expect(rng.exponential(10)).toBeGreaterThanOrEqual(0);
      expect(rng.next()).toBeLessThan(1);
    }
    expect(rng.chance(0)).toBe(false);
    expect(new Rng(1).shuffled([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
  });
});

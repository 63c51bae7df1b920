/**
 * A small seeded PRNG (mulberry32). The core draws its election timeouts from one of these,
 * so a simulator run with the same seed makes the same choices, event for event.
 */
export type Prng = () => number;

export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [min, max]. */
export function between(rng: Prng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

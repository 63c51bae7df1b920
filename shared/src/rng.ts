/**
 * The project's seeded randomness (mulberry32): the node core's election timeouts, the
 * simulator's faults, network and clients, and generated test histories all draw from it,
 * so the same seed gives the same run on every machine.
 *
 * A run draws from a few independent *streams* derived from the one seed — the fault
 * schedule, the network, the clients, the node cores — rather than from one shared sequence.
 * The run is just as reproducible, and a change in one part (say, the clients issue one more
 * request) does not reshuffle the others: the same seed keeps the same fault schedule under
 * `--write-ack all` and `--write-ack majority`, so the two can be compared fault for fault.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The stream called `name` of the run seeded with `seed`. */
  static stream(seed: number, name: string): Rng {
    return new Rng(mix(hashString(name) ^ mix(seed >>> 0) ^ Math.floor(seed / 2 ** 32)));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** A real number in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Exponentially distributed with this mean (memoryless waits: think times, network jitter). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** A new list in random order (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** FNV-1a: a stream name to 32 bits. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (from murmur3), so nearby seeds give unrelated streams. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

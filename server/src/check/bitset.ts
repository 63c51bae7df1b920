/**
 * A fixed-size set of small integers (op indexes), packed 32 to a word. The search keeps one
 * for "which ops are linearized so far" and stores copies in its cache, so copying, hashing
 * and comparing must be cheap.
 */
export class Bitset {
  private readonly words: Uint32Array;

  constructor(readonly size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32));
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
  }

  set(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] ?? 0) | (1 << (i & 31));
  }

  clear(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] ?? 0) & ~(1 << (i & 31));
  }

  /** A copy with `i` added; this set is unchanged. */
  with(i: number): Bitset {
    const copy = new Bitset(this.size, this.words.slice());
    copy.set(i);
    return copy;
  }

  equals(other: Bitset): boolean {
    if (other.words.length !== this.words.length) return false;
    for (let w = 0; w < this.words.length; w++) {
      if (this.words[w] !== other.words[w]) return false;
    }
    return true;
  }

  /** FNV-1a over the words: sets that differ in one bit almost never collide. */
  hash(): number {
    let h = 0x811c9dc5;
    for (let w = 0; w < this.words.length; w++) {
      h = Math.imul(h ^ (this.words[w] ?? 0), 0x01000193);
    }
    return h >>> 0;
  }
}

import type { Bitset } from './bitset';
import type { RegisterValue } from './register-ops';

/**
 * The memo that makes the search practical: a configuration is "these ops are linearized and
 * the register holds this value". Two paths that reach the same configuration have the same
 * future, so once one has been explored the other is skipped (Lowe's optimisation).
 */
export class StateCache {
  private readonly buckets = new Map<number, { linearized: Bitset; state: RegisterValue }[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Records the configuration; returns false if it was already there. */
  add(linearized: Bitset, state: RegisterValue): boolean {
    const hash = linearized.hash();
    const bucket = this.buckets.get(hash);
    if (!bucket) {
      this.buckets.set(hash, [{ linearized, state }]);
      this.count++;
      return true;
    }
    for (const seen of bucket) {
      if (seen.state === state && seen.linearized.equals(linearized)) return false;
    }
    bucket.push({ linearized, state });
    this.count++;
    return true;
  }
}

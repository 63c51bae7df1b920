/**
 * Virtual time: a queue of things that will happen, ordered by (time, insertion order).
 *
 * Nothing in a simulation happens "now" by itself; it happens because an entry came due.
 * Two entries due at the same millisecond run in the order they were scheduled, which makes
 * every tie-break explicit and every run with the same seed identical.
 */
export type Scheduled = { readonly at: number; readonly seq: number; readonly run: () => void };

export class EventQueue {
  private heap: Scheduled[] = [];
  private seq = 0;
  /** The virtual clock, in ms since the run started. Only moves forward. */
  now = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Runs `run` at virtual time `at` (never earlier than now: the past cannot be scheduled). */
  at(at: number, run: () => void): void {
    const entry = { at: Math.max(at, this.now), seq: this.seq++, run };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.now + delayMs, run);
  }

  /** When the next entry is due (Infinity when there is none). */
  nextAt(): number {
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Takes the next entry, advances the clock to its time and runs it. */
  runNext(): void {
    const heap = this.heap;
    const top = heap[0];
    if (!top) throw new Error('the event queue is empty');
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = last;
        let at = -1;
        if (l < heap.length && before(heap[l]!, smallest)) {
          smallest = heap[l]!;
          at = l;
        }
        if (r < heap.length && before(heap[r]!, smallest)) {
          smallest = heap[r]!;
          at = r;
        }
        if (at < 0) break;
        heap[i] = smallest;
        i = at;
      }
      heap[i] = last;
    }
    this.now = top.at;
    top.run();
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

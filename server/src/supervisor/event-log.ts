import { EVENT_BUFFER_SIZE, type ClusterEvent, type EmittedEvent } from '@clusterlab/shared';

/**
 * The cluster's memory of what happened: every event gets the next sequence number, and the
 * most recent `capacity` of them stay in a ring buffer for browsers that (re)connect.
 * Sequence numbers are contiguous, so the event with seq s sits at a computable slot and a
 * reader can always tell whether what it missed is still here.
 */
export class EventLog {
  private readonly slots: (ClusterEvent | undefined)[];
  private nextSeq = 1;
  /**
   * Everything but peer-message events, kept longer: heartbeats are most of the traffic, and
   * a browser that (re)loads wants the elections, faults and writes that explain the present.
   */
  private notable: ClusterEvent[] = [];

  constructor(
    readonly capacity: number = EVENT_BUFFER_SIZE,
    readonly notableCapacity: number = 5000,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<ClusterEvent | undefined>(capacity);
  }

  /** The seq of the newest event (0 before the first). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The seq of the oldest event still kept (lastSeq + 1 when empty). */
  get firstSeq(): number {
    return Math.max(1, this.nextSeq - this.capacity);
  }

  get size(): number {
    return this.nextSeq - this.firstSeq;
  }

  append(event: EmittedEvent): ClusterEvent {
    const stamped = { seq: this.nextSeq, ...event } as ClusterEvent;
    this.slots[this.slotOf(stamped.seq)] = stamped;
    this.nextSeq += 1;
    if (!stamped.kind.startsWith('message.')) {
      this.notable.push(stamped);
      // Trim in chunks so appending stays O(1) amortised.
      if (this.notable.length >= 2 * this.notableCapacity) this.notable = this.notable.slice(-this.notableCapacity);
    }
    return stamped;
  }

  /** True when every event after `seq` is still in the buffer, so a reader at `seq` can catch up without a gap. */
  hasAllAfter(seq: number): boolean {
    return Number.isInteger(seq) && seq >= this.firstSeq - 1 && seq <= this.lastSeq;
  }

  /** Events with seq in (afterSeq, upToSeq], oldest first, at most `limit` of them (the oldest ones). */
  after(afterSeq: number, limit = Number.POSITIVE_INFINITY, upToSeq = this.lastSeq): ClusterEvent[] {
    const from = Math.max(afterSeq + 1, this.firstSeq);
    const to = Math.min(upToSeq, this.lastSeq, from + limit - 1);
    const out: ClusterEvent[] = [];
    for (let seq = from; seq <= to; seq += 1) out.push(this.slots[this.slotOf(seq)] as ClusterEvent);
    return out;
  }

  /** The newest `count` events with seq ≤ upToSeq, oldest first. */
  recent(count: number, upToSeq = this.lastSeq): ClusterEvent[] {
    const to = Math.min(upToSeq, this.lastSeq);
    return this.after(Math.max(to - count, 0), count, to);
  }

  /**
   * What a browser's snapshot carries: the newest `count` events of every kind, plus up to
   * `notableCount` older notable ones, oldest first. Not contiguous: a picture of the past.
   */
  snapshot(count: number, notableCount: number, upToSeq = this.lastSeq): ClusterEvent[] {
    const latest = this.recent(count, upToSeq);
    const firstLatest = latest[0]?.seq ?? upToSeq + 1;
    const older: ClusterEvent[] = [];
    for (let i = this.notable.length - 1; i >= 0 && older.length < notableCount; i--) {
      const event = this.notable[i]!;
      if (event.seq < firstLatest) older.push(event);
    }
    return [...older.reverse(), ...latest];
  }

  private slotOf(seq: number): number {
    return (seq - 1) % this.capacity;
  }
}

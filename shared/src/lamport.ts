/**
 * A Lamport clock: one counter per process that every event advances and every received
 * message pulls forward past the sender's time. So if one event happened before another
 * (the same process, earlier; or a send and its receipt, and so on transitively) its time is
 * smaller — what a space-time diagram and the supervisor's ordering rest on. The converse does
 * not hold: two events with ordered times may be concurrent.
 */

/** Times stay exact integers however long a run goes, and a peer cannot push them past this. */
export const MAX_LAMPORT = 2 ** 48;

export class LamportClock {
  private time = 0;

  /** The time of the last event (0 before the first). */
  get now(): number {
    return this.time;
  }

  /** A new event on this process: its time. */
  tick(): number {
    if (this.time < MAX_LAMPORT) this.time += 1;
    return this.time;
  }

  /** A message stamped `sent` arrived: the next event (its receipt) comes after the send. */
  witness(sent: number): void {
    if (Number.isFinite(sent) && sent > this.time) this.time = Math.min(Math.floor(sent), MAX_LAMPORT - 1);
  }
}

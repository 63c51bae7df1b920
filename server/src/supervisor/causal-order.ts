import type { EmittedEvent } from '@clusterlab/shared';

/**
 * Puts the events of many processes into one order consistent with happened-before, as they
 * arrive. Each process's events come in the order it said them (one IPC channel each), so the
 * only thing that can arrive too early is a receipt: a node's "received m" whose sender's
 * "sent m" is still in the sender's unsent batch (children batch their events every 50 ms).
 *
 * A receipt names the Lamport time its message was sent at. It waits — and every later event
 * of its node waits behind it, to keep that node's order — until the sender's events up to that
 * time have come. Nothing else can depend on an event not yet seen, so this is exact, and it
 * keeps one number per process rather than a set of message ids.
 *
 * A sender's events may never come: it was SIGKILLed with a batch unsent, or it is paused. So
 * a wait ends when the supervisor sees the sender's process exit, or after `holdMs` at most.
 */
export class CausalOrder {
  /** Per process, the Lamport time of its newest event let through. */
  private readonly through = new Map<string, number>();
  /** Processes whose events wait, oldest first, and what for. */
  private readonly waiting = new Map<string, Waiting>();
  /** Processes that exited: whatever of theirs has not arrived never will. */
  private readonly departed = new Set<string>();
  /** Processes whose waiting events are going through right now (out of `waiting`, not yet all through). */
  private readonly draining = new Set<string>();

  constructor(private readonly holdMs: number) {}

  /** A process's next event, as it arrived at `now`: the events it lets through, in order (maybe none, maybe many). */
  accept(event: EmittedEvent, now: number): EmittedEvent[] {
    const out: EmittedEvent[] = [];
    this.departed.delete(event.node); // a new process under the same name
    const queue = this.waiting.get(event.node);
    if (queue) queue.events.push(event);
    else this.pass(event, now, out);
    return out;
  }

  /** Lets through what has waited `holdMs` (its sender's events are not coming). */
  expire(now: number): EmittedEvent[] {
    const out: EmittedEvent[] = [];
    for (const [node, w] of [...this.waiting]) if (now - w.since >= this.holdMs && this.waiting.get(node) === w) this.release(node, now, out);
    return out;
  }

  /**
   * The process `node` exited: nothing more of what it said is coming, so once what it said
   * has gone through (some may still wait here, behind a receipt of its own), nobody waits for it.
   */
  gone(node: string, now: number): EmittedEvent[] {
    const out: EmittedEvent[] = [];
    this.departed.add(node);
    if (!this.waiting.has(node)) this.releaseWaitersOn(node, now, out);
    return out;
  }

  private releaseWaitersOn(node: string, now: number, out: EmittedEvent[]): void {
    for (const [waiter, w] of [...this.waiting]) if (w.sender === node && this.waiting.get(waiter) === w) this.release(waiter, now, out);
  }

  /** When the oldest wait runs out (null when nothing waits). */
  nextDeadline(): number | null {
    let at: number | null = null;
    for (const w of this.waiting.values()) at = at === null ? w.since + this.holdMs : Math.min(at, w.since + this.holdMs);
    return at;
  }

  /** How many events wait now. */
  get held(): number {
    let n = 0;
    for (const w of this.waiting.values()) n += w.events.length;
    return n;
  }

  /** Lets `event` through, or makes its process wait if it is a receipt that came before its send. */
  private pass(event: EmittedEvent, now: number, out: EmittedEvent[]): void {
    const needs = sentBefore(event);
    if (needs && needs.sender !== event.node && (this.through.get(needs.sender) ?? 0) < needs.lamport && !this.arrivedAll(needs.sender)) {
      this.waiting.set(event.node, { sender: needs.sender, lamport: needs.lamport, since: now, events: [event] });
      return;
    }
    this.letThrough(event, now, out);
  }

  private letThrough(event: EmittedEvent, now: number, out: EmittedEvent[]): void {
    out.push(event);
    if (event.lamport > (this.through.get(event.node) ?? 0)) this.through.set(event.node, event.lamport);
    // Whoever waited for this process up to here may go on now (nearly always nobody: every event passes here).
    if (this.waiting.size === 0) return;
    for (const [waiter, w] of [...this.waiting]) {
      if (w.sender === event.node && w.lamport <= event.lamport && this.waiting.get(waiter) === w) this.release(waiter, now, out);
    }
  }

  /** True when `node` exited and nothing of what it said waits here: the rest is not coming. */
  private arrivedAll(node: string): boolean {
    return this.departed.has(node) && !this.waiting.has(node) && !this.draining.has(node);
  }

  /** Ends `node`'s wait: its events go through in order, until one has to wait again. */
  private release(node: string, now: number, out: EmittedEvent[]): void {
    const w = this.waiting.get(node);
    if (!w) return;
    this.waiting.delete(node);
    this.draining.add(node);
    const [first, ...rest] = w.events;
    this.letThrough(first!, now, out);
    for (let i = 0; i < rest.length; i++) {
      const queue = this.waiting.get(node);
      if (queue) {
        // The next receipt waits again: the rest waits behind it.
        queue.events.push(...rest.slice(i));
        break;
      }
      this.pass(rest[i]!, now, out);
    }
    this.draining.delete(node);
    if (!this.waiting.has(node) && this.departed.has(node)) this.releaseWaitersOn(node, now, out);
  }
}

type Waiting = { sender: string; lamport: number; since: number; events: EmittedEvent[] };

/** What must come before a receipt: its sender's event at the Lamport time it was sent. */
function sentBefore(event: EmittedEvent): { sender: string; lamport: number } | null {
  if ((event.kind === 'message.received' || event.kind === 'message.lost') && event.data.sentLamport !== undefined) {
    return { sender: event.data.from, lamport: event.data.sentLamport };
  }
  return null;
}

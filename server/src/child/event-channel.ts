import { LAMPORT_ENV, LamportClock, MAX_EVENTS_PER_BATCH, type ChildToSupervisor, type EmittedEvent, type EventBody } from '@clusterlab/shared';

/**
 * How a child process tells the world what happened. Under a supervisor (an IPC channel
 * exists) events travel in batches, a few IPC messages a second however busy the process is;
 * run by hand, each event is a JSON line on stdout, easy to read and to pipe into jq.
 */

export type EventChannel = {
  /**
   * Says what happened, stamped with this process's next Lamport time (returned: a message
   * sent carries its message.sent's time). `cause`: the peer message being answered.
   */
  emit(event: EventBody, cause?: string): number;
  /** A peer message stamped `lamport` arrived: whatever this process says next comes after its send. */
  witness(lamport: number): void;
  /** The Lamport time of the last event said. */
  lamportNow(): number;
  /** Sends the pending batch now (before exiting, say). */
  flush(): void;
  close(): void;
};

export type EventChannelOptions = {
  /** The `node` field of every event: a node id, or "registry". */
  source: string;
  now?: () => number;
  flushIntervalMs?: number;
  /** Past this many unsent events the oldest are dropped: a stuck channel must not eat memory. */
  maxPending?: number;
  /** Where the process's Lamport clock starts: by default the supervisor's time as it started it (LAMPORT_ENV). */
  startLamport?: number;
  /** Where events go without IPC; stdout by default. */
  writeLine?: (line: string) => void;
};


export function createEventChannel(options: EventChannelOptions): EventChannel {
  const now = options.now ?? Date.now;
  const maxPending = options.maxPending ?? 50_000;
  const writeLine = options.writeLine ?? ((line: string) => process.stdout.write(`${line}\n`));
  const viaIpc = typeof process.send === 'function';
  let pending: EmittedEvent[] = [];
  let dropped = 0;
  const clock = new LamportClock();
  clock.witness(options.startLamport ?? (Number(process.env[LAMPORT_ENV]) || 0));

  const flush = (): void => {
    if (pending.length === 0 || !process.connected || !process.send) return;
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_EVENTS_PER_BATCH);
      pending = pending.slice(batch.length);
      try {
        // false: the channel's own backlog is past its threshold. What is sent is out of our
        // hands and unbounded there; what waits here is bounded by maxPending (oldest dropped).
        if (!process.send({ type: 'events', events: batch } satisfies ChildToSupervisor)) break;
      } catch {
        // The supervisor is gone; the disconnect handler ends this process.
        pending = [];
      }
    }
    if (dropped > 0) {
      process.stderr.write(`dropped ${dropped} events the supervisor could not take in time\n`);
      dropped = 0;
    }
  };

  const timer = viaIpc ? setInterval(flush, options.flushIntervalMs ?? 50) : null;
  timer?.unref();

  return {
    emit(body, cause) {
      const lamport = clock.tick();
      const event = (cause === undefined ? { node: options.source, time: now(), lamport, ...body } : { node: options.source, time: now(), lamport, cause, ...body }) as EmittedEvent;
      if (!viaIpc) {
        writeLine(JSON.stringify(event));
        return lamport;
      }
      pending.push(event);
      if (pending.length > maxPending) {
        dropped += pending.length - maxPending;
        pending = pending.slice(pending.length - maxPending);
      }
      return lamport;
    },
    witness(lamport) {
      clock.witness(lamport);
    },
    lamportNow: () => clock.now,
    flush,
    close() {
      flush();
      if (timer) clearInterval(timer);
    },
  };
}

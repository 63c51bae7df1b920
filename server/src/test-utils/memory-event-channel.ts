import { LamportClock, type EmittedEvent } from '@clusterlab/shared';
import type { EventChannel } from '../child/event-channel';

/** An event channel that keeps what a node in this process says, stamped as a real one stamps it. */
export function memoryEventChannel(source: string, into: EmittedEvent[]): EventChannel {
  const clock = new LamportClock();
  return {
    emit(body, cause) {
      const lamport = clock.tick();
      into.push({ node: source, time: Date.now(), lamport, ...(cause === undefined ? {} : { cause }), ...body } as EmittedEvent);
      return lamport;
    },
    witness: (lamport) => clock.witness(lamport),
    lamportNow: () => clock.now,
    flush() {},
    close() {},
  };
}

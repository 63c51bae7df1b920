import type { ClusterEvent, EventData, EventKind } from '@clusterlab/shared';

/** Builds events for tests with increasing sequence numbers; time is given explicitly. */
export function eventFactory(startSeq = 1) {
  let seq = startSeq;
  return function ev<K extends EventKind>(time: number, node: string, kind: K, data: EventData<K>): ClusterEvent {
    const n = seq++;
    return { seq: n, lamport: n, time, node, kind, data } as ClusterEvent;
  };
}

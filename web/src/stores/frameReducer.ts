import type { ServerFrame } from '@clusterlab/shared';
import { applyClusterView, applyEventsToCluster, updateFeedLag, type ClusterState } from './clusterReducer';
import { appendEvents, applySnapshotEvents, type EventsState } from './eventsReducer';

export type FeedState = { cluster: ClusterState; events: EventsState };

/** One WebSocket frame → the next cluster and events slices, in one step (one store update). */
export function reduceFrame(prev: FeedState, frame: ServerFrame, receivedAt: number): FeedState {
  switch (frame.type) {
    case 'snapshot':
      // The snapshot's view already reflects its events; they only feed the log and timeline.
      return {
        cluster: applyClusterView(prev.cluster, frame.cluster, receivedAt),
        events: applySnapshotEvents(prev.events, frame, receivedAt),
      };
    case 'events': {
      const events = appendEvents(prev.events, frame.events);
      if (events === prev.events) return prev;
      // Only the events not seen before may move the cards.
      const fresh = frame.events.filter((e) => e.seq > prev.events.lastSeq);
      let cluster = applyEventsToCluster(prev.cluster, fresh);
      const newest = fresh.reduce((t, e) => Math.max(t, e.time), 0);
      if (cluster.loaded && newest > 0) cluster = updateFeedLag(cluster, newest, receivedAt);
      return { cluster, events };
    }
    case 'cluster':
      return { cluster: applyClusterView(prev.cluster, frame.cluster, receivedAt), events: prev.events };
    default:
      return prev;
  }
}

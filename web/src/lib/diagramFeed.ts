import type { ClusterEvent } from '@clusterlab/shared';
import { SpaceTimeBuffer } from './spaceTimeBuffer';

/**
 * The message diagram's buffer, fed straight from the WebSocket outside the store: at 5,000
 * events a second a React render per frame would cost more than drawing does. One per page;
 * the diagram subscribes to hear that it has something new to draw.
 */
export const diagramBuffer = new SpaceTimeBuffer();

type Listener = () => void;
const listeners = new Set<Listener>();

/** A moment of a recorded run, while the page looks at the past: the diagram draws this instead. */
let pastBuffer: SpaceTimeBuffer | null = null;

/** What the diagram draws: the live buffer, or the past moment's. */
export function shownDiagramBuffer(): SpaceTimeBuffer {
  return pastBuffer ?? diagramBuffer;
}

/** The diagram shows the run up to a past moment (its events, oldest first); null: back to live. */
export function showDiagramPast(events: readonly ClusterEvent[] | null): void {
  if (events === null) pastBuffer = null;
  else {
    pastBuffer = new SpaceTimeBuffer();
    pastBuffer.ingest(events);
  }
  for (const l of listeners) l();
}


/** A snapshot is the run's recent history: a new run (another boot) starts the buffer again. */
export function feedDiagramSnapshot(events: readonly ClusterEvent[], newRun: boolean): void {
  if (newRun) diagramBuffer.clear();
  feedDiagram(events);
}

export function feedDiagram(events: readonly ClusterEvent[]): void {
  const before = diagramBuffer.version;
  diagramBuffer.ingest(events);
  if (diagramBuffer.version !== before) for (const l of listeners) l();
}

export function subscribeDiagram(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

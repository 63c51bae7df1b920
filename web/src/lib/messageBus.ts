import type { ClusterEvent, MessageFamily } from '@clusterlab/shared';

export type SentMessage = { id: string; from: string; to: string; type: string; family: MessageFamily; time: number };
type Listener = (msgs: SentMessage[]) => void;

/**
 * Sent messages go straight from the feed to the animation layer, outside the store: dots
 * moving at 60 fps must not cost a React render per frame.
 */
const listeners = new Set<Listener>();

export function publishSentMessages(events: readonly ClusterEvent[]): void {
  if (listeners.size === 0) return;
  const msgs: SentMessage[] = [];
  for (const e of events) {
    if (e.kind === 'message.sent') msgs.push({ id: e.data.id, from: e.node, to: e.data.to, type: e.data.type, family: e.data.family ?? 'other', time: e.time });
  }
  if (msgs.length) for (const l of listeners) l(msgs);
}

export function subscribeSentMessages(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

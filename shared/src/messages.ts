import { z } from 'zod';
import { LogEntry, StoredValue } from './kv';

/**
 * Messages between nodes. Every message is one-way (a reply is its own message) and carries
 * the sender's epoch, so any node can tell a message from an old epoch and ignore it.
 */
const epoch = z.number().int().nonnegative();
const index = z.number().int().nonnegative();

export const PeerMessage = z.discriminatedUnion('type', [
  /** Leader → all: "I lead `epoch`; entries up to commitIndex are safe to apply". */
  z.object({ type: z.literal('heartbeat'), epoch, commitIndex: index }),
  /** Leader → follower: entries that follow (prevIndex, prevEpoch) in the leader's log. */
  z.object({
    type: z.literal('append'),
    epoch,
    prevIndex: index,
    prevEpoch: epoch,
    entries: z.array(LogEntry),
    commitIndex: index,
  }),
  /** Leader → follower: the whole key space as of `index`, for a follower too far behind or diverged. */
  z.object({
    type: z.literal('snapshot'),
    epoch,
    index,
    indexEpoch: epoch,
    data: z.array(z.tuple([z.string(), StoredValue])),
    commitIndex: index,
  }),
  /** Follower → leader: my log now matches yours up to matchIndex. */
  z.object({ type: z.literal('append.ack'), epoch, matchIndex: index }),
  /** Follower → leader: I am missing something; my log ends at (lastIndex, lastEpoch). */
  z.object({ type: z.literal('sync.request'), epoch, lastIndex: index, lastEpoch: epoch }),
  /** Candidate → higher-ranked nodes: "is anyone above me alive?" */
  z.object({ type: z.literal('election.ping'), epoch }),
  /** Higher-ranked node → candidate: "yes; stand down and wait for my victory". */
  z.object({ type: z.literal('election.answer'), epoch }),
  /** New leader → all: "I lead `epoch`". */
  z.object({ type: z.literal('election.victory'), epoch }),
  /** Any → sender of an old-epoch message: "the cluster has moved on to `epoch`". */
  z.object({ type: z.literal('epoch.stale'), epoch, leader: z.string().nullable() }),
  /** A node that just started or found new peers introduces itself; a leader answers with a heartbeat. */
  z.object({ type: z.literal('hello'), epoch }),
]);
export type PeerMessage = z.infer<typeof PeerMessage>;
export type PeerMessageType = PeerMessage['type'];
export type PeerMessageOf<T extends PeerMessageType> = Extract<PeerMessage, { type: T }>;

/** What travels over HTTP (POST /peer) or through the simulator's network. */
export const PeerEnvelope = z.object({
  /** Unique per sender process: pairs a message.sent event with its delivery or loss. */
  id: z.string().max(128),
  from: z.string(),
  to: z.string(),
  msg: PeerMessage,
});
export type PeerEnvelope = z.infer<typeof PeerEnvelope>;

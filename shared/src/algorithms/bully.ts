import { z } from 'zod';
import { KvCommand, StoredValue } from '../kv';
import { MAX_LOG_INDEX, MAX_TERM } from './vocabulary';

/**
 * The bully algorithm's protocol: what its nodes say to each other, and the events only it
 * emits. How it numbers leaderships (epochs) is in bully-epochs.ts, which the browser loads
 * without zod. Nothing outside these files and the bully core knows how an epoch is encoded.
 */
export * from './bully-epochs';

/** One entry of a bully log: the write, the index the leader gave it and the epoch it led. */
export const LogEntry = z.object({
  index: z.number().int().positive().max(MAX_LOG_INDEX),
  epoch: z.number().int().nonnegative().max(MAX_TERM),
  op: KvCommand,
});
export type LogEntry = z.infer<typeof LogEntry>;

/**
 * Messages between bully nodes. Every message is one-way (a reply is its own message) and
 * carries the sender's epoch, so any node can tell a message from an old epoch and ignore it.
 */
const epoch = z.number().int().nonnegative().max(MAX_TERM);
const index = z.number().int().nonnegative().max(MAX_LOG_INDEX);

export const BullyMessage = z.discriminatedUnion('type', [
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
  /**
   * Leader → follower too far behind or diverged: its key space as of (index, indexEpoch), in
   * chunks of pairs from `offset` on (each at most MAX_SNAPSHOT_CHUNK_BYTES of JSON, or one
   * larger pair alone), one in flight. The follower installs it only on the chunk marked `done`.
   */
  z.object({
    type: z.literal('snapshot'),
    epoch,
    index,
    indexEpoch: epoch,
    offset: index,
    data: z.array(z.tuple([z.string(), StoredValue])),
    done: z.boolean(),
    commitIndex: index,
  }),
  /** Follower → leader: of the snapshot as of `index`, I hold the pairs before `nextOffset`; send on from there. */
  z.object({ type: z.literal('snapshot.ack'), epoch, index, nextOffset: index }),
  /** Follower → leader: my log now matches yours up to matchIndex (after a snapshot: it is installed). */
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
export type BullyMessage = z.infer<typeof BullyMessage>;
export type BullyMessageType = BullyMessage['type'];
export type BullyMessageOf<T extends BullyMessageType> = Extract<BullyMessage, { type: T }>;

export const BULLY_MESSAGE_TYPES = BullyMessage.options.map((o) => o.shape.type.value);

export const bullyTermOf = (msg: BullyMessage): number => msg.epoch;

/** Events only bully emits, beside the shared leadership vocabulary. */
export const bullyEvents = [
  /** A higher node answered the candidate's ping: it waits for that node's victory. */
  z.object({ kind: z.literal('election.answered'), data: z.object({ term: epoch, by: z.string() }) }),
  /** A candidate gave up on an election (the node that answered sent no victory in time). */
  z.object({ kind: z.literal('election.abandoned'), data: z.object({ term: epoch, reason: z.string() }) }),
] as const;

import { z } from 'zod';
import { MAX_LAMPORT } from './lamport';
import { AlgorithmId } from './settings';

export type { PeerMessage } from './algorithms';

/**
 * What travels over HTTP (POST /peer) or through the simulator's network. The message itself
 * is checked against the receiving node's own algorithm (algorithms/index.ts), and the
 * envelope says which algorithm sent it, so a node of another cluster is refused by name.
 */
export const PeerEnvelope = z.object({
  /** Unique per sender process: pairs a message.sent event with its delivery or loss. */
  id: z.string().max(128),
  /** The sender's Lamport time when it sent the message (its message.sent event's). */
  lamport: z.number().int().nonnegative().max(MAX_LAMPORT).optional(),
  from: z.string().max(64),
  to: z.string().max(64),
  algorithm: AlgorithmId,
  msg: z.unknown(),
});
export type PeerEnvelope = z.infer<typeof PeerEnvelope>;

/** The most messages one POST /peer carries. */
export const MAX_MESSAGES_PER_BATCH = 512;

/**
 * Several messages from one node to another, in the order they were sent: what a node's
 * transport sends when messages queue up behind the one in flight. A POST /peer carries
 * either this or a single PeerEnvelope.
 */
export const PeerBatch = z.object({
  from: z.string().max(64),
  to: z.string().max(64),
  algorithm: AlgorithmId,
  messages: z.array(z.object({ id: z.string().max(128), lamport: z.number().int().nonnegative().max(MAX_LAMPORT).optional(), msg: z.unknown() })).min(1).max(MAX_MESSAGES_PER_BATCH),
});
export type PeerBatch = z.infer<typeof PeerBatch>;

import { z } from 'zod';
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
  from: z.string().max(64),
  to: z.string().max(64),
  algorithm: AlgorithmId,
  msg: z.unknown(),
});
export type PeerEnvelope = z.infer<typeof PeerEnvelope>;

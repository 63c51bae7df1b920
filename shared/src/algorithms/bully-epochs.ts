import { nodeIdForRank, nodeRank, type NodeId } from '../ids';

/**
 * Bully's term is its **epoch**: a single integer `round * 100 + rank`, so each node can only
 * ever claim epochs that end in its own rank. Two nodes that both time out in a partition
 * therefore can never both lead the *same* epoch (the same trick as Paxos ballot numbers),
 * and comparing two epochs is plain integer comparison everywhere else in the code.
 */
const EPOCH_STRIDE = 100;

/** The smallest epoch above `maxSeen` that `id` may claim. */
export function nextEpoch(maxSeen: number, id: NodeId): number {
  const rank = nodeRank(id);
  const round = Math.floor(maxSeen / EPOCH_STRIDE);
  const sameRound = round * EPOCH_STRIDE + rank;
  return sameRound > maxSeen ? sameRound : sameRound + EPOCH_STRIDE;
}

export function epochRound(epoch: number): number {
  return Math.floor(epoch / EPOCH_STRIDE);
}

/** The only node that can have led `epoch` (null for epoch 0, "no leader yet"). */
export function epochOwner(epoch: number): NodeId | null {
  if (!Number.isInteger(epoch) || epoch <= 0) return null;
  const rank = epoch % EPOCH_STRIDE;
  return rank === 0 ? null : nodeIdForRank(rank);
}

/** "3·n2" — the third round of elections, won by n2 (rounds count from 1 for people). */
export function formatEpoch(epoch: number): string {
  const owner = epochOwner(epoch);
  return owner ? `${epochRound(epoch) + 1}·${owner}` : '—';
}

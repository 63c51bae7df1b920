/**
 * Node identities. A node id is `n<rank>` with rank 1..99; the bully algorithm orders nodes
 * by rank, and everything else sorts them by it so n10 comes after n9.
 */

export const NODE_ID_PATTERN = /^n([1-9][0-9]?)$/;
export const MAX_NODE_RANK = 99;

export type NodeId = string;

export function isNodeId(value: string): boolean {
  return NODE_ID_PATTERN.test(value);
}

export function nodeRank(id: NodeId): number {
  const match = NODE_ID_PATTERN.exec(id);
  if (!match) throw new Error(`invalid node id ${JSON.stringify(id)}: expected n1..n${MAX_NODE_RANK}`);
  return Number(match[1]);
}

export function nodeIdForRank(rank: number): NodeId {
  if (!Number.isInteger(rank) || rank < 1 || rank > MAX_NODE_RANK) throw new Error(`rank ${rank} out of range`);
  return `n${rank}`;
}

export function compareNodeIds(a: NodeId, b: NodeId): number {
  return nodeRank(a) - nodeRank(b);
}

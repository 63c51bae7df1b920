import type { NodeStatus } from '@clusterlab/shared';

/** A node's GET /status for tests: a follower of nobody in particular, with what the test says. */
export function nodeStatus(over: Partial<NodeStatus> & { id: string }): NodeStatus {
  return {
    algorithm: 'bully',
    role: 'follower',
    term: 0,
    leader: null,
    peers: [],
    lastIndex: 0,
    commitIndex: 0,
    appliedIndex: 0,
    keyCount: 0,
    writeAck: 'majority',
    ...over,
  };
}

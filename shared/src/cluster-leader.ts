import type { NodeView } from './api';
import type { NodeId } from './ids';

/**
 * The cluster's leader: the leader of the highest term that any node whose process is not
 * stopped leads or follows — provided that leader is alive and itself claims that term.
 * A paused old leader still believes it leads, but once the others follow a newer term it is
 * no longer *the* leader; followers that still name a killed or restarted leader name nobody.
 * One definition for the supervisor's view and the dashboard's view of the past.
 */
export function clusterLeader(nodes: readonly Pick<NodeView, 'id' | 'status' | 'role' | 'leader' | 'term'>[]): { leader: NodeId | null; term: number } {
  let term = 0;
  let named: NodeId | null = null;
  for (const node of nodes) {
    if (node.status === 'stopped') continue;
    const follows = node.role === 'leader' ? node.id : node.role === 'follower' ? node.leader : null;
    if (follows !== null && node.term > term) {
      term = node.term;
      named = follows;
    }
  }
  const leader = nodes.find((n) => n.id === named);
  const confirmed = leader !== undefined && leader.status !== 'stopped' && leader.role === 'leader' && leader.term === term;
  return { leader: confirmed ? leader.id : null, term };
}

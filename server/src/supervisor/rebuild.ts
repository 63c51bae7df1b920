import { EXIT_LOG_DAMAGED, REBUILD_AFTER_DAMAGE, type NodeId } from '@clusterlab/shared';
import { HttpError } from '../http/json-http';
import type { NodeDirectory } from './kv-proxy';
import { changeMembership, type MembershipOptions } from './membership';
import type { ProcessManager } from './process-manager';

/**
 * What a restart does when the node will not start because its write-ahead log is damaged in
 * the middle: rebuild it from the cluster, as the algorithm says is safe (REBUILD_AFTER_DAMAGE).
 * Bully starts it empty and it syncs from the leader like any node that missed everything.
 * Raft first commits its removal from the configuration, starts it empty outside it, and adds
 * it back as a new member (a learner, promoted once it has caught up): an empty node must not
 * vote as the voter it was. With no other node running there is nothing to rebuild from, and
 * the restart's failure stands.
 */
export type RebuildDeps = {
  manager: ProcessManager;
  directory: () => NodeDirectory;
  membership: () => MembershipOptions;
};

export function isDamagedLog(manager: ProcessManager, id: string): boolean {
  return manager.exitOf(id)?.code === EXIT_LOG_DAMAGED;
}

export async function rebuildDamagedNode(deps: RebuildDeps, id: NodeId, failure: HttpError): Promise<void> {
  const others = deps.directory().nodes().filter((n) => n.id !== id && n.status === 'running');
  if (others.length === 0) {
    throw new HttpError(failure.status, `${failure.message}; no other node is running to rebuild it from, so it stays down`);
  }
  const how = REBUILD_AFTER_DAMAGE[deps.manager.settings.algorithm];
  const asNewMember = how === 'as-new-member';
  if (asNewMember) await changeMembership(deps.directory, { action: 'remove', id }, deps.membership());
  await deps.manager.rebuildNode(id, how);
  if (asNewMember) await changeMembership(deps.directory, { action: 'add', id }, deps.membership());
}

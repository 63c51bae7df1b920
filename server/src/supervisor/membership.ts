import type { NodeId } from '@clusterlab/shared';
import { HttpError } from '../http/json-http';
import { askFollowingRedirects, errorText, type NodeDirectory } from './kv-proxy';

/**
 * Raft keeps its membership in its log, not in the registry: a node the supervisor starts for
 * "Add node" only becomes part of the cluster once the leader has committed it (as a learner,
 * promoted to voter once it has caught up), and "Remove node" commits the removal before the
 * process is stopped. This asks the leader to do so, retrying while there is none (an
 * election in progress) until the deadline.
 */
export type MembershipChange = { action: 'add' | 'remove'; id: NodeId };

export type MembershipOptions = { timeoutMs: number; deadlineMs: number; retryMs: number };

export async function changeMembership(dir: () => NodeDirectory, change: MembershipChange, options: MembershipOptions): Promise<void> {
  const deadline = Date.now() + options.deadlineMs;
  const method = change.action === 'add' ? 'POST' : 'DELETE';
  let last = 'no node answered';
  for (;;) {
    const asked = await askFollowingRedirects(
      dir(),
      null,
      { method, path: `/members/${change.id}`, maxBodyBytes: 64 * 1024 },
      { timeoutMs: options.timeoutMs, maxHops: 3 },
    );
    if ('answer' in asked && asked.answer.status === 200) return;
    const status = 'answer' in asked ? asked.answer.status : asked.failure.status;
    last = 'answer' in asked ? errorText(asked.answer.body, status) : asked.failure.error;
    // A 4xx is the leader saying no (not a member, a change already in progress is a 503): final.
    if (status >= 400 && status < 500) break;
    if (Date.now() + options.retryMs > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.retryMs));
  }
  const what = change.action === 'add' ? `add ${change.id} to` : `remove ${change.id} from`;
  throw new HttpError(503, `could not ${what} the cluster's configuration: ${last}`);
}

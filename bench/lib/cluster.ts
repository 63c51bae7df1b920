import type { ClusterView, NodeView } from '@clusterlab/shared';
import { startSupervisor, type Supervisor, type SupervisorOptions } from '../../server/src/supervisor/supervisor';
import { poll } from './stats';

/** A real cluster for a benchmark: the supervisor's own code, real processes on loopback. */
export async function startCluster(options: SupervisorOptions = {}): Promise<Supervisor> {
  return startSupervisor({ port: 0, log: () => {}, ...options });
}

export function leaderOf(view: ClusterView): NodeView | undefined {
  return view.nodes.find((n) => n.id === view.leader && n.status === 'running' && n.url);
}

/** Wait until every node is running and follows one leader that every node agrees on. */
export async function settled(sup: Supervisor, timeoutMs = 10_000): Promise<NodeView> {
  return poll(
    async () => {
      const view = sup.cluster();
      const leader = leaderOf(view);
      if (!leader) return undefined;
      const agreed = view.nodes.every((n) => n.status === 'running' && n.leader === leader.id);
      return agreed ? leader : undefined;
    },
    timeoutMs,
    'a settled cluster',
    10,
  );
}

export async function api(sup: Supervisor, path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(new URL(path, sup.url), init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** One write through `nodeUrl`, following a redirect to the leader; true when acknowledged. */
export async function tryWrite(nodeUrl: string, key: string, value: string, timeoutMs = 500): Promise<boolean> {
  try {
    const res = await fetch(new URL(`/db/${encodeURIComponent(key)}`, nodeUrl), {
      method: 'PUT',
      body: value,
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

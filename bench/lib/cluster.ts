import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClusterEvent, ClusterView, NodeView } from '@clusterlab/shared';
import { stopChild, track } from './children';
import { poll } from './stats';

const SUPERVISOR = fileURLToPath(new URL('../../server/src/supervisor/main.ts', import.meta.url));

/**
 * A real cluster for a benchmark, started the way a user starts one (`npm start`): the
 * supervisor in its own process, so the load generator does not share its event loop.
 */
export class BenchCluster {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /** `extraArgs`: supervisor flags, e.g. the cluster settings (`--algorithm raft`, `--fsync batch`). */
  static async start(nodes = 3, extraArgs: string[] = []): Promise<BenchCluster> {
    const child = spawn(process.execPath, ['--import', 'tsx', SUPERVISOR, '--port', '0', '--nodes', String(nodes), ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const match = /^Clusterlab dashboard: (\S+)/.exec(line);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`supervisor exited (${code}) before it was ready:\n${stderr}`)));
    });
    return new BenchCluster(url, child);
  }

  async cluster(): Promise<ClusterView> {
    return (await this.api('/api/cluster')).json() as Promise<ClusterView>;
  }

  /** The supervisor's pid (not a node's). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Each running node's pid, by node id (from GET /api/cluster). */
  async nodePids(): Promise<Record<string, number>> {
    const view = await this.cluster();
    return Object.fromEntries(view.nodes.flatMap((n) => (n.status === 'running' && n.pid ? [[n.id, n.pid]] : [])));
  }

  /** Events after `since`, at most 1,000 pages of 10,000 (the supervisor keeps fewer anyway). */
  async events(since = 0): Promise<ClusterEvent[]> {
    const all: ClusterEvent[] = [];
    for (let pages = 0; pages < 1000; pages++) {
      const page = (await (await this.api(`/api/events?since=${since}&limit=10000`)).json()) as { events: ClusterEvent[] };
      all.push(...page.events);
      if (page.events.length < 10_000) break;
      since = page.events.at(-1)!.seq;
    }
    return all;
  }

  /** Events after `since`, and whether that is all of them (the supervisor keeps only its last 20,000). */
  async eventsSince(since: number): Promise<{ events: ClusterEvent[]; complete: boolean }> {
    const events = await this.events(since);
    const lastSeq = await this.lastSeq();
    const complete = events.length === 0 ? lastSeq <= since : events[0]!.seq === since + 1;
    return { events, complete };
  }

  async lastSeq(): Promise<number> {
    return ((await (await this.api('/api/events?since=0&limit=1')).json()) as { lastSeq: number }).lastSeq;
  }

  /** Writes carry Content-Type: application/json, the only kind the supervisor takes. */
  async api(path: string, init?: RequestInit): Promise<Response> {
    const write = init?.method !== undefined && init.method !== 'GET';
    const res = await fetch(new URL(path, this.url), write ? { ...init, headers: { 'content-type': 'application/json', ...init.headers } } : init);
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  }

  /** SIGTERM (the supervisor stops its nodes), and SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<void> {
    await stopChild(this.child, 10_000);
  }
}

export function leaderOf(view: ClusterView): NodeView | undefined {
  return view.nodes.find((n) => n.id === view.leader && n.status === 'running' && n.url);
}

/** Wait until every node is running and follows one leader that every node agrees on. */
export async function settled(c: BenchCluster, timeoutMs = 10_000): Promise<NodeView> {
  return poll(
    async () => {
      const view = await c.cluster();
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

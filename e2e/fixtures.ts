import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import type { ClusterView, NodeView } from '@clusterlab/shared';

const SUPERVISOR = fileURLToPath(new URL('../server/src/supervisor/main.ts', import.meta.url));

/** A real cluster, started the way a learner starts one, for one story. */
export class Cluster {
  /** The supervisor's base URL, without the token. */
  readonly url: string;
  /** The API's token, when the supervisor printed one in its URL (bound beyond loopback). */
  readonly token: string | null;

  /** `printed`: the URL the supervisor printed, the page a learner opens. */
  constructor(
    readonly printed: string,
    private readonly child: ChildProcess,
  ) {
    const url = new URL(printed);
    this.token = url.searchParams.get('token');
    this.url = `${url.origin}/`;
  }

  /** What an API call needs besides itself. */
  headers(): Record<string, string> {
    return this.token === null ? {} : { authorization: `Bearer ${this.token}` };
  }

  async view(): Promise<ClusterView> {
    const res = await fetch(new URL('/api/cluster', this.url), { headers: this.headers() });
    return (await res.json()) as ClusterView;
  }

  async node(id: string): Promise<NodeView> {
    const node = (await this.view()).nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  /** Waits (on the API, not the clock) until a leader is followed by every running node. */
  async settledLeader(): Promise<string> {
    let leader: string | null = null;
    await expect
      .poll(
        async () => {
          const view = await this.view();
          const running = view.nodes.filter((n) => n.status === 'running');
          leader = view.leader && running.every((n) => n.leader === view.leader) ? view.leader : null;
          return leader;
        },
        { message: 'a leader every running node follows', timeout: 15_000 },
      )
      .not.toBeNull();
    return leader!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
  }

  static async start(args: string[] = []): Promise<Cluster> {
    const child = spawn(process.execPath, ['--import', 'tsx', SUPERVISOR, '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the supervisor did not start in 30 s:\n${stderr}`)), 30_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const match = /^Clusterlab dashboard: (\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the supervisor exited (${code}) before it was ready:\n${stderr}`));
      });
    });
    return new Cluster(url, child);
  }
}

/**
 * The cluster's timing for the stories. The defaults (50 ms heartbeats, 200–300 ms election
 * timeouts, 150 ms to answer an election ping) assume CPU to spare. On a busy 2-core machine —
 * while a node process is being spawned, or a video recorded — a leader can go unscheduled for
 * a few hundred milliseconds: a follower then calls a needless election, and the bully rules
 * may hand the lead to another node in the middle of a story that is about something else.
 * Longer election timeouts keep each story about what it shows; heartbeats stay at 50 ms, and
 * what a learner gets from `npm start` is unchanged.
 */
export const STORY_TIMING = [
  '--election-timeout-min-ms', '600',
  '--election-timeout-max-ms', '900',
  '--election-answer-timeout-ms', '300',
  '--election-victory-timeout-ms', '900',
];

type Fixtures = { cluster: Cluster; clusterArgs: string[] };

/**
 * Every story gets a fresh cluster and the dashboard open on it; the cluster is stopped
 * afterwards whether the story passed or not (the supervisor takes its children with it).
 */
export const test = base.extend<Fixtures>({
  clusterArgs: [STORY_TIMING, { option: true }],
  cluster: async ({ clusterArgs }, use) => {
    const cluster = await Cluster.start(clusterArgs);
    try {
      await use(cluster);
    } finally {
      await cluster.stop();
    }
  },
  page: async ({ page, cluster }, use) => {
    // A story's learner has been here before: the first visit's welcome is welcome.spec.ts's own.
    await page.addInitScript("localStorage.setItem('clusterlab.welcomed', '1')");
    await page.goto(cluster.printed);
    await use(page);
  },
});

export { expect };

import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ClusterEvent, ClusterView, EventKind, EventsPage } from '@clusterlab/shared';
import { startSupervisor, type Supervisor, type SupervisorOptions } from '../supervisor/supervisor';
import { call } from './http';
import { waitForExit } from './processes';
import { waitFor, type WaitOptions } from './wait-for';

/**
 * A real supervisor (real registry and node processes on loopback) for one test: started
 * before it, stopped after it even when it fails, and checked to leave no process behind.
 * Its log is kept quiet and printed only when the test fails (or always, with CLUSTERLAB_TEST_LOG=1).
 */
export function useSupervisor(options: SupervisorOptions = {}, scope: 'each' | 'all' = 'each'): TestCluster {
  const cluster = new TestCluster(options);
  if (scope === 'all') {
    // One cluster for every test of the file: for tests that only read, or that clean up after themselves.
    beforeAll(() => cluster.start());
    afterAll(() => cluster.stop());
    afterEach((context) => {
      if (context.task.result?.state === 'fail') cluster.printLog(context.task.name);
    });
    return cluster;
  }
  beforeEach(() => cluster.start());
  afterEach(async (context) => {
    await cluster.stop();
    if (context.task.result?.state === 'fail') cluster.printLog(context.task.name);
  });
  return cluster;
}

export class TestCluster {
  readonly logLines: string[] = [];
  private current: Supervisor | null = null;
  private everPids = new Set<number>();

  constructor(private readonly options: SupervisorOptions = {}) {}

  async start(): Promise<Supervisor> {
    this.logLines.length = 0;
    this.current = await startSupervisor({
      port: 0,
      stopGraceMs: 2000,
      ...this.options,
      log: (line) => {
        if (process.env.CLUSTERLAB_TEST_LOG) process.stderr.write(`${line}\n`);
        if (this.logLines.length < 20_000) this.logLines.push(line);
      },
    });
    return this.current;
  }

  get supervisor(): Supervisor {
    if (!this.current) throw new Error('the supervisor is not running');
    return this.current;
  }

  /** What its API needs besides the request itself: the token, when it has one. */
  auth(): Record<string, string> {
    const { token } = this.supervisor;
    return token === null ? {} : { authorization: `Bearer ${token}` };
  }

  /** http://127.0.0.1:port/api/... */
  api(path: string): string {
    return `${this.supervisor.url}api${path}`;
  }

  async cluster(): Promise<ClusterView> {
    const answer = await call<ClusterView>(this.api('/cluster'), { headers: this.auth() });
    if (answer.status !== 200) throw new Error(`GET /api/cluster answered ${answer.status}`);
    for (const pid of [answer.body.registry.pid, ...answer.body.nodes.map((n) => n.pid)]) if (pid) this.everPids.add(pid);
    return answer.body;
  }

  /** Polls /api/cluster until `accept` returns something truthy. */
  async waitForCluster<T>(accept: (view: ClusterView) => T, options: WaitOptions): Promise<NonNullable<T>> {
    return waitFor(async () => accept(await this.cluster()), options);
  }

  async waitForLeader(options: Partial<WaitOptions> & { not?: string } = {}): Promise<ClusterView> {
    return this.waitForCluster((v) => (v.leader !== null && v.leader !== options.not ? v : null), {
      what: options.not ? `a leader other than ${options.not}` : 'a leader',
      timeoutMs: 15_000,
      ...options,
    });
  }

  async events(since = 0): Promise<EventsPage> {
    return (await call<EventsPage>(this.api(`/events?since=${since}&limit=20000`), { headers: this.auth() })).body;
  }

  /** Waits for an event of `kind` after `since` matching `match`. */
  async waitForEvent<K extends EventKind>(
    kind: K,
    match: (e: Extract<ClusterEvent, { kind: K }>) => boolean = () => true,
    options: Partial<WaitOptions> & { since?: number } = {},
  ): Promise<Extract<ClusterEvent, { kind: K }>> {
    return waitFor(
      async () =>
        (await this.events(options.since ?? 0)).events.find(
          (e): e is Extract<ClusterEvent, { kind: K }> => e.kind === kind && match(e as Extract<ClusterEvent, { kind: K }>),
        ),
      { what: `a ${kind} event`, ...options },
    );
  }

  printLog(testName: string): void {
    if (process.env.CLUSTERLAB_TEST_LOG) return; // already printed as it happened
    process.stderr.write(`--- supervisor log for "${testName}" ---\n${this.logLines.slice(-200).join('\n')}\n`);
  }

  /** Stops the supervisor and checks that every process it ever showed us is gone. */
  async stop(): Promise<void> {
    const running = this.current;
    if (!running) return;
    this.current = null;
    for (const pid of running.pids()) this.everPids.add(pid);
    await running.stop();
    const pids = [...this.everPids];
    this.everPids.clear();
    await waitForExit(pids, 10_000);
  }
}

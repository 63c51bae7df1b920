import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createServer } from 'node:net';
import {
  FAULTS_ENV,
  LAMPORT_ENV,
  MAX_NODE_RANK,
  MAX_NODES,
  compareNodeIds,
  isNodeId,
  nodeIdForRank,
  type ActiveFault,
  type ClusterSettings,
  type EmittedEvent,
  type EventBody,
  type FaultAction,
  type NodeId,
  type ProcessAction,
} from '@clusterlab/shared';
import { SECRET_ENV } from '../auth/cluster-secret';
import { settingsToArgs } from '../cli/settings-args';
import { HttpError } from '../http/json-http';
import { ManagedChild, type ExitInfo } from './child-process';
import type { ChildPrograms } from './child-programs';
import type { ProcessFacts } from './cluster-view';

/**
 * The supervisor's hands: it starts, signals and stops the registry and the nodes, and says
 * so in events. Every action a learner can take goes through here and either happens or is
 * refused with a clear reason (HttpError: 404 unknown, 409 not now); none can crash it.
 */


export type ProcessManagerOptions = {
  dataDir: string;
  settings: ClusterSettings;
  /** Events the supervisor itself witnesses (spawns, exits, faults), from `node`. */
  emit(node: string, body: EventBody): void;
  /** The supervisor's Lamport time: a child starts its clock there, so what it says comes after its start. */
  lamportNow?: () => number;
  /** Where a node process records its core's inputs for the current run's trace (runs.ts); null: nowhere. */
  recordDir?: () => string | null;
  /** Events the children report over IPC, already validated. */
  onChildEvents(events: EmittedEvent[]): void;
  log(line: string): void;
  echoChildStdout: boolean;
  /** How long SIGTERM may take before SIGKILL. */
  stopGraceMs: number;
  /** How long the registry may take to say it is listening. */
  registryReadyTimeoutMs: number;
  /** The programs to run: bundled .mjs (child-programs.ts), or .ts sources run through tsx. */
  scripts: ChildPrograms;
  /** The cluster's secret (supervisor.ts picks it). */
  secret: string;
  /** The lasting faults in force (fault-state.ts): every node starts with them and is sent every change. */
  faults?: () => readonly ActiveFault[];
};

const LOOPBACK = '127.0.0.1';

/**
 * A database node under load allocates fast but keeps little (a bully leader under 64
 * clients holds ~19 MiB live), and V8 left to itself keeps the garbage:
 * - V8 grows a busy process's young generation to 16 MiB a half; with 2 MiB the garbage is
 *   collected young instead of being promoted and held (followers ~110 → ~92 MiB RSS).
 * - With its default heap limit (4 GiB here) V8 lets the old generation grow far past what is
 *   live; under a limit of 1 GiB or less it sizes it to what is used. The leader under 64
 *   clients: 141–148 → 96–99 MiB RSS, three runs each, alternating; writes/s about 10% lower
 *   (8,446 → 7,609, medians), the price of collecting more often. 1 GiB is still far more
 *   than a playground node holds.
 * - glibc gives each thread that allocates (the fsyncs run on libuv's pool) an arena of its
 *   own; two are plenty (about 6 MiB less, writes/s unchanged).
 */
const NODE_PROCESS_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=1024'];
const NODE_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' };

export class ProcessManager {
  settings: ClusterSettings;
  private registry: ManagedChild | null = null;
  /** Kept across registry restarts: running nodes know the registry only by this address. */
  private registryPort: number | null = null;
  private readonly nodes = new Map<NodeId, ManagedChild>();
  /**
   * The nodes a fresh cluster started with: its first voters (Raft keeps membership in its log
   * from then on; a node added later joins as a learner). Bully ignores it.
   */
  private initialVoters: NodeId[] = [];
  /** Targets in the middle of an action, and which; a second action on the same target is refused (409) until it is done. */
  private readonly busy = new Map<string, string>();
  private resetting = false;
  private shuttingDown = false;
  /**
   * What makes a process a member of this cluster: the registry and every node get it in
   * their environment, and sign (and check) every peer message and registration with it.
   */
  private readonly secretEnv: Record<string, string>;

  constructor(private readonly options: ProcessManagerOptions) {
    this.settings = options.settings;
    this.secretEnv = { [SECRET_ENV]: options.secret };
  }

  // ── What the view needs ──────────────────────────────────────────────────────────────────

  registryFacts(): ProcessFacts {
    return this.registry?.facts() ?? { status: 'stopped', pid: null, port: this.registryPort, startedAt: null, exit: null };
  }

  registryUrl(): string | null {
    return this.registryPort === null ? null : `http://${LOOPBACK}:${this.registryPort}`;
  }

  nodeFacts(): Map<NodeId, ProcessFacts> {
    return new Map([...this.nodes].map(([id, child]) => [id, child.facts()]));
  }

  nodeIds(): NodeId[] {
    return [...this.nodes.keys()].sort(compareNodeIds);
  }

  /** Hands every running node the whole set of lasting faults now in force. */
  sendFaults(active: readonly ActiveFault[]): void {
    for (const child of this.nodes.values()) child.send({ type: 'faults', active: [...active] });
  }

  // ── Whole-cluster lifecycle ───────────────────────────────────────────────────────────────

  /**
   * The registry and nodes n1..nN, all at once: the registry's port is chosen up front so the
   * nodes can be told where it will be (they keep retrying until it answers). Starting them
   * one after the other would add the registry's whole start-up to the wait for a leader.
   * Resolves once the registry listens and every node is spawned.
   */
  async startCluster(nodeCount: number): Promise<void> {
    this.options.emit('supervisor', { kind: 'cluster.started', data: { settings: this.settings, nodes: nodeCount } });
    this.registryPort ??= await freePort();
    const registry = this.startRegistry();
    this.initialVoters = Array.from({ length: nodeCount }, (_, i) => nodeIdForRank(i + 1));
    const nodes = Promise.all(this.initialVoters.map((id) => this.spawnNode(id)));
    await Promise.all([registry, nodes]);
  }

  /** Everything stopped, data wiped, then a fresh cluster of `nodeCount` nodes with `settings`. */
  async reset(nodeCount: number, settings: ClusterSettings): Promise<void> {
    this.refuseWhileBusy();
    if (this.busy.size > 0) {
      throw new HttpError(409, `cannot reset while ${[...this.busy].map(([t, what]) => `${t} is ${what}`).join(', ')}`);
    }
    this.resetting = true;
    try {
      this.options.emit('supervisor', { kind: 'fault.injected', data: { action: 'reset', target: 'cluster' } });
      await this.stopEverything();
      this.nodes.clear();
      this.registry = null;
      // A fresh cluster has no node that knows the old registry's address, and since the old
      // registry stopped, anything listening on port 0 may have been given that port.
      this.registryPort = null;
      await this.wipeNodeData();
      this.settings = settings;
      await this.startCluster(nodeCount);
    } finally {
      this.resetting = false;
    }
  }

  /** Stops every child gracefully (SIGKILL after the grace period). Idempotent. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.stopEverything();
  }

  /** Synchronous last resort, for a supervisor that is exiting right now. */
  killAllNow(): void {
    for (const child of this.nodes.values()) child.killNow();
    this.registry?.killNow();
  }

  /** Every pid this manager currently holds (alive or not), for leak checks. */
  pids(): number[] {
    return [this.registry, ...this.nodes.values()].flatMap((c) => (c?.pid != null ? [c.pid] : []));
  }

  // ── Nodes ─────────────────────────────────────────────────────────────────────────────────

  async addNode(): Promise<NodeId> {
    this.refuseWhileBusy();
    const beingAdded = [...this.busy.values()].filter((what) => what === BEING_ADDED).length;
    if (this.nodes.size + beingAdded >= MAX_NODES) {
      throw new HttpError(409, `the cluster already has ${MAX_NODES} nodes, the most it may have; remove one first`);
    }
    const id = this.smallestFreeId();
    return this.whileBusy(id, BEING_ADDED, async () => {
      this.fault('add', id);
      await this.spawnNode(id);
      return id;
    });
  }

  async nodeAction(id: string, action: ProcessAction): Promise<void> {
    this.refuseWhileBusy();
    const child = this.requireNode(id);
    await this.whileBusy(id, actionInProgress[action], async () => {
      switch (action) {
        case 'kill':
          this.requireAlive(id, child, 'kill');
          this.fault('kill', id);
          await child.kill();
          return;
        case 'stop':
          this.requireAlive(id, child, 'stop');
          this.fault('stop', id);
          await child.stop(this.options.stopGraceMs);
          return;
        case 'pause':
          this.requirePausable(id, child);
          this.fault('pause', id);
          child.pause();
          return;
        case 'resume':
          this.requirePaused(id, child);
          this.fault('resume', id);
          child.resume();
          return;
        case 'restart':
          this.fault('restart', id);
          await child.stop(this.options.stopGraceMs);
          await this.spawnNode(id);
          await this.confirmStarted(id);
          return;
        default:
          return assertNever(action);
      }
    });
  }

  /** How the node's last process ended, if it has ended. */
  exitOf(id: string): ExitInfo | null {
    return this.nodes.get(id as NodeId)?.exit ?? null;
  }

  /**
   * A stopped node whose data cannot be trusted (a damaged log) is started again with none:
   * its folder is set aside under damaged/ for a person to look at, never deleted. As a new
   * member it starts outside the configuration (no --voters), to be added back (rebuild.ts).
   */
  async rebuildNode(id: string, how: 'from-leader' | 'as-new-member'): Promise<void> {
    this.refuseWhileBusy();
    const child = this.requireNode(id);
    return this.whileBusy(id, 'being rebuilt', async () => {
      if (child.alive) throw new HttpError(409, `${id} is running; only a node that cannot start is rebuilt`);
      const movedTo = path.join(this.options.dataDir, 'damaged', `${id}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      await mkdir(path.dirname(movedTo), { recursive: true });
      await rename(this.dataDirOf(id as NodeId), movedTo);
      if (how === 'as-new-member') this.initialVoters = this.initialVoters.filter((v) => v !== id);
      this.options.emit('supervisor', { kind: 'node.rebuilt', data: { id, movedTo, how } });
      await this.spawnNode(id as NodeId);
      await this.confirmStarted(id as NodeId);
    });
  }

  /** Stops the node and forgets it, data and all. */
  async removeNode(id: string): Promise<void> {
    this.refuseWhileBusy();
    const child = this.requireNode(id);
    await this.whileBusy(id, 'being removed', async () => {
      this.fault('remove', id);
      await child.stop(this.options.stopGraceMs);
      this.nodes.delete(id);
      await rm(this.dataDirOf(id), { recursive: true, force: true });
      this.options.emit(id, { kind: 'node.removed', data: { id } });
    });
  }

  // ── The registry ──────────────────────────────────────────────────────────────────────────

  async registryAction(action: ProcessAction): Promise<void> {
    this.refuseWhileBusy();
    await this.whileBusy('registry', actionInProgress[action], async () => {
      const child = this.registry;
      switch (action) {
        case 'kill':
          this.requireAlive('the registry', child, 'kill');
          this.fault('kill', 'registry');
          await child?.kill();
          return;
        case 'stop':
          this.requireAlive('the registry', child, 'stop');
          this.fault('stop', 'registry');
          await child?.stop(this.options.stopGraceMs);
          return;
        case 'pause':
          this.requirePausable('the registry', child);
          this.fault('pause', 'registry');
          child?.pause();
          return;
        case 'resume':
          this.requirePaused('the registry', child);
          this.fault('resume', 'registry');
          child?.resume();
          return;
        case 'restart':
          this.fault('restart', 'registry');
          await child?.stop(this.options.stopGraceMs);
          await this.startRegistry();
          return;
        default:
          return assertNever(action);
      }
    });
  }

  // ── Spawning ──────────────────────────────────────────────────────────────────────────────

  /** Spawns the registry (on its old port, if it had one) and waits until it listens. */
  private async startRegistry(): Promise<void> {
    let ready: (port: number) => void = () => {};
    const listening = new Promise<number>((resolve) => (ready = resolve));
    const child: ManagedChild = new ManagedChild(
      {
        name: 'registry',
        script: this.options.scripts.registry,
        env: { ...this.secretEnv, [LAMPORT_ENV]: String(this.options.lamportNow?.() ?? 0) },
        args: [
          '--port', String(this.registryPort ?? 0),
          '--host', LOOPBACK,
          '--registry-ttl-ms', String(this.settings.registryTtlMs),
        ],
        echoStdout: this.options.echoChildStdout,
      },
      {
        onReady: (port) => {
          if (this.registry !== child) return;
          this.registryPort = port;
          ready(port);
        },
        onEvents: (events) => {
          if (this.registry === child) this.options.onChildEvents(events);
        },
        onExit: (exit, expected) => {
          if (this.registry !== child) return;
          this.options.emit('registry', { kind: 'registry.exited', data: { ...exit, expected } });
        },
        log: this.options.log,
      },
    );
    this.registry = child;

    const timeoutMs = this.options.registryReadyTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      listening.then(() => 'ready' as const),
      child.exited.then((exit) => exit),
      new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome === 'ready') return;
    if (outcome === 'late') {
      await child.stop(this.options.stopGraceMs);
      throw new HttpError(504, `the registry did not report it was listening within ${timeoutMs} ms`);
    }
    throw new HttpError(502, `the registry exited while starting (${describeExit(outcome)}); see its log above`);
  }

  private async spawnNode(id: NodeId): Promise<void> {
    const registryUrl = this.registryUrl();
    if (registryUrl === null) throw new HttpError(503, 'the registry has never started, so a node would have nowhere to register');
    const dataDir = this.dataDirOf(id);
    await mkdir(dataDir, { recursive: true });
    const faults = () => [...(this.options.faults?.() ?? [])];
    const child: ManagedChild = new ManagedChild(
      {
        name: id,
        script: this.options.scripts.node,
        nodeFlags: NODE_PROCESS_FLAGS,
        flushBeforeKill: true,
        // The faults in force from its first instruction: an IPC message could arrive before it listens.
        env: { ...NODE_PROCESS_ENV, ...this.secretEnv, [FAULTS_ENV]: JSON.stringify(faults()), [LAMPORT_ENV]: String(this.options.lamportNow?.() ?? 0) },
        args: [
          '--id', id,
          '--registry-url', registryUrl,
          '--data-dir', dataDir,
          '--port', '0',
          '--host', LOOPBACK,
          ...(this.initialVoters.includes(id) ? ['--voters', this.initialVoters.join(',')] : []),
          ...recordArgs(this.options.recordDir?.() ?? null),
          ...settingsToArgs(this.settings),
        ],
        echoStdout: this.options.echoChildStdout,
      },
      {
        // The child records its own port; the view reads it from there. The faults again, in
        // case they changed between the spawn and the moment it began to listen for them.
        onReady: () => {
          if (this.nodes.get(id) === child) child.send({ type: 'faults', active: faults() });
        },
        onEvents: (events) => {
          if (this.nodes.get(id) === child) this.options.onChildEvents(events);
        },
        onExit: (exit, expected) => {
          if (this.nodes.get(id) !== child) return;
          this.options.emit(id, { kind: 'node.exited', data: { id, ...exit, expected } });
        },
        log: this.options.log,
      },
    );
    this.nodes.set(id, child);
    if (child.pid !== null) this.options.emit(id, { kind: 'node.spawned', data: { id, pid: child.pid } });
  }

  /**
   * Waits (bounded) for a node just spawned to say it listens. One that exits instead — a
   * damaged write-ahead log, say — is a failed start, answered with the node's last words
   * rather than a cheerful "starting"; one that is merely slow is left to come up.
   */
  private async confirmStarted(id: NodeId): Promise<void> {
    const child = this.nodes.get(id);
    if (!child) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.registryReadyTimeoutMs)));
    const outcome = await Promise.race([child.started, late]);
    clearTimeout(timer);
    if (outcome !== false) return;
    const words = (await child.lastWords()).filter((line) => line.trim() !== '');
    const said = words.length > 0 ? `; its last words: ${words.slice(-3).join(' / ')}` : '';
    throw new HttpError(502, `${id} did not start (${describeExit(child.exit ?? { code: null, signal: null })})${said}`);
  }

  private async stopEverything(): Promise<void> {
    const grace = this.options.stopGraceMs;
    // Nodes first, so their goodbye to the registry still finds it listening.
    await Promise.all([...this.nodes.values()].map((child) => child.stop(grace)));
    await this.registry?.stop(grace);
  }

  private async wipeNodeData(): Promise<void> {
    // Only what we own: node folders. A --data-dir a user pointed at may hold anything else.
    const entries = await readdir(this.options.dataDir).catch(() => [] as string[]);
    await Promise.all(entries.filter(isNodeId).map((name) => rm(this.dataDirOf(name), { recursive: true, force: true })));
  }

  private dataDirOf(id: NodeId): string {
    return path.join(this.options.dataDir, id);
  }

  private smallestFreeId(): NodeId {
    for (let rank = 1; rank <= MAX_NODE_RANK; rank += 1) {
      const id = nodeIdForRank(rank);
      if (!this.nodes.has(id) && !this.busy.has(id)) return id;
    }
    throw new HttpError(409, `no free node id left (n1..n${MAX_NODE_RANK})`);
  }

  // ── Preconditions: each refusal says what is wrong and what would work ────────────────────

  private fault(action: FaultAction, target: string): void {
    this.options.emit('supervisor', { kind: 'fault.injected', data: { action, target } });
  }

  private refuseWhileBusy(): void {
    if (this.shuttingDown) throw new HttpError(503, 'the supervisor is shutting down');
    if (this.resetting) throw new HttpError(409, 'the cluster is being reset; try again in a moment');
  }

  private async whileBusy<T>(target: string, what: string, action: () => Promise<T>): Promise<T> {
    const current = this.busy.get(target);
    if (current) throw new HttpError(409, `${target} is ${current}; try again in a moment`);
    this.busy.set(target, what);
    try {
      return await action();
    } finally {
      this.busy.delete(target);
    }
  }

  private requireNode(id: string): ManagedChild {
    const child = isNodeId(id) ? this.nodes.get(id) : undefined;
    if (!child) {
      const known = this.nodeIds();
      throw new HttpError(404, `no node ${JSON.stringify(id)}; the cluster has ${known.length ? known.join(', ') : 'no nodes'}`);
    }
    return child;
  }

  private requireAlive(name: string, child: ManagedChild | null, verb: string): asserts child is ManagedChild {
    if (!child?.alive) throw new HttpError(409, `cannot ${verb} ${name}: it is already stopped`);
  }

  private requirePausable(name: string, child: ManagedChild | null): asserts child is ManagedChild {
    if (!child?.alive) throw new HttpError(409, `cannot pause ${name}: it is stopped; restart it first`);
    if (child.status === 'paused') throw new HttpError(409, `${name} is already paused`);
  }

  private requirePaused(name: string, child: ManagedChild | null): asserts child is ManagedChild {
    if (!child?.alive) throw new HttpError(409, `cannot resume ${name}: it is stopped; restart it instead`);
    if (child.status !== 'paused') throw new HttpError(409, `cannot resume ${name}: it is not paused (it is ${child.status})`);
  }
}

const BEING_ADDED = 'being added';
const actionInProgress: Record<ProcessAction, string> = {
  kill: 'being killed',
  stop: 'stopping',
  pause: 'being paused',
  resume: 'resuming',
  restart: 'restarting',
};

function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled action ${String(value)}`);
}

/** A port nothing listens on right now (the OS picks it; we let it go for the registry to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function recordArgs(dir: string | null): string[] {
  return dir === null ? [] : ['--record', dir];
}

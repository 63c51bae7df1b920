import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import {
  ClusterSettings,
  DEFAULT_SETTINGS,
  MAX_NODES,
  type ClusterEvent,
  type ClusterView,
  type EmittedEvent,
  type EventBody,
} from '@clusterlab/shared';
import { newClusterSecret, readClusterSecret, SECRET_ENV } from '../auth/cluster-secret';
import { jsonErrorHandler, notFound, sendError, zodMessage } from '../http/json-http';
import { apiRouter } from './api';
import { directoryOf, writeDeadlineMs, type ApiContext } from './api/context';
import { nodeAction } from './api/lifecycle-routes';
import { DEFAULT_INTERIM_EVERY_MS } from './workload/workload-run';
import { DEFAULT_LESSONS_DIR, loadLessons } from './lessons/lesson-files';
import { Comparisons, type TwinCluster } from './lessons/comparison';
import { Lessons } from './lessons/lessons';
import { SupervisorHost } from './lessons/supervisor-host';
import { Workloads } from './workload/workloads';
import { ClusterState } from './cluster-state';
import { composeClusterView, urlOf } from './cluster-view';
import { childPrograms, type ChildPrograms } from './child-programs';
import { FaultState } from './fault-state';
import { ProcessManager } from './process-manager';
import { Runs } from './runs';
import { startReconciler } from './reconciler';
import { DEFAULT_WEB_DIR, serveDashboard } from './static';
import { createOwnedDataDir, removeAbandonedDataDirs } from './temp-data-dirs';
import { accessPolicy } from './guards/access-policy';
import { httpGuards, upgradeGuard } from './guards/browser-guards';
import { attachEventStream, type EventStreamOptions } from './ws-stream';
import { answerParserErrorsAsJson } from '../http/parser-errors';

/**
 * The supervisor as a library: one call brings up the HTTP server, the registry and the nodes,
 * and hands back a handle whose stop() leaves nothing behind. main.ts, the integration tests,
 * the e2e tests and the benchmarks all start a cluster this one way.
 */

export type SupervisorOptions = {
  /** 0 (the default here) picks a free port; the CLI defaults to 4000. */
  port?: number;
  /** Anything but loopback (the default, 127.0.0.1) requires a token on /api and /ws. */
  host?: string;
  /** Require this token (default: none on loopback, a random one otherwise). */
  token?: string;
  /** Nodes to start with: 0..25 (0 is for tests of the registry alone). Default 3. */
  nodes?: number;
  /** Where nodes keep their data (a folder per node). Default: a fresh temp folder, removed by stop(). */
  dataDir?: string;
  /** Overrides of the default cluster settings. */
  settings?: Partial<ClusterSettings>;
  /** Record every run (events and each node's core inputs) for GET /api/runs; default true. */
  record?: boolean;
  /** The built dashboard. Default: web/dist. */
  webDir?: string;
  /** The lessons' scenario files. Default: lessons/. */
  lessonsDir?: string;
  /** Where the supervisor's and its children's log lines go. Default: stderr. */
  log?: (line: string) => void;
  /** Echo the children's stdout too (they are quiet on stdout under IPC anyway). */
  echoChildStdout?: boolean;
  /** How long a child may take to exit after SIGTERM before SIGKILL. Default 3000. */
  stopGraceMs?: number;
  /**
   * The secret that makes a process a member of this cluster. Default: CLUSTERLAB_SECRET from
   * the environment (so a node started by hand can join), else a fresh random one.
   */
  secret?: string;
  /** The programs to run; tests may point these elsewhere. */
  scripts?: Partial<ChildPrograms>;
  timing?: Partial<SupervisorTiming>;
  /** How far behind a /ws client may fall before it is dropped; tests lower it. */
  eventStream?: Pick<EventStreamOptions, 'maxBufferedBytes' | 'dropGraceMs'>;
};

export type SupervisorTiming = {
  /** How often each running node's GET /status is read to heal the view. */
  reconcileIntervalMs: number;
  registryPollIntervalMs: number;
  /** Deadline for those polls. */
  statusTimeoutMs: number;
  /** Deadline for one proxied key/value request (reads; writes get writeTimeoutMs + 1 s). */
  kvTimeoutMs: number;
  registryReadyTimeoutMs: number;
  /** After a workload's last op, how long the replicas get to agree before their final states are taken as they are. */
  workloadSettleMs: number;
  /** How often a long workload's history so far is checked while it runs. */
  workloadInterimEveryMs: number;
};

const DEFAULT_TIMING: SupervisorTiming = {
  reconcileIntervalMs: 500,
  registryPollIntervalMs: 250,
  statusTimeoutMs: 400,
  kvTimeoutMs: 2500,
  registryReadyTimeoutMs: 15_000,
  workloadSettleMs: 5000,
  workloadInterimEveryMs: DEFAULT_INTERIM_EVERY_MS,
};

export type Supervisor = {
  /** http://host:port/ — the dashboard; the API is under /api, the stream at /ws. */
  url: string;
  /** The page to open: `url`, with ?token=… when a token is required. */
  dashboardUrl: string;
  /** What /api and /ws require as `Authorization: Bearer <token>` (or ?token= on /ws); null = nothing. */
  token: string | null;
  port: number;
  host: string;
  dataDir: string;
  /** WebSocket clients of /ws whose sockets are still open (being dropped included). */
  streamClients(): number;
  cluster(): ClusterView;
  /** Events after `afterSeq` (oldest first, at most `limit`), straight from the ring buffer. */
  events(afterSeq?: number, limit?: number): ClusterEvent[];
  /** Pids of the children it holds now (registry and nodes, alive or not). */
  pids(): number[];
  /** Stops every child (SIGCONT, SIGTERM, SIGKILL after the grace period) and the server. Idempotent. */
  stop(): Promise<void>;
  /** For a process that is exiting this very moment: SIGKILL every child, synchronously. */
  killAllNow(): void;
};

export async function startSupervisor(options: SupervisorOptions = {}): Promise<Supervisor> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? '127.0.0.1';
  const nodeCount = options.nodes ?? 3;
  if (!Number.isInteger(nodeCount) || nodeCount < 0 || nodeCount > MAX_NODES) {
    throw new Error(`nodes must be a whole number from 0 to ${MAX_NODES}, got ${nodeCount}`);
  }
  const parsedSettings = ClusterSettings.safeParse({ ...DEFAULT_SETTINGS, ...options.settings });
  if (!parsedSettings.success) throw new Error(zodMessage(parsedSettings.error, 'invalid settings: '));
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const access = accessPolicy(host, options.token);

  // Checked here, once, so a secret too short is one sentence, not every child failing to start.
  const secret = options.secret ?? (process.env[SECRET_ENV] ? readClusterSecret(undefined) : newClusterSecret());
  const ownsDataDir = options.dataDir === undefined;
  if (ownsDataDir) {
    const removed = await removeAbandonedDataDirs();
    if (removed.length > 0) log(`[supervisor] removed ${removed.length} data folder${removed.length === 1 ? '' : 's'} left by supervisors that were killed`);
  }
  const dataDir = ownsDataDir ? await createOwnedDataDir() : path.resolve(options.dataDir as string);
  await mkdir(dataDir, { recursive: true });

  const state = new ClusterState({ registryTtlMs: parsedSettings.data.registryTtlMs });
  const runs = new Runs(path.join(dataDir, 'runs'));
  if (options.record ?? true) {
    state.onEvent((event) => {
      if (event.kind === 'cluster.started') runs.begin(event.data.settings, event.data.nodes, event.time);
      runs.record(event);
    });
  }
  const programs = { ...(await childPrograms(log)), ...options.scripts };
  const manager = new ProcessManager({
    dataDir,
    settings: parsedSettings.data,
    emit: (node: string, body: EventBody) => void state.say(node, body),
    onChildEvents: (events) => events.forEach((event) => state.ingest(event)),
    lamportNow: () => state.lamportNow,
    recordDir: () => runs.recordDir,
    log,
    echoChildStdout: options.echoChildStdout ?? false,
    stopGraceMs: options.stopGraceMs ?? 3000,
    registryReadyTimeoutMs: timing.registryReadyTimeoutMs,
    scripts: programs,
    secret,
    faults: () => faults.list(),
  });
  const faults = new FaultState({
    emit: (body) => state.say('supervisor', body),
    onChange: (active) => manager.sendFaults(active),
  });

  const view = (): ClusterView => {
    const { startedAt: _startedAt, exit: _exit, ...registry } = manager.registryFacts();
    return composeClusterView({
      processes: manager.nodeFacts(),
      facts: state.facts,
      registry: { ...registry, url: urlOf(registry.port), ttlMs: state.registryTtlMs, nodes: state.registryNodes },
      settings: manager.settings,
      now: Date.now(),
    });
  };

  const reset = async (nodes: number, settings: ClusterSettings): Promise<void> => {
    // A fresh cluster starts whole: every lasting fault ends with the old one (each says so).
    faults.heal('all');
    await manager.reset(nodes, settings);
    state.registryTtlMs = settings.registryTtlMs;
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(httpGuards(access));
  const emitOwn = (body: EventBody): void => void state.say('supervisor', body);
  const lessons: Lessons = new Lessons(loadLessons(options.lessonsDir ?? DEFAULT_LESSONS_DIR), () => new SupervisorHost(api), emitOwn);
  const api: ApiContext = {
    manager,
    state,
    faults,
    view,
    reset,
    kvTimeoutMs: () => timing.kvTimeoutMs,
    log,
    checkerProgram: programs.checker,
    runs,
    // The host needs the context it is part of: made when a run starts, by then complete.
    lessons,
    comparisons: new Comparisons(lessons, () => startTwin(options, log), log),
    workloads: new Workloads((id, spec) => ({
      id,
      spec,
      directory: () => directoryOf(api),
      activeFaults: () => faults.list(),
      faultViews: () => faults.views(),
      faultActions: {
        apply: (fault) => faults.apply(fault),
        heal: (id) => void faults.heal(id),
        act: (fault) => nodeAction(api, fault.node, fault.kind),
      },
      onEvent: (listener) => state.onEvent(listener),
      emit: emitOwn,
      readTimeoutMs: timing.kvTimeoutMs,
      writeTimeoutMs: writeDeadlineMs(api),
      settleMs: timing.workloadSettleMs,
      interimEveryMs: timing.workloadInterimEveryMs,
      checkerProgram: programs.checker,
      log,
    })),
  };
  app.use(apiRouter(api));
  // The stream's path without an upgrade is neither the dashboard's page nor a 404.
  app.all('/ws', (_req, res) => sendError(res, 426, 'the event stream at /ws is a WebSocket: connect with Upgrade: websocket', { Upgrade: 'websocket' }));
  serveDashboard(app, options.webDir ?? DEFAULT_WEB_DIR);
  app.use(notFound());
  app.use(jsonErrorHandler(log));

  const server = createServer(app);
  answerParserErrorsAsJson(server);
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  server.on('error', (err) => log(`[supervisor] server error: ${err.message}`));
  const stream = attachEventStream({ server, log: state.log, view, logLine: log, admit: upgradeGuard(access), ...options.eventStream });
  let reconciler: { stop(): void } | null = null;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      reconciler?.stop();
      await api.comparisons.stop();
      await api.lessons.stop();
      await api.workloads.close();
      stream.close();
      server.closeAllConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await manager.shutdown();
      state.close();
      runs.close(Date.now());
      await closed;
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    })());

  try {
    await manager.startCluster(nodeCount);
  } catch (err) {
    await stop();
    throw err instanceof Error ? new Error(`the cluster did not start: ${err.message}`) : err;
  }
  reconciler = startReconciler({
    state,
    manager,
    nodeIntervalMs: timing.reconcileIntervalMs,
    registryIntervalMs: timing.registryPollIntervalMs,
    timeoutMs: timing.statusTimeoutMs,
  });

  const url = `http://${displayHost(host)}:${port}/`;
  return {
    url,
    dashboardUrl: access.token === null ? url : `${url}?token=${access.token}`,
    token: access.token,
    port,
    host,
    dataDir,
    cluster: view,
    events: (afterSeq = 0, limit = Number.POSITIVE_INFINITY) => state.log.after(afterSeq, limit),
    streamClients: () => stream.clientCount(),
    pids: () => manager.pids(),
    stop,
    killAllNow: () => {
      api.comparisons.killAllNow();
      manager.killAllNow();
    },
  };
}

/**
 * The second cluster a comparison plays on: another supervisor in this process, on a port, a
 * secret and a temp folder of its own (so neither cluster's nodes can reach the other's), with
 * no recording and no nodes until the lesson starts them.
 */
async function startTwin(options: SupervisorOptions, log: (line: string) => void): Promise<TwinCluster> {
  const twin = await startSupervisor({
    nodes: 0,
    record: false,
    secret: newClusterSecret(),
    ...(options.lessonsDir ? { lessonsDir: options.lessonsDir } : {}),
    ...(options.webDir ? { webDir: options.webDir } : {}),
    ...(options.scripts ? { scripts: options.scripts } : {}),
    ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    log: (line) => log(`[compare] ${line}`),
  });
  return { url: twin.url, stop: twin.stop, killAllNow: twin.killAllNow };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use (try --port 0 for any free port)` : err.message;
      reject(new Error(`cannot listen on ${host}:${port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A wildcard address is not something a browser can open; loopback is. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

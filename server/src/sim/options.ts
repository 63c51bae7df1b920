import { DEFAULT_SETTINGS, type ClusterSettings, type FaultFamily, type FaultSchedule } from '@clusterlab/shared';
import { flagName } from '../cli/setting-flags';
import type { ReadMode } from '../node/core/types';
import { DEFAULT_CLIENT_OPTIONS } from './clients';
import { DEFAULT_LATENCY, type Latency } from './network';

/** Everything that decides a run. Same options (seed included) → same run, event for event. */
export type SimOptions = {
  seed: number;
  nodes: number;
  /** Clients work and faults strike for this long; then comes the quiet period. */
  durationMs: number;
  settings: ClusterSettings;
  /** Families a random schedule draws from (ignored when `schedule` is given). */
  faults: FaultFamily[];
  /** A hand-written schedule, and the file it came from (for the replay command). */
  schedule?: { faults: FaultSchedule; file: string };
  clients: number;
  /** What the clients do: reads and writes of a few registers, or a bank's transfers between `keys` accounts (shared/src/bank.ts). */
  workload: 'registers' | 'bank';
  /** Share of the register clients' ops that are compare-and-sets on a version they read (the rest: reads, deletes, puts). */
  casShare: number;
  /** Keys they share (accounts, for the bank: at least 2). */
  keys: number;
  readFrom: 'home' | 'any';
  /** What clients ask for (GET /db/:key?read=…); by default what the algorithm's nodes default to. */
  readMode: ReadMode;
  clientTimeoutMs: number;
  latency: Latency;
  /** How long the cluster may take to converge once every fault is mended. */
  settleTimeoutMs: number;
  /** Keep every event (for --trace and the determinism tests); costs memory and time. */
  trace: boolean;
  /** Run the linearizability checker and the anomaly finders on the history. */
  check: boolean;
};

export function defaultOptions(overrides: Partial<SimOptions> = {}): SimOptions {
  const settings = overrides.settings ?? DEFAULT_SETTINGS;
  return {
    seed: 1,
    nodes: 3,
    durationMs: 10_000,
    faults: [],
    clients: 3,
    workload: 'registers',
    casShare: 0,
    keys: 3,
    readFrom: DEFAULT_CLIENT_OPTIONS.readFrom,
    readMode: defaultReadMode(settings),
    // Longer than the leader's own write timeout, so a slow write is answered 504, not abandoned.
    clientTimeoutMs: settings.writeTimeoutMs + 500,
    latency: DEFAULT_LATENCY,
    settleTimeoutMs: 15_000,
    trace: false,
    check: true,
    ...overrides,
    settings,
  };
}

/** As a node answers a GET without ?read=: bully from its own copy, Raft linearizably. */
export function defaultReadMode(settings: ClusterSettings): ReadMode {
  return settings.algorithm === 'raft' ? 'linearizable' : 'local';
}

/** The command that replays a run exactly: the seed plus every option that differs from the default. */
export function replayCommand(o: SimOptions): string {
  const d = defaultOptions({ settings: o.settings });
  const args = ['npm run sim --', `--seed ${o.seed}`, `--nodes ${o.nodes}`, `--duration ${formatDuration(o.durationMs)}`];
  if (o.schedule) args.push(`--schedule ${o.schedule.file}`);
  else args.push(`--faults ${o.faults.length > 0 ? o.faults.join(',') : 'none'}`);
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof ClusterSettings)[]) {
    if (o.settings[key] !== DEFAULT_SETTINGS[key]) args.push(`--${flagName(key)} ${o.settings[key]}`);
  }
  if (o.clients !== d.clients) args.push(`--clients ${o.clients}`);
  if (o.workload !== d.workload) args.push(`--workload ${o.workload}`);
  if (o.casShare !== d.casShare) args.push(`--cas ${o.casShare}`);
  if (o.keys !== d.keys) args.push(`--keys ${o.keys}`);
  if (o.readFrom !== d.readFrom) args.push(`--reads ${o.readFrom}`);
  if (o.readMode !== d.readMode) args.push(`--read ${o.readMode}`);
  if (o.clientTimeoutMs !== d.clientTimeoutMs) args.push(`--client-timeout-ms ${o.clientTimeoutMs}`);
  if (o.latency.minMs !== d.latency.minMs) args.push(`--latency-min-ms ${o.latency.minMs}`);
  if (o.latency.meanJitterMs !== d.latency.meanJitterMs) args.push(`--latency-jitter-ms ${o.latency.meanJitterMs}`);
  if (o.settleTimeoutMs !== d.settleTimeoutMs) args.push(`--settle-timeout-ms ${o.settleTimeoutMs}`);
  return args.join(' ');
}

/** 60000 → "60s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** "60s", "1.5s", "800ms", "2m", or a bare number of ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)} (try 60s, 1500ms, 2m)`);
  const n = Number(m[1]);
  const ms = m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
  if (!Number.isFinite(ms) || ms <= 0 || ms > 24 * 3600_000) throw new Error(`duration out of range: ${text}`);
  return Math.round(ms);
}

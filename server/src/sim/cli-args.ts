import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, FAULT_FAMILIES, FaultFamily, type FaultSchedule } from '@clusterlab/shared';
import { settingsFromValues, settingsHelp, settingsOptions } from '../cli/settings-args';
import { READ_MODES, type ReadMode } from '../node/core/types';
import { defaultOptions, parseDuration, type SimOptions } from './options';
import { parseSchedule } from './schedule';

/** The simulator's flags, parsed into SimOptions — the inverse of `replayCommand` (options.ts). */
export type CliRequest = {
  options: SimOptions;
  /** Set for a sweep (--seeds). */
  seeds: number[] | null;
  historyFile: string | null;
  /** A lesson's scenario file to play (--scenario), instead of clients and a fault schedule. */
  scenarioFile: string | null;
  traceFile: string | null;
  failOnAnomaly: boolean;
  help: boolean;
};

export class UsageError extends Error {}

export const USAGE = `Usage: npm run sim -- [options]

Runs a whole Clusterlab cluster in virtual time against a fault schedule, checks invariants
after every step, and checks the clients' history for linearizability and named anomalies.

  --seed N                 the run's seed (default 1); the same seed replays the same run
  --seeds A..B | A,B,C     run many seeds; prints seeds/second and anomaly rates per fault kind
  --nodes N                nodes in the cluster (default 3)
  --duration 60s           how long clients work and faults strike (default 10s); then a quiet
                           period in which the cluster must converge
  --faults LIST            random faults from: ${FAULT_FAMILIES.join(', ')}, all, none (default none)
  --schedule FILE.json     a hand-written fault schedule instead (the form: shared/src/faults.ts), e.g.
                           [{ "at": 2000, "fault": { "kind": "kill", "node": "n3" } },
                            { "at": 2500, "id": "one-way", "fault": { "kind": "cut", "from": "n1", "to": "n2" } },
                            { "at": 4000, "fault": { "kind": "restart", "node": "n3" } },
                            { "at": 6000, "heal": "one-way" }]
  --clients K              simulated clients (default 3)
  --workload registers|bank
                           what the clients do: read, write and delete a few keys (default), or
                           move money between accounts in transactions and read every balance in one
  --cas SHARE              share of ops that are compare-and-sets, 0..0.4 (default 0): write only if the key
                           is still at the version the client last read (If-Match), checked as cas ops
  --keys K                 keys they share, or the bank's accounts (default 3)
  --reads home|any         where clients read: their home node (the leader, once redirected) or a random node
  --read local|leader|linearizable
                           how fresh a read must be (as GET /db/:key?read=); default: bully local, raft linearizable
  --client-timeout-ms MS   a client gives up on a request after this (default: write timeout + 500)
  --latency-min-ms MS      least one-way network latency (default 1)
  --latency-jitter-ms MS   mean exponential jitter on top (default 2)
  --settle-timeout-ms MS   how long the quiet period may take to converge (default 15000)
  --scenario FILE.json     play a lesson's scenario (lessons/*.json, shared/src/scenario.ts) step by step
                           in virtual time, with the --seed given; exit 1 if a step's moment did not come
  --history FILE.json      write the client history (the shared History schema)
  --trace FILE.ndjson      write the run as a trace (docs/trace-format.md): every core's boot
                           and inputs, and every event (virtual times), for replay and fork
  --no-check               skip the linearizability checker (invariants are always checked)
  --fail-on-anomaly        exit 1 when the checker finds an anomaly, not only on a broken invariant
  --help

Cluster settings (the same flags as a node's):
${settingsHelp()}

Exit status: 0 when every invariant held, 1 when one broke (or --fail-on-anomaly found an
anomaly), 2 on bad usage.`;

/** `readJson` reads a --schedule file (the CLI passes a file reader; tests pass a table). */
export function parseCli(argv: string[], readJson: (file: string) => unknown): CliRequest {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...settingsOptions,
        seed: { type: 'string' },
        seeds: { type: 'string' },
        nodes: { type: 'string' },
        duration: { type: 'string' },
        faults: { type: 'string' },
        schedule: { type: 'string' },
        clients: { type: 'string' },
        keys: { type: 'string' },
        workload: { type: 'string' },
        cas: { type: 'string' },
        reads: { type: 'string' },
        read: { type: 'string' },
        'client-timeout-ms': { type: 'string' },
        'latency-min-ms': { type: 'string' },
        'latency-jitter-ms': { type: 'string' },
        'settle-timeout-ms': { type: 'string' },
        history: { type: 'string' },
        scenario: { type: 'string' },
        trace: { type: 'string' },
        'no-check': { type: 'boolean' },
        'fail-on-anomaly': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  let settings;
  try {
    settings = settingsFromValues(values, DEFAULT_SETTINGS);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const base = defaultOptions({ settings });
  const options: SimOptions = {
    ...base,
    seed: int(str('seed'), base.seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    nodes: int(str('nodes'), base.nodes, 'nodes', 1, 25),
    durationMs: str('duration') ? duration(str('duration')!) : base.durationMs,
    faults: parseFaults(str('faults')),
    clients: int(str('clients'), base.clients, 'clients', 0, 100),
    keys: int(str('keys'), base.keys, 'keys', 1, 1000),
    workload: parseWorkload(str('workload')),
    casShare: parseShare(str('cas')),
    readFrom: parseReads(str('reads'), base.readFrom),
    readMode: parseReadMode(str('read'), base.readMode),
    clientTimeoutMs: int(str('client-timeout-ms'), base.clientTimeoutMs, 'client-timeout-ms', 1, 600_000),
    latency: {
      minMs: int(str('latency-min-ms'), base.latency.minMs, 'latency-min-ms', 0, 60_000),
      meanJitterMs: int(str('latency-jitter-ms'), base.latency.meanJitterMs, 'latency-jitter-ms', 0, 60_000),
    },
    settleTimeoutMs: int(str('settle-timeout-ms'), base.settleTimeoutMs, 'settle-timeout-ms', 100, 3_600_000),
    trace: str('trace') !== undefined,
    check: values['no-check'] !== true,
  };
  const scheduleFile = str('schedule');
  if (scheduleFile) {
    if (str('faults')) throw new UsageError('give either --faults (a random schedule) or --schedule (a file), not both');
    const nodes = Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`);
    const clients = Array.from({ length: options.clients }, (_, i) => `c${i + 1}`);
    let faults: FaultSchedule;
    try {
      faults = parseSchedule(readJson(scheduleFile), nodes, clients);
    } catch (err) {
      throw new UsageError(`--schedule ${scheduleFile}: ${(err as Error).message}`);
    }
    options.schedule = { faults, file: scheduleFile };
  }
  const seeds = str('seeds') ? parseSeeds(str('seeds')!) : null;
  if (seeds && scheduleFile) throw new UsageError('--seeds draws random schedules; it cannot be combined with --schedule');
  return {
    options,
    seeds,
    historyFile: str('history') ?? null,
    scenarioFile: str('scenario') ?? null,
    traceFile: str('trace') ?? null,
    failOnAnomaly: values['fail-on-anomaly'] === true,
    help: values.help === true,
  };
}

function int(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return n;
}

export function duration(raw: string): number {
  try {
    return parseDuration(raw);
  } catch (err) {
    throw new UsageError(`--duration: ${(err as Error).message}`);
  }
}

export function parseFaults(raw: string | undefined): FaultFamily[] {
  if (raw === undefined || raw === 'none' || raw === '') return [];
  if (raw === 'all') return [...FAULT_FAMILIES];
  const families = raw.split(',').map((name) => {
    const parsed = FaultFamily.safeParse(name.trim());
    if (!parsed.success) throw new UsageError(`unknown fault kind ${JSON.stringify(name)}: use ${FAULT_FAMILIES.join(', ')}, all or none`);
    return parsed.data;
  });
  return [...new Set(families)];
}

function parseReads(raw: string | undefined, fallback: SimOptions['readFrom']): SimOptions['readFrom'] {
  if (raw === undefined) return fallback;
  if (raw === 'home' || raw === 'any') return raw;
  throw new UsageError(`--reads is home or any, not ${JSON.stringify(raw)}`);
}

function parseReadMode(raw: string | undefined, fallback: ReadMode): ReadMode {
  if (raw === undefined) return fallback;
  if ((READ_MODES as readonly string[]).includes(raw)) return raw as ReadMode;
  throw new UsageError(`--read is ${READ_MODES.join(', ')}, not ${JSON.stringify(raw)}`);
}

/** "1..500", "3,7,42" or "42". */
export function parseSeeds(raw: string): number[] {
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(raw.trim());
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from || to - from >= 1_000_000) throw new UsageError(`--seeds ${raw}: give a range like 1..500 (at most a million seeds)`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((s) => !Number.isSafeInteger(s))) throw new UsageError(`--seeds ${raw}: give a range like 1..500 or a list like 3,7,42`);
  return list;
}

function parseWorkload(raw: string | undefined): SimOptions['workload'] {
  if (raw === undefined || raw === 'registers') return 'registers';
  if (raw === 'bank') return 'bank';
  throw new UsageError(`--workload must be registers or bank, not ${JSON.stringify(raw)}`);
}

/** Reads take half the ops and deletes a tenth, so a compare-and-set may have at most 0.4 of them. */
function parseShare(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const share = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || share > 0.4) throw new UsageError(`--cas must be a share from 0 to 0.4 (of the ops that are not reads or deletes), not ${JSON.stringify(raw)}`);
  return share;
}

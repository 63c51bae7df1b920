import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, FAULT_FAMILIES, FaultFamily } from '@clusterlab/shared';
import { settingsFromValues, settingsHelp, settingsOptions } from '../cli/settings-args';
import { defaultOptions, formatDuration, parseDuration, type SimOptions } from './options';
import { findings, formatRunReport } from './report';
import { runSimulation } from './runner';
import { parseSchedule } from './schedule';
import { formatSweepReport, runSweep, sweepRows } from './sweep';

/**
 * npm run sim -- --seed 42 --nodes 5 --duration 60s --faults partitions,crashes
 * npm run sim -- --seeds 1..500 --faults all
 *
 * The only file in the simulator that touches the real world: it reads flags and schedule
 * files, writes --history/--trace files, and times sweeps with the wall clock (which never
 * reaches the simulation itself).
 */
const USAGE = `Usage: npm run sim -- [options]

Runs a whole Clusterlab cluster in virtual time against a fault schedule, checks invariants
after every step, and checks the clients' history for linearizability and named anomalies.

  --seed N                 the run's seed (default 1); the same seed replays the same run
  --seeds A..B | A,B,C     run many seeds; prints seeds/second and anomaly rates per fault kind
  --nodes N                nodes in the cluster (default 3)
  --duration 60s           how long clients work and faults strike (default 10s); then a quiet
                           period in which the cluster must converge
  --faults LIST            random faults from: ${FAULT_FAMILIES.join(', ')}, all, none (default none)
  --schedule FILE.json     a hand-written fault schedule instead ([{ "at": 1000, "fault": { "kind": "crash", "node": "n3" } }, …])
  --clients K              simulated clients (default 3)
  --keys K                 keys they share (default 3)
  --reads home|any         where clients read: their home node (the leader, once redirected) or a random node
  --client-timeout-ms MS   a client gives up on a request after this (default: write timeout + 500)
  --latency-min-ms MS      least one-way network latency (default 1)
  --latency-jitter-ms MS   mean exponential jitter on top (default 2)
  --settle-timeout-ms MS   how long the quiet period may take to converge (default 15000)
  --history FILE.json      write the client history (shared History schema)
  --trace FILE.json        write every event (EmittedEvent, virtual times) with the schedule
  --no-check               skip the linearizability checker (invariants are always checked)
  --fail-on-anomaly        exit 1 when the checker finds an anomaly, not only on a broken invariant
  --help

Cluster settings (same flags as a node):
${settingsHelp()}

Exit status: 0 when every invariant held, 1 when one broke (or --fail-on-anomaly found one), 2 on bad usage.`;

function main(argv: string[]): number {
  const { values } = parseArgs({
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
      reads: { type: 'string' },
      'client-timeout-ms': { type: 'string' },
      'latency-min-ms': { type: 'string' },
      'latency-jitter-ms': { type: 'string' },
      'settle-timeout-ms': { type: 'string' },
      history: { type: 'string' },
      trace: { type: 'string' },
      'no-check': { type: 'boolean' },
      'fail-on-anomaly': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const settings = settingsFromValues(values, DEFAULT_SETTINGS);
  const base = defaultOptions({ settings });
  const options: SimOptions = {
    ...base,
    seed: int(values.seed, base.seed, 'seed', -(2 ** 53), 2 ** 53),
    nodes: int(values.nodes, base.nodes, 'nodes', 1, 25),
    durationMs: values.duration ? parseDuration(values.duration) : base.durationMs,
    faults: parseFaults(values.faults),
    clients: int(values.clients, base.clients, 'clients', 0, 100),
    keys: int(values.keys, base.keys, 'keys', 1, 1000),
    readFrom: parseReads(values.reads, base.readFrom),
    clientTimeoutMs: int(values['client-timeout-ms'], base.clientTimeoutMs, 'client-timeout-ms', 1, 600_000),
    latency: {
      minMs: int(values['latency-min-ms'], base.latency.minMs, 'latency-min-ms', 0, 60_000),
      meanJitterMs: int(values['latency-jitter-ms'], base.latency.meanJitterMs, 'latency-jitter-ms', 0, 60_000),
    },
    settleTimeoutMs: int(values['settle-timeout-ms'], base.settleTimeoutMs, 'settle-timeout-ms', 100, 3_600_000),
    trace: values.trace !== undefined,
    check: !values['no-check'],
  };
  if (values.schedule) {
    const nodes = Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`);
    const clients = Array.from({ length: options.clients }, (_, i) => `c${i + 1}`);
    const json: unknown = JSON.parse(readFileSync(values.schedule, 'utf8'));
    options.schedule = { faults: parseSchedule(json, nodes, clients), file: values.schedule };
  }

  if (values.seeds) {
    if (values.schedule) throw new UsageError('--seeds draws random schedules; it cannot be combined with --schedule');
    const seeds = parseSeeds(values.seeds);
    const rows = sweepRows(options.faults);
    let done = 0;
    const total = seeds.length * rows.length;
    const report = runSweep(options, seeds, rows, () => performance.now(), (row, r) => {
      done++;
      if (r.violation) process.stderr.write(`\n✗ [${row}] seed ${r.options.seed}: ${r.violation.rule} — replay: ${r.replay}\n`);
      if (process.stderr.isTTY && done % 10 === 0) process.stderr.write(`\r${done}/${total} runs`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.log(formatSweepReport(options, seeds, report));
    const broken = report.some((r) => r.counts.violation > 0);
    const anomalous = report.some((r) => r.counts.notLinearizable + r.counts.lostWrites + r.counts.staleReads + r.counts.divergentReplicas > 0);
    return broken || (values['fail-on-anomaly'] && anomalous) ? 1 : 0;
  }

  const started = performance.now();
  const result = runSimulation(options);
  const wallMs = performance.now() - started;
  console.log(formatRunReport(result, wallMs));
  if (values.history) {
    writeFileSync(values.history, `${JSON.stringify(result.history, null, 1)}\n`);
    console.log(`history: ${result.history.length} ops written to ${values.history}`);
  }
  if (values.trace) {
    const trace = {
      seed: options.seed,
      replay: result.replay,
      nodes: options.nodes,
      duration: formatDuration(options.durationMs),
      settings: options.settings,
      schedule: result.schedule,
      violation: result.violation,
      events: result.trace,
    };
    writeFileSync(values.trace, `${JSON.stringify(trace)}\n`);
    console.log(`trace: ${result.trace.length} events written to ${values.trace}`);
  }
  const f = findings(result);
  const anomalous = f.notLinearizable || f.lostWrites || f.staleReads || f.divergentReplicas;
  return f.violation || (values['fail-on-anomaly'] && anomalous) ? 1 : 0;
}

class UsageError extends Error {}

function int(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return n;
}

function parseFaults(raw: string | undefined): FaultFamily[] {
  if (raw === undefined || raw === 'none' || raw === '') return [];
  if (raw === 'all') return [...FAULT_FAMILIES];
  return raw.split(',').map((name) => {
    const parsed = FaultFamily.safeParse(name.trim());
    if (!parsed.success) throw new UsageError(`unknown fault kind ${JSON.stringify(name)}: use ${FAULT_FAMILIES.join(', ')}, all or none`);
    return parsed.data;
  });
}

function parseReads(raw: string | undefined, fallback: SimOptions['readFrom']): SimOptions['readFrom'] {
  if (raw === undefined) return fallback;
  if (raw === 'home' || raw === 'any') return raw;
  throw new UsageError(`--reads is home or any, not ${JSON.stringify(raw)}`);
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
  if (list.length === 0 || list.some((s) => !Number.isSafeInteger(s))) throw new UsageError(`--seeds ${raw}: give a range like 1..500 or a list like 3,7,42`);
  return list;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`sim: ${message}`);
  if (!(err instanceof UsageError) && !(err instanceof SyntaxError) && err instanceof Error && !/^--|not a /.test(message)) console.error(err.stack);
  console.error('Try: npm run sim -- --help');
  process.exitCode = 2;
}

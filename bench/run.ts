import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, type ClusterSettings } from '@clusterlab/shared';
import { flagName, settingsFromValues, settingsOptions } from '../server/src/cli/settings-args';
import { benchBigState, BIG_STATE_DEFAULTS, type BigStateRun } from './big-state';
import { benchCatchUp } from './catch-up';
import { benchChecker } from './checker';
import { benchCheckerStress, printStressBench } from './checker-stress';
import { compareWithEtcd, etcdVersion, type CompareRun } from './etcd-compare';
import { benchFailover } from './failover';
import { benchFirstLeader } from './first-leader';
import { etcdInstalled, ETCD_BIN } from './lib/etcd';
import type { LeaderChanges } from './lib/leader-watch';
import { fmtRss, fmtRssDetail, type RssReport } from './lib/rss';
import { fmtMs, fmtSummary } from './lib/stats';
import { benchThroughput, RSS_INTERVAL_MS } from './throughput';
import { benchWorkload } from './workload';
import { benchPage, type PageRunFigures } from './page';
import { benchDiagram } from './diagram';
import { benchRecording } from './recording';

/**
 * `npm run bench`: figures for a 3-node cluster, printed and written as JSON under
 * bench/results/. Nothing here passes or fails; it measures.
 *   npm run bench -- --quick                  shortens every run, for a smoke test
 *   npm run bench -- --algorithm raft         any cluster setting, as the supervisor takes it
 *                                             (--fsync always, --heartbeat-interval-ms 20, …)
 *   npm run bench -- --algorithm raft --etcd  only the comparison with a 3-member etcd
 *                                             (Debian's etcd-server), runs alternating; --runs N
 *   npm run bench -- --big-state              only the big-state scenario (~21 MiB, kill/restart
 *                                             cycles under load); --runs N, --cycles N
 *   npm run bench -- --memory                 only node memory: 64 clients for 60 s, RSS sampled
 *                                             (the hardening issue's bound: a leader under 150 MiB); --runs N
 *   npm run bench -- --workload               only a workload's verdict: 64 clients for 60 s through the
 *                                             supervisor, time from the clients' stop to the verdict; --runs N
 *   npm run bench -- --checker-stress         only the history checker, no cluster: the 30 stress cases
 *                                             and 100,000 ops over 100 keys, medians of --runs N (default 15)
 *   npm run bench -- --diagram                only the message diagram: fps at 5,000 events/s of 9 nodes' (synthetic)
 *                                             messages, at several zooms
 *   npm run bench -- --recording              only what recording runs costs: 64 clients for 10 s with and
 *                                             without it (--no-record), alternating, and trace MiB per busy minute; --runs N
 *   npm run bench -- --page                   only the dashboard: fps and long tasks in headless Chromium while 64
 *                                             clients run for 30 s and the verdict is drawn; --runs N,
 *                                             --profile FILE saves a CPU profile of the page's main thread (last run),
 *                                             --trace FILE a Chromium performance trace (last run)
 */
const { values } = parseArgs({
  strict: true,
  options: {
    quick: { type: 'boolean', default: false },
    etcd: { type: 'boolean', default: false },
    'big-state': { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    workload: { type: 'boolean', default: false },
    'checker-stress': { type: 'boolean', default: false },
    page: { type: 'boolean', default: false },
    recording: { type: 'boolean', default: false },
    diagram: { type: 'boolean', default: false },
    profile: { type: 'string' },
    trace: { type: 'string' },
    runs: { type: 'string' },
    cycles: { type: 'string', default: String(BIG_STATE_DEFAULTS.cycles) },
    ...settingsOptions,
  },
});
const quick = values.quick;
const say = (line: string) => process.stdout.write(`${line}\n`);
const startedAt = new Date();

let settings: ClusterSettings;
try {
  settings = settingsFromValues(values);
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(2);
}
const runs = Number(values.runs ?? (values['checker-stress'] ? '15' : '3'));
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  process.stderr.write('bench: --runs must be a whole number from 1 to 50\n');
  process.exit(2);
}
/** The settings flags as given, passed on to every supervisor the bench starts. */
const settingKeys = Object.keys(DEFAULT_SETTINGS) as (keyof ClusterSettings)[];
const clusterArgs = settingKeys.flatMap((k) => {
  const raw = (values as Record<string, unknown>)[flagName(k)];
  return typeof raw === 'string' ? [`--${flagName(k)}`, raw] : [];
});
const s = settings;
const own =
  s.algorithm === 'raft' ? `pre-vote ${s.preVote ? 'on' : 'off'}, check-quorum ${s.checkQuorum ? 'on' : 'off'}` : `write-ack ${s.writeAck}`;

const mode = values.etcd
  ? ' — etcd comparison'
  : values['big-state']
    ? ' — big state'
    : values.memory
      ? ' — memory'
      : values.workload
        ? ' — workload verdict'
        : values['checker-stress']
          ? ' — checker stress (no cluster)'
          : values.page
            ? ' — dashboard frames'
            : values.recording
              ? ' — the cost of recording'
              : values.diagram
                ? ' — the message diagram'
                : '';
say(`Clusterlab benchmark — algorithm ${s.algorithm}, fsync ${s.fsync} — ${startedAt.toISOString()}${quick ? ' (quick)' : ''}${mode}`);
say(
  `3 nodes, ${clusterArgs.length ? clusterArgs.join(' ') : 'default settings'}: heartbeat ${s.heartbeatIntervalMs} ms, election timeout ${s.electionTimeoutMinMs}–${s.electionTimeoutMaxMs} ms, ${own}\n`,
);

const dir = join(import.meta.dirname, 'results');
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
function writeResults(name: string, latest: string[], results: unknown): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${stamp}.json`);
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(file, text);
  for (const l of latest) writeFileSync(join(dir, l), text);
  say(`\nWrote ${file}`);
}

/** A leader-change count, starred when it comes from polling (a lower bound). */
const fmtChanges = (w: LeaderChanges) => (w.source === 'polled' ? `${w.count}*` : String(w.count));
const POLLED_NOTE =
  '  * counted by polling the cluster view every 100 ms (a lower bound): the supervisor keeps only its last 20,000 events, fewer than this run emitted';
const fmtMiB = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)} MiB`);
const maxRss = (r: RssReport) => r.overallMaxMiB;

if (values.etcd) await etcdComparison();
else if (values['big-state']) await bigState();
else if (values.memory) await memory();
else if (values.workload) await workload();
else if (values['checker-stress']) checkerStress();
else if (values.page) await pageFrames();
else if (values.recording) await recording();
else if (values.diagram) await diagramFrames();
else await fullBench();

/** The issue's figure: the verdict within 1 s of the end of a 60 s run at 2,000 ops/s. */
async function workload(): Promise<void> {
  const durationS = quick ? 5 : 60;
  const results = [];
  for (let run = 1; run <= runs; run++) {
    const r = await benchWorkload(64, durationS, clusterArgs);
    results.push(r);
    say(`run ${run}: ${r.ops.toLocaleString('en-US')} ops (${r.opsPerSec.toLocaleString('en-US')} ops/s, p99 ${r.p99Ms} ms) · verdict ${fmtMs(r.verdictAfterMs)} after the clients stopped, of which the check ${fmtMs(r.checkMs)} · ${r.summary}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  say(`
64 clients for ${durationS} s, ${runs} run${runs === 1 ? '' : 's'}: median ${median(results.map((r) => r.opsPerSec)).toLocaleString('en-US')} ops/s; verdict after the end, median ${fmtMs(median(results.map((r) => r.verdictAfterMs)))} (the check alone ${fmtMs(median(results.map((r) => r.checkMs)))}); target under 1 s`);
  writeResults('workload', ['workload-latest.json'], { startedAt: startedAt.toISOString(), algorithm: s.algorithm, durationS, runs: results });
}

/** The history checker alone: per stress case, and at scale. */
function checkerStress(): void {
  const result = benchCheckerStress(quick ? 3 : runs);
  printStressBench(result, say);
  writeResults('checker-stress', ['latest-checker-stress.json'], { startedAt: startedAt.toISOString(), ...result });
}

/** The issue's figure: the page keeps 60 fps while a 64-client workload runs. */
async function pageFrames(): Promise<void> {
  // The page a user gets: a production build, whatever a test run left in web/dist before.
  execFileSync('npm', ['run', '-s', 'build:web'], { stdio: 'inherit' });
  const durationS = quick ? 8 : 30;
  const idleS = quick ? 3 : 5;
  const results: PageRunFigures[] = [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (p: PageRunFigures['run']) =>
    `${p.fpsMedian} fps (worst 1-s ${p.fpsWorst}) · ${p.longTasks} long tasks, ${p.longTaskTotalMs} ms, longest ${p.longestTaskMs} ms`;
  say(`Headless Chromium (--disable-gpu), 1280×800, the Workload region scrolled into view; 64 clients on 100 keys (half reads, half writes) for ${durationS} s, started from the page's form`);
  say('fps: requestAnimationFrame callbacks per whole 1-s window (median, worst) · long tasks: PerformanceObserver "longtask" (> 50 ms)\n');
  for (let run = 1; run <= runs; run++) {
    const r = await benchPage({ clients: 64, keys: 100, durationS, idleS, clusterArgs, ...(values.profile && run === runs ? { profile: values.profile } : {}), ...(values.trace && run === runs ? { trace: values.trace } : {}) });
    results.push(r);
    say(`run ${run}: ${r.ops.toLocaleString('en-US')} ops (${r.opsPerSec.toLocaleString('en-US')} ops/s) · ${r.summary}`);
    say(`  idle     ${r.idle.seconds} s: ${fmt(r.idle)}`);
    say(`  run      ${r.run.seconds} s: ${fmt(r.run)}   windows ${r.run.fpsWindows.join(' ')}`);
    say(`  verdict  ${r.verdict.seconds} s: ${fmt(r.verdict)}   windows ${r.verdict.fpsWindows.join(' ')}`);
    if (r.profileTop) {
      say(`  CPU profile written to ${values.profile}; most self time in the page (run + verdict):`);
      for (const f of r.profileTop) say(`    ${String(f.selfMs).padStart(6)} ms  ${f.fn}`);
    }
    if (r.trace) {
      say(`  trace written to ${values.trace}; the page's main thread by event, ms per s idle → running, wall (cpu); nested events counted in each:`);
      for (const t of r.trace.lines) say(`    ${`${t.idleMsPerS} (${t.idleCpuMsPerS})`.padStart(10)} → ${`${t.busyMsPerS} (${t.busyCpuMsPerS})`.padEnd(10)}  ${t.name} (${t.busyCount}×)`);
      say(`  tasks over 50 ms while running, wall (cpu) ms: ${r.trace.longTasks.map((t) => `${t.wallMs} (${t.cpuMs})`).join(', ') || 'none'}`);
    }
  }
  const m = (k: 'idle' | 'run' | 'verdict') => ({
    fpsMedian: median(results.map((r) => r[k].fpsMedian)),
    fpsWorst: median(results.map((r) => r[k].fpsWorst)),
    longTasks: median(results.map((r) => r[k].longTasks)),
    longTaskTotalMs: median(results.map((r) => r[k].longTaskTotalMs)),
    longestTaskMs: median(results.map((r) => r[k].longestTaskMs)),
  });
  const medians = { idle: m('idle'), run: m('run'), verdict: m('verdict') };
  const line = (p: ReturnType<typeof m>) => `${p.fpsMedian} fps (worst 1-s window ${p.fpsWorst}) · long tasks ${p.longTasks}, ${p.longTaskTotalMs} ms in all, longest ${p.longestTaskMs} ms`;
  say(`\nMedians of ${runs} run${runs === 1 ? '' : 's'}:`);
  say(`  idle page (the cap):   ${line(medians.idle)}`);
  say(`  64 clients running:    ${line(medians.run)}`);
  say(`  verdict being drawn:   ${line(medians.verdict)}`);
  writeResults('page', ['page-latest.json'], { startedAt: startedAt.toISOString(), algorithm: s.algorithm, durationS, idleS, medians, runs: results });
}

/** The leader is where memory grows (pending writes, the log, events): RSS of every node under a long heavy load. */
async function memory(): Promise<void> {
  const durationS = quick ? 5 : 60;
  const results = [];
  for (let run = 1; run <= runs; run++) {
    const [r] = await benchThroughput([64], durationS, clusterArgs, [64]);
    results.push(r!);
    const rss = r!.rss;
    say(`run ${run}: ${r!.writesPerSec.toFixed(0)} writes/s, p99 ${r!.p99Ms} ms, ${fmtChanges(r!.leaderWatch)} leader changes; RSS max per node ${rss ? fmtRss(rss) : '–'}`);
    if (rss) say(`  before → max in MiB: ${fmtRssDetail(rss)}`);
  }
  const maxima = results.flatMap((r) => (r.rss?.overallMaxMiB != null ? [r.rss.overallMaxMiB] : [])).sort((a, b) => a - b);
  const median = maxima.length ? maxima[Math.floor(maxima.length / 2)]! : null;
  say(`
64 clients for ${durationS} s, ${runs} run${runs === 1 ? '' : 's'}: largest node RSS, median ${fmtMiB(median)} (runs: ${maxima.map((m) => m.toFixed(0)).join(', ')} MiB); bound 150 MiB: ${median !== null && median < 150 ? 'met' : 'NOT met'}`);
  writeResults('memory', ['memory-latest.json'], { startedAt: startedAt.toISOString(), algorithm: s.algorithm, durationS, runs: results });
}

async function fullBench(): Promise<void> {
  const firstLeader = await benchFirstLeader(quick ? 2 : 5, clusterArgs);
  say(`First leader after start:   ${fmtSummary(firstLeader.fromStartMs)}`);
  say(`  (first spawn → elected):  ${fmtSummary(firstLeader.fromSpawnMs)}`);

  const failover = await benchFailover(quick ? 3 : 10, clusterArgs);
  say(`Failover (SIGKILL leader → first acknowledged write via a survivor):`);
  say(`                            ${fmtSummary(failover.failoverMs)}`);
  say(`  trials: ${failover.trialsMs.map((t) => fmtMs(t)).join(', ')}`);

  const durationS = quick ? 3 : 10;
  const throughput = await benchThroughput([1, 16, 64], durationS, clusterArgs, [64]);
  say(`\nWrites to the leader (${durationS} s each):`);
  say('  clients   writes/s   p50      p99      non-2xx  errors  leader changes  events/s');
  for (const r of throughput) {
    say(
      `  ${String(r.connections).padStart(7)}  ${r.writesPerSec.toFixed(0).padStart(9)}  ${`${r.p50Ms} ms`.padEnd(7)}  ${`${r.p99Ms} ms`.padEnd(7)}  ${String(r.non2xx).padStart(7)}  ${String(r.errors).padStart(6)}  ${fmtChanges(r.leaderWatch).padStart(14)}  ${r.eventsPerSec.toFixed(0).padStart(8)}`,
    );
  }
  if (throughput.some((r) => r.leaderWatch.source === 'polled')) say(POLLED_NOTE);
  const rss = throughput.find((r) => r.rss)?.rss;
  if (rss) {
    const target = s.algorithm === 'raft' ? ` (target < 80 MiB: ${rss.overallMaxMiB !== null && rss.overallMaxMiB < 80 ? 'met' : 'NOT met'})` : '';
    say(`Node RSS while the 64 clients ran (VmRSS every ${RSS_INTERVAL_MS} ms, max per node): ${fmtRss(rss)}${target}`);
    say(`  before → max in MiB: ${fmtRssDetail(rss)}`);
  }

  const stabilityS = quick ? 5 : 60;
  const [stability] = await benchThroughput([16], stabilityS, clusterArgs);
  const sw = stability!.leaderWatch;
  say(`\nHealthy cluster under write load for ${stabilityS} s (16 clients): ${fmtChanges(sw)} leader changes, ${stability!.writesPerSec.toFixed(0)} writes/s, p99 ${stability!.p99Ms} ms`);
  say(`  term +${sw.termDelta}, longest stretch without a leader ${sw.longestLeaderlessMs} ms, ${stability!.non2xx} non-2xx${sw.source === 'polled' ? `\n${POLLED_NOTE}` : ''}`);

  const catchUp = await benchCatchUp(quick ? 2000 : 10_000, quick ? 1 : 3, clusterArgs);
  say(`\nCatch-up of a node added to a cluster holding ${catchUp.keys} keys:`);
  say(`  from POST /api/nodes:     ${fmtSummary(catchUp.catchUpMs)}`);
  say(`  from the node's ready:    ${fmtSummary(catchUp.fromReadyMs)}`);

  const checker = benchChecker(quick ? 5 : 15);
  say(`\nLinearizability checker, ${checker.ops} ops over ${checker.keys} keys from ${checker.clients} clients (median of ${checker.runs}):`);
  say(`  linearizable history ${checker.linearizableMedianMs.toFixed(1)} ms · with one stale read, explained ${checker.withStaleReadMedianMs.toFixed(1)} ms · named anomalies ${checker.anomaliesMedianMs.toFixed(1)} ms`);

  const results = { startedAt: startedAt.toISOString(), quick, algorithm: s.algorithm, fsync: s.fsync, clusterArgs, settings, firstLeader, failover, throughput, stability, catchUp, checker };
  writeResults('bench', ['latest.json', `latest-${s.algorithm}.json`], results);
}

async function etcdComparison(): Promise<void> {
  const durationS = quick ? 3 : 10;
  const warmUpS = quick ? 1 : 2;
  const connections = 64;
  let comparison = null;
  if (!etcdInstalled()) {
    say(`etcd comparison skipped: ${ETCD_BIN} not found. Install Debian's etcd 3.4 with: sudo apt-get install -y etcd-server`);
  } else {
    say(`Clusterlab (${s.algorithm}, fsync ${s.fsync}) vs etcd ${etcdVersion()} (3 members on loopback, etcd defaults: heartbeat 100 ms, election 1000 ms, fsync before ack)`);
    say(`${connections} clients, PUT of a unique 26-byte value under one of 10,000 keys, to the leader; ${durationS} s measured after ${warmUpS} s warm-up;`);
    say(`a fresh cluster per run, ${runs} runs each, alternating. Clusterlab (runs not recorded, --no-record): PUT /db/:key · etcd: POST /v3/kv/put (JSON gRPC gateway)\n`);
    const label = (r: CompareRun) => (r.system === 'clusterlab' ? `clusterlab-${s.algorithm}` : 'etcd');
    const w = `clusterlab-${s.algorithm}`.length;
    say(`  run  ${'system'.padEnd(w)}  writes/s  p50      p99      non-2xx  errors  leader changes  max RSS (per process)`);
    comparison = await compareWithEtcd(clusterArgs, {
      runs,
      connections,
      durationS,
      warmUpS,
      onRun: (r) =>
        say(
          `  ${String(r.run).padStart(3)}  ${label(r).padEnd(w)}  ${r.writesPerSec.toFixed(0).padStart(8)}  ${`${r.p50Ms} ms`.padEnd(7)}  ${`${r.p99Ms} ms`.padEnd(7)}  ${String(r.non2xx).padStart(7)}  ${String(r.errors).padStart(6)}  ${(r.leaderWatch ? fmtChanges(r.leaderWatch) : String(r.leaderChanges)).padStart(14)}  ${fmtMiB(maxRss(r.rss))} (${Object.values(r.rss.processes).map((p) => fmtMiB(p.maxMiB)).join(', ')})`,
        ),
    });
    if (comparison.runs.some((r) => r.leaderWatch?.source === 'polled')) say(POLLED_NOTE);
    say('  etcd leader changes: raft term after the run minus before (etcd 3.4 runs without pre-vote, so every election counts)');
    const short = comparison.runs.filter((r) => r.committed < r.acknowledged);
    say(
      short.length === 0
        ? '  check: in every run the leader committed at least as many writes as were acknowledged (commit index / store revision)'
        : `  CHECK FAILED: fewer writes committed than acknowledged in ${short.map((r) => `${label(r)} run ${r.run} (${r.committed} < ${r.acknowledged})`).join(', ')}`,
    );
    const m = comparison.medians;
    say(`\nMedians of ${runs}: clusterlab-${s.algorithm} ${m.clusterlab.writesPerSec.toFixed(0)} writes/s, p50 ${m.clusterlab.p50Ms} ms, p99 ${m.clusterlab.p99Ms} ms · etcd ${m.etcd.writesPerSec.toFixed(0)} writes/s, p50 ${m.etcd.p50Ms} ms, p99 ${m.etcd.p99Ms} ms`);
    say(`Clusterlab/etcd (of the medians): writes/s ${comparison.ratio.writesPerSec.toFixed(2)} · p99 ${comparison.ratio.p99Ms.toFixed(2)}`);
  }

  // Failover at a 50 ms heartbeat, whatever else the flags set.
  const failoverArgs = [...withoutFlag(clusterArgs, '--heartbeat-interval-ms'), '--heartbeat-interval-ms', '50'];
  const failover = await benchFailover(quick ? 3 : 10, failoverArgs);
  say(`\nFailover, ${s.algorithm}, heartbeat 50 ms (SIGKILL leader → first acknowledged write via a survivor):`);
  say(`  ${fmtSummary(failover.failoverMs)}`);
  say(`  trials: ${failover.trialsMs.map((t) => fmtMs(t)).join(', ')}`);

  const results = { startedAt: startedAt.toISOString(), quick, algorithm: s.algorithm, fsync: s.fsync, clusterArgs, settings, comparison, failover: { clusterArgs: failoverArgs, ...failover } };
  writeResults('etcd-compare', ['latest-etcd-compare.json'], results);
}

async function bigState(): Promise<void> {
  const cycles = Number(values.cycles);
  if (!Number.isInteger(cycles) || cycles < 1 || cycles > 500) {
    process.stderr.write('bench: --cycles must be a whole number from 1 to 500\n');
    process.exit(2);
  }
  const o = { ...BIG_STATE_DEFAULTS, cycles: quick ? 4 : cycles, clusterArgs };
  say(
    `${o.keys} keys, every ${o.bigEvery}th value ${o.bigValueBytes} bytes; ${o.cycles} cycles of SIGKILL → ${o.downMs} ms down → restart → caught up, ` +
      `a follower and the leader in turn, under ${o.writers} writers × one write per ${o.writeEveryMs} ms; ${runs} runs, a fresh cluster each\n`,
  );
  const ms = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(0)} ms`);
  say('  run  MiB   load   leader changes (kills)  elections  rounds  writes/s  failed  snapshots (msgs)  stuck  after load: changes, rounds, ms   leader lag p50/p99 med/p99 worst/max   any node max');
  const line = (r: BigStateRun, i: number) =>
    say(
      `  ${String(i + 1).padStart(3)}  ${(r.loadedBytes / 2 ** 20).toFixed(1).padStart(4)}  ${fmtMs(r.loadMs).padStart(6)}  ${`${r.leaderChanges} (${r.leaderKills})`.padStart(22)}  ${String(r.electionsStarted).padStart(9)}  ${String(r.roundsRisen).padStart(6)}  ${r.writesPerSec.toFixed(0).padStart(8)}  ${String(r.writesFailed).padStart(6)}  ${`${r.snapshotSyncs} (${r.snapshotMessages})`.padStart(16)}  ${String(r.stuckCycles).padStart(5)}  ${`${r.afterLoad.leaderChanges}, ${r.afterLoad.roundsRisen}, ${r.afterLoad.catchUpMs.toFixed(0)}`.padStart(31)}   ${[r.leaderLag?.p50Ms, r.leaderLag?.p99MedianMs, r.leaderLag?.p99WorstMs, r.leaderLag?.maxMs].map(ms).join(' / ').padStart(34)}   ${ms(r.allLag?.maxMs)}${r.eventsMissed ? ` (${r.eventsMissed} events missed)` : ''}`,
    );
  const result = await benchBigState(runs, o, line);
  const m = result.medians;
  say(
    `\nMedians of ${runs}: leader changes ${m.leaderChanges!.median} · elections started ${m.electionsStarted!.median} · rounds risen ${m.roundsRisen!.median} · ` +
      `writes/s ${m.writesPerSec!.median.toFixed(0)} · leader changes after the load ${m.afterLoadLeaderChanges!.median} · ` +
      `leader event-loop lag worst-window p99 ${ms(m.leaderLagP99WorstMs!.median)}, max ${ms(m.leaderLagMaxMs!.median)} · any node's max ${ms(m.allLagMaxMs!.median)}`,
  );
  say('  lag: per ~1 s window from each node\'s GET /status, read 4 times a second; p50 and p99 are medians/worst over windows, max is exact');
  writeResults('big-state', [`latest-big-state-${s.algorithm}.json`], { startedAt: startedAt.toISOString(), quick, algorithm: s.algorithm, clusterArgs, options: o, ...result });
}

function withoutFlag(args: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 2) if (args[i] !== flag) out.push(args[i]!, args[i + 1]!);
  return out;
}

/** What recording every run (for time travel, replay and fork) costs a busy cluster. */
async function recording(): Promise<void> {
  const durationS = quick ? 3 : 10;
  say(`64 clients writing to the leader for ${durationS} s, a fresh cluster per run, recorded and not (--no-record) alternating, ${runs} runs each\n`);
  say('  run  recorded  writes/s  p99      trace written');
  const result = await benchRecording(runs, durationS, clusterArgs, (r) =>
    say(`  ${String(r.run).padStart(3)}  ${(r.recorded ? 'yes' : 'no').padEnd(8)}  ${r.writesPerSec.toFixed(0).padStart(8)}  ${`${r.p99Ms} ms`.padEnd(7)}  ${r.traceBytes === null ? '–' : `${(r.traceBytes / 2 ** 20).toFixed(1)} MiB in ${r.seconds.toFixed(0)} s`}`),
  );
  const m = result.medians;
  say(`\nMedians of ${runs}: recorded ${m.recorded.toFixed(0)} writes/s · not recorded ${m.unrecorded.toFixed(0)} writes/s · ratio ${(m.recorded / m.unrecorded).toFixed(2)}`);
  say(`Trace written while busy: ${(m.traceBytesPerMinute / 2 ** 20).toFixed(0)} MiB per minute (a node's part stops at its 64 MiB bound)`);
  writeResults('recording', ['latest-recording.json'], { startedAt: startedAt.toISOString(), quick, algorithm: s.algorithm, clusterArgs, ...result });
}

/** The issue's figure: the message diagram keeps 60 fps with 9 nodes at 5,000 events/s. */
async function diagramFrames(): Promise<void> {
  execFileSync('npm', ['run', '-s', 'build:web'], { stdio: 'inherit' });
  const seconds = quick ? 3 : 8;
  say(`Headless Chromium (--disable-gpu), 1280×1000, the Message diagram on screen; 5,000 events/s of synthetic messages between 9 nodes fed into its buffer; ${seconds} s per zoom`);
  say('fps: requestAnimationFrame callbacks per whole 1-s window (median, worst) · long tasks over 50 ms\n');
  const figures = await benchDiagram(seconds, clusterArgs);
  for (const f of figures) say(`  ${f.label.padEnd(30)} ${f.fpsMedian} fps (worst 1-s ${f.fpsWorst}) · ${f.longTasks} long tasks · ${f.bufferEvents.toLocaleString('en')} events in the buffer   windows ${f.fpsWindows.join(' ')}`);
  writeResults('diagram', ['latest-diagram.json'], { startedAt: startedAt.toISOString(), quick, figures });
}

import { readFileSync, writeFileSync } from 'node:fs';
import { parseCli, USAGE, UsageError, type CliRequest } from './cli-args';
import { findings, formatRunReport } from './report';
import { runSimulation } from './runner';
import { parseScenario, type Scenario, type StepReport } from '@clusterlab/shared';
import { runScenario } from '../scenario/run-scenario';
import { SimScenarioHost } from './scenario-host';
import { formatSweepReport, runSweep, sweepRows } from './sweep';

/**
 * npm run sim -- --seed 42 --nodes 5 --duration 60s --faults partitions,crashes
 * npm run sim -- --seeds 1..500 --faults all
 *
 * The simulator's only contact with the real world: it reads flags and schedule files, writes
 * the --history and --trace files, and times sweeps with the wall clock (which never reaches
 * a simulation: a run's outcome depends on its options alone).
 */
function main(argv: string[]): number | Promise<number> {
  const request = parseCli(argv, (file) => JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (request.help) {
    console.log(USAGE);
    return 0;
  }
  if (request.scenarioFile) return lesson(readScenario(request.scenarioFile), request.scenarioFile, request.options.seed);
  return request.seeds ? sweep(request, request.seeds) : single(request);
}

/** A lesson's scenario, step by step: each step's title, how it went, and at what virtual time. */
function readScenario(file: string): Scenario {
  try {
    return parseScenario(readFileSync(file, 'utf8'), file);
  } catch (err) {
    throw new UsageError(`--scenario: ${(err as Error).message.replace(/^ENOENT: /, 'no such file: ')}`);
  }
}

async function lesson(scenario: Scenario, file: string, seed: number): Promise<number> {
  const host = new SimScenarioHost(seed);
  console.log(`Clusterlab lesson in the simulator — ${scenario.title} · ${scenario.algorithm}, ${scenario.nodes} nodes · seed ${seed}\n`);
  const onStep = (r: StepReport) => {
    if (r.state === 'running') return;
    console.log(`  ${r.state === 'passed' ? '✓' : '✗'} ${r.index + 1}. ${r.title} (t=${(host.simulation.now / 1000).toFixed(2)} s)${r.detail ? `\n      ${r.detail}` : ''}`);
  };
  const { steps: reports, verdict, history } = await runScenario(scenario, host, { onStep });
  if (verdict) console.log(`\n  The checker, on the lesson's ${history.length} reads and writes: ${verdict.summary}${verdict.sentences.map((s) => `\n    ${s}`).join('')}`);
  const failed = reports.filter((r) => r.state !== 'passed');
  console.log(`\n${failed.length === 0 ? 'every step happened as the lesson says' : `${failed.length} of ${reports.length} steps did not happen as the lesson says`}; replay: npm run sim -- --scenario ${file} --seed ${seed}`);
  return failed.length === 0 ? 0 : 1;
}

function single(request: CliRequest): number {
  const { options } = request;
  const started = performance.now();
  const result = runSimulation(options);
  console.log(formatRunReport(result, performance.now() - started));
  if (request.historyFile) {
    writeFileSync(request.historyFile, `${JSON.stringify(result.history, null, 1)}\n`);
    console.log(`history: ${result.history.length} ops written to ${request.historyFile}`);
  }
  if (request.traceFile) {
    const text = result.traceFile()!;
    writeFileSync(request.traceFile, text);
    console.log(`trace: ${result.trace.length} events and ${result.coreSteps} core steps written to ${request.traceFile} (${formatBytes(Buffer.byteLength(text))})`);
  }
  const f = findings(result);
  // A bank cannot see a lost transfer from its balances (they still add up): the log shows it.
  const anomalous = f.notLinearizable || f.lostWrites || f.staleReads || f.divergentReplicas || (result.bank !== null && f.reallyLost);
  return f.violation || (request.failOnAnomaly && anomalous) ? 1 : 0;
}

function sweep(request: CliRequest, seeds: number[]): number {
  const { options } = request;
  const rows = sweepRows(options.faults);
  const total = seeds.length * rows.length;
  let done = 0;
  const report = runSweep(options, seeds, rows, () => performance.now(), (row, r) => {
    done++;
    if (r.violation) process.stderr.write(`\n✗ [${row}] seed ${r.options.seed}: ${r.violation.rule} — replay: ${r.replay}\n`);
    if (process.stderr.isTTY && done % 10 === 0) process.stderr.write(`\r${done}/${total} runs`);
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  console.log(formatSweepReport(options, seeds, report));
  const broken = report.some((r) => r.counts.violation > 0);
  const anomalous = report.some((r) => r.counts.notLinearizable + r.counts.lostWrites + r.counts.staleReads + r.counts.divergentReplicas > 0);
  return broken || (request.failOnAnomaly && anomalous) ? 1 : 0;
}

try {
  const code = main(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
  else void code.then((c) => (process.exitCode = c));
} catch (err) {
  if (err instanceof UsageError || err instanceof SyntaxError) {
    console.error(`sim: ${err.message}\nTry: npm run sim -- --help`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}

function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

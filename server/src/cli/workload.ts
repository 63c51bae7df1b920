import { readFileSync, writeFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import type { WorkloadHistoryFile, WorkloadView } from '@clusterlab/shared';
import { request } from '../supervisor/http-client';
import { startSupervisor, type Supervisor } from '../supervisor/supervisor';
import { describeRun, parseWorkloadCli, USAGE, UsageError, type WorkloadCli } from './workload-args';
import { formatWorkloadReport, promisesOf } from './workload-report';

/**
 * npm run workload -- --algorithm raft --nodes 5 --faults partitions --duration 60s
 *
 * Starts a real cluster (a supervisor of its own, on a free port, with its own data folder),
 * runs the workload through the supervisor's API as the dashboard would, prints the verdict in
 * the simulator's format, stops everything, and exits 1 when the algorithm broke a promise.
 */
async function main(argv: string[]): Promise<number> {
  const cli = parseWorkloadCli(argv, (file) => JSON.parse(readFileSync(file, 'utf8')) as unknown, () => randomInt(1, 2 ** 31));
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const supervisor = await startSupervisor({ port: 0, nodes: cli.nodes, settings: cli.settings, log: process.env.CLUSTERLAB_LOG ? (line) => process.stderr.write(`${line}\n`) : () => {} });
  const stop = () => void supervisor.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await run(supervisor, cli);
  } finally {
    await supervisor.stop();
  }
}

async function run(supervisor: Supervisor, cli: WorkloadCli): Promise<number> {
  const api = (path: string) => `${supervisor.url}api${path}`;
  const ask = async <T>(path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const answer = await request(api(path), {
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      timeoutMs: 30_000,
      maxBodyBytes: 1024 * 1024 * 1024,
    });
    return { status: answer.status, body: JSON.parse(answer.body) as T };
  };

  await waitFor(() => supervisor.cluster().leader !== null, 30_000, 'no leader was elected within 30 s');
  const started = await ask<{ id?: string; error?: string }>('/workloads', cli.spec);
  if (started.status !== 201 || !started.body.id) throw new UsageError(started.body.error ?? `the supervisor answered ${started.status}`);
  const id = started.body.id;
  process.stderr.write(`running ${describeRun(cli)}\n`);

  let view: WorkloadView;
  for (;;) {
    view = (await ask<WorkloadView>(`/workloads/${id}`)).body;
    if (view.state === 'done' || view.state === 'stopped') break;
    const last = view.series.at(-1);
    if (process.stderr.isTTY && last) {
      process.stderr.write(`\r\x1b[K${view.state} · t=${(last.t / 1000).toFixed(0)} s · ${last.ok} ok/s · ${last.errors} errors/s · p99 ${last.p99 ?? '–'} ms`);
    }
    await sleep(500);
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');

  console.log(formatWorkloadReport(view, describeRun(cli), cli.settings));
  if (cli.historyFile) {
    const file = (await ask<WorkloadHistoryFile>(`/workloads/${id}/history`)).body;
    writeFileSync(cli.historyFile, `${JSON.stringify(file)}\n`);
    console.log(`history: ${file.history.length} ops written to ${cli.historyFile} (npm run check -- ${cli.historyFile})`);
  }
  return promisesOf(view, cli.settings).kept ? 0 : 1;
}

async function waitFor(ok: () => boolean, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(failure);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof UsageError || err instanceof SyntaxError) {
      console.error(`workload: ${err.message}\nTry: npm run workload -- --help`);
      process.exit(2);
    }
    console.error(`workload: ${err.message}`, process.env.CLUSTERLAB_LOG ? err.stack : "");
    process.exit(1);
  },
);

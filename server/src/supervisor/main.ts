import { parseSupervisorArgs, supervisorUsage, type SupervisorArgs } from './args';
import { startSupervisor, type Supervisor } from './supervisor';

/**
 * `npm start`. Whatever ends this process — Ctrl-C, SIGTERM, a bug — ends its children first:
 * a graceful stop when there is time, and a synchronous SIGKILL of every child as it exits.
 */

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

let args: SupervisorArgs;
try {
  args = parseSupervisorArgs(process.argv.slice(2));
} catch (err) {
  log(`clusterlab: ${err instanceof Error ? err.message : String(err)} (see --help)`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${supervisorUsage()}\n`);
  process.exit(0);
}

let supervisor: Supervisor | null = null;
let exiting = false;

const starting = startSupervisor({
  port: args.port,
  host: args.host,
  token: args.token,
  nodes: args.nodes,
  dataDir: args.dataDir,
  record: args.record,
  settings: args.settings,
  echoChildStdout: args.verbose,
  log,
});

async function shutdown(code: number, why: string): Promise<void> {
  if (exiting) {
    // Asked twice (Ctrl-C again): stop waiting. The exit handler still kills every child.
    process.exit(code || 1);
  }
  exiting = true;
  log(`[supervisor] shutting down (${why})`);
  try {
    const running = supervisor ?? (await starting.catch(() => null));
    await running?.stop();
  } catch (err) {
    log(`[supervisor] error while stopping: ${(err as Error).message}`);
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
process.on('SIGHUP', () => void shutdown(0, 'SIGHUP'));
process.on('uncaughtException', (err) => {
  log(`[supervisor] uncaught exception: ${err.stack ?? err.message}`);
  void shutdown(1, 'uncaught exception');
});
process.on('unhandledRejection', (reason) => {
  log(`[supervisor] unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  void shutdown(1, 'unhandled rejection');
});
// The last word: whatever path led here, no child outlives us.
process.on('exit', () => supervisor?.killAllNow());

/**
 * Whoever started us (a shell, npm, a test) may die without a word — SIGKILLed, or a wrapper
 * that does not pass a SIGTERM on. An orphan is handed to init (or a subreaper), so a new
 * parent pid means ours is gone: stop, rather than run a cluster nobody can stop.
 */
const parentPid = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid !== parentPid) void shutdown(0, `its parent process ${parentPid} is gone`);
}, 250);
parentWatch.unref();

try {
  supervisor = await starting;
} catch (err) {
  log(`clusterlab: ${(err as Error).message}`);
  process.exit(1);
}
if (!exiting) {
  process.stdout.write(`Clusterlab dashboard: ${supervisor.dashboardUrl}\n`);
  if (supervisor.token !== null) {
    process.stdout.write(
      `The API and the live stream need this token (the URL above carries it to the page): ${supervisor.token}\n` +
        `  curl -H 'Authorization: Bearer ${supervisor.token}' ${supervisor.url}api/cluster\n`,
    );
  }
}

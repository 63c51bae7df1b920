import { resolve } from 'node:path';
import { EXIT_LOG_DAMAGED, FAULTS_ENV, isNodeId } from '@clusterlab/shared';
import { parseArgs, settingsFromValues, settingsHelp, settingsOptions } from '../cli/settings-args';
import { readClusterSecret } from '../auth/cluster-secret';
import { onFaultsMessage } from '../child/fault-messages';
import { onStopRequest } from '../child/stop-requests';
import { parseActiveFaults } from './runtime/link-faults';
import { NodeRuntime } from './runtime/node-runtime';
import { WalCorruptError } from './storage/wal';

/**
 * The database node program. Run under the supervisor, or by hand:
 *   npx tsx server/src/node/main.ts --id n1 --registry-url http://127.0.0.1:4001
 */
const USAGE = `Usage: node-main --id <n1..n99> --registry-url <url> [options]

  --id <id>                 this node's id, n1..n99 (higher ranks win bully elections)
  --registry-url <url>      where the registry listens, e.g. http://127.0.0.1:4001
  --data-dir <dir>          where the write-ahead log lives (default .clusterlab/data/<id>)
  --port <port>             HTTP port, 0 for any free one (default 0)
  --host <host>             address to bind (default 127.0.0.1)
  --voters <n1,n2,...>      the voters of a brand-new Raft cluster (the supervisor names the
                            nodes it starts together); omit to join a running cluster
  --secret-file <path>      the cluster's secret (default: the CLUSTERLAB_SECRET environment
                            variable, which the supervisor sets); peer messages and registry
                            calls are signed with it, and unsigned peer messages refused (401)
  --record <dir>            record this process's core inputs into <dir> for the run's trace
                            (replay and fork in the dashboard); the supervisor passes its run's folder
  --help                    this text

Cluster settings (the supervisor passes the same to every node):
${settingsHelp()}

HTTP API: GET /status · GET /db[?after=&limit=] · GET|PUT|POST|DELETE /db/:key[?read=local|leader|linearizable]
          POST|DELETE /members/:id (Raft: add a learner that becomes a voter / remove a member) · POST /peer (nodes only)`;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function fail(message: string): never {
  log(`node: ${message} (see --help)`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    args: process.argv.slice(2),
    options: {
      id: { type: 'string' },
      'registry-url': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      voters: { type: 'string', default: '' },
      'secret-file': { type: 'string' },
      record: { type: 'string' },
      help: { type: 'boolean', default: false },
      ...settingsOptions,
    },
    strict: true,
  }).values as Record<string, string | boolean | undefined>;
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const id = String(values.id ?? '');
if (!isNodeId(id)) fail(`--id must be n1..n99, got ${JSON.stringify(values.id ?? '')}`);
const registryUrl = String(values['registry-url'] ?? '');
if (!URL.canParse(registryUrl)) fail(`--registry-url must be a URL, got ${JSON.stringify(registryUrl)}`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${values.port}`);
const voters = String(values.voters).split(',').filter((v) => v !== '');
const badVoter = voters.find((v) => !isNodeId(v));
if (badVoter !== undefined) fail(`--voters must list node ids like n1,n2,n3, got ${JSON.stringify(badVoter)}`);
let settings;
let secret: string;
try {
  settings = settingsFromValues(values);
  secret = readClusterSecret(values['secret-file'] as string | undefined);
} catch (err) {
  fail((err as Error).message);
}

const runtime = new NodeRuntime({
  id,
  host: String(values.host),
  port,
  registryUrl,
  secret,
  dataDir: resolve(String(values['data-dir'] ?? `.clusterlab/data/${id}`)),
  settings,
  initialVoters: voters,
  log: (line) => log(`${id}: ${line}`),
  // The lasting faults in force as the supervisor spawned it; every change comes over IPC.
  faults: parseActiveFaults(process.env[FAULTS_ENV], (line) => log(`${id}: ${line}`)),
  ...(typeof values.record === 'string' ? { recordDir: resolve(values.record) } : {}),
});
onFaultsMessage((active) => runtime.setFaults(active), (line) => log(`${id}: ${line}`));

let stopping = false;
async function shutdown(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${id}: shutting down (${why})`);
  const force = setTimeout(() => process.exit(0), 1000);
  force.unref();
  await runtime.stop();
  process.exit(0);
}

onStopRequest((why) => void shutdown(why));
// About to be killed: the lab's record of this node goes out first (see SupervisorToChild).
process.on('message', (message: unknown) => {
  if ((message as { type?: unknown } | null)?.type !== 'flush') return;
  void runtime.flushRecords().finally(() => process.send?.({ type: 'flushed' }));
});

runtime
  .start()
  .then((boundPort) => {
    process.send?.({ type: 'ready', port: boundPort });
    log(`${id}: listening on http://${values.host}:${boundPort}`);
  })
  .catch((err: Error) => {
    log(`${id}: cannot start: ${err.message}`);
    // A moment for the last events (node.log_damaged) to leave over IPC, which is asynchronous.
    setTimeout(() => process.exit(err instanceof WalCorruptError ? EXIT_LOG_DAMAGED : 1), 100);
  });

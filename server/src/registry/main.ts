import type { AddressInfo } from 'node:net';
import type { ChildToSupervisor } from '@clusterlab/shared';
import { createRegistryApp } from './app';
import { readClusterSecret } from '../auth/cluster-secret';
import { RefusalReporter } from '../auth/refusal-reporter';
import { RequestSigner } from '../auth/request-signature';
import { parseRegistryArgs, REGISTRY_USAGE, type RegistryArgs } from './args';
import { createEventChannel } from '../child/event-channel';
import { onStopRequest } from '../child/stop-requests';
import { RegistryTable } from './registry-table';
import { answerParserErrorsAsJson } from '../http/parser-errors';

/**
 * The registry program. It lives exactly as long as it is wanted: it exits on SIGTERM/SIGINT,
 * on a `shutdown` command, and when the IPC channel closes — the supervisor died, and a
 * registry nobody supervises would only be a leak.
 */

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

let args: RegistryArgs;
try {
  args = parseRegistryArgs(process.argv.slice(2));
} catch (err) {
  log(`registry: ${err instanceof Error ? err.message : String(err)} (see --help)`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${REGISTRY_USAGE}\n`);
  process.exit(0);
}

let signer: RequestSigner;
try {
  signer = new RequestSigner(readClusterSecret(args.secretFile));
} catch (err) {
  log(`registry: ${(err as Error).message}`);
  process.exit(2);
}

const table = new RegistryTable(args.ttlMs);
const events = createEventChannel({ source: 'registry' });
const refusals = new RefusalReporter((data) => events.emit({ kind: 'auth.refused', data }));
const app = createRegistryApp({ table, now: Date.now, emit: events.emit, log, signer, refusals, bindHost: args.host });

// Sweep often enough that a node is forgotten close to its TTL, not a whole TTL late.
const sweepIntervalMs = Math.min(250, Math.max(10, Math.floor(args.ttlMs / 4)));
const sweeper = setInterval(() => {
  for (const { id, silentMs } of table.sweep(Date.now())) events.emit({ kind: 'registry.expired', data: { id, silentMs } });
}, sweepIntervalMs);

const server = app.listen(args.port, args.host);
answerParserErrorsAsJson(server);
server.on('listening', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', port } satisfies ChildToSupervisor);
  events.emit({ kind: 'registry.ready', data: { pid: process.pid, port } });
  log(`registry listening on http://${args.host}:${port} (ttl ${args.ttlMs} ms)`);
});
server.on('error', (err) => {
  log(`registry: cannot listen on ${args.host}:${args.port}: ${err.message}`);
  events.close();
  process.exit(1);
});

let stopping = false;
function shutdown(why: string): void {
  if (stopping) return;
  stopping = true;
  log(`registry: shutting down (${why})`);
  clearInterval(sweeper);
  refusals.close();
  events.close();
  server.close();
  server.closeAllConnections();
  // Give the last events a moment to leave, then go, whatever is still open (the IPC channel
  // would otherwise keep this process alive).
  setTimeout(() => process.exit(0), 50);
}

onStopRequest(shutdown);

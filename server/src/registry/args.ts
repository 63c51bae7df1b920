import { parseArgs, settingsFromValues } from '../cli/settings-args';

/** The registry's command line, parsed and checked; a bad flag throws a message meant for a person. */
export type RegistryArgs = { help: boolean; port: number; host: string; ttlMs: number; secretFile: string | undefined };

export const REGISTRY_USAGE = `Usage: node --import tsx server/src/registry/main.ts [options]

The Clusterlab registry: nodes POST /register every few hundred ms (register + heartbeat) and
learn their peers from the answer; a node silent for the TTL is forgotten.

Options:
  --port N               port to listen on; 0 picks a free one (default 0)
  --host ADDR            address to bind (default 127.0.0.1)
  --registry-ttl-ms MS   forget a node silent this long (default 1000)
  --secret-file PATH     the cluster's secret (default: the CLUSTERLAB_SECRET environment
                         variable, which the supervisor sets); registrations and leaves must
                         be signed with it, or they are refused with 401
  --help                 print this and exit

Under a supervisor (IPC channel) it reports { type: 'ready', port } and sends events in
batches; run by hand it prints events as JSON lines on stdout.`;

export function parseRegistryArgs(argv: string[]): RegistryArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'registry-ttl-ms': { type: 'string' },
      'secret-file': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port: expected 0..65535, got ${values.port}`);
  if (values.host.length === 0) throw new Error('--host: must not be empty');
  // The one settings table validates the TTL, so its range cannot drift from the supervisor's.
  const { registryTtlMs } = settingsFromValues({ 'registry-ttl-ms': values['registry-ttl-ms'] });
  return { help: values.help, port, host: values.host, ttlMs: registryTtlMs, secretFile: values['secret-file'] };
}

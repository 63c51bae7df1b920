import { MAX_NODES, MIN_NODES, type ClusterSettings } from '@clusterlab/shared';
import { parseArgs, settingsFromValues, settingsHelp, settingsOptions } from '../cli/settings-args';
import { TOKEN_PATTERN } from './guards/access-policy';

/** The supervisor's command line, checked; a bad flag throws a message meant for a person. */
export type SupervisorArgs = {
  help: boolean;
  port: number;
  host: string;
  /** undefined: none on loopback, a random one on any other address. */
  token: string | undefined;
  nodes: number;
  dataDir: string | undefined;
  verbose: boolean;
  /** Record every run for time travel, replay and fork (--no-record turns it off). */
  record: boolean;
  settings: ClusterSettings;
};

export const DEFAULT_PORT = 4000;

export function supervisorUsage(): string {
  return `Usage: npm start -- [options]     (or: tsx server/src/supervisor/main.ts [options])

Starts a Clusterlab cluster on this machine — a registry and N database nodes, each its own
process — and serves the dashboard, its REST API (/api) and live stream (/ws).

Options:
  --port N            dashboard port; 0 picks a free one (default: $PORT or ${DEFAULT_PORT})
  --host ADDR         address to bind (default 127.0.0.1). On anything but loopback (0.0.0.0,
                      a LAN address) other machines can connect, so the API and the live stream
                      need a token: a random one is made at start and printed, in the URL to open
  --token TOKEN       require this token instead (default: $CLUSTERLAB_TOKEN); also on loopback.
                      16-256 characters of A-Z a-z 0-9 . _ ~ -; send it as 'Authorization: Bearer TOKEN'
  --nodes N           nodes to start with, ${MIN_NODES}..${MAX_NODES} (default 3)
  --data-dir DIR      where nodes keep their data (default: a temp folder removed on exit)
  --no-record         do not record runs (GET /api/runs, time travel and fork need them; recording
                      costs the nodes a little CPU and disk, see the README)
  --verbose           also show the children's stdout
  --help              print this and exit

The registry and nodes sign every peer message and registration with a secret made per
cluster (unsigned ones are refused with 401). Set CLUSTERLAB_SECRET (16+ characters) to choose
it, so a node started by hand with the same variable can join.

Cluster settings (the same for every node; also editable in the dashboard):
${settingsHelp()}`;
}

export function parseSupervisorArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SupervisorArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'no-record': { type: 'boolean', default: false },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      nodes: { type: 'string', default: '3' },
      'data-dir': { type: 'string' },
      ...settingsOptions,
    },
  });
  const rawPort = values.port ?? env.PORT ?? String(DEFAULT_PORT);
  const port = wholeNumber(rawPort, values.port !== undefined ? '--port' : 'PORT');
  if (port > 65_535) throw new Error(`${values.port !== undefined ? '--port' : 'PORT'}: expected 0..65535, got ${rawPort}`);
  const nodes = wholeNumber(values.nodes, '--nodes');
  if (nodes < MIN_NODES || nodes > MAX_NODES) throw new Error(`--nodes: expected ${MIN_NODES}..${MAX_NODES}, got ${nodes}`);
  if (values.host.length === 0) throw new Error('--host: must not be empty');
  if (values['data-dir'] === '') throw new Error('--data-dir: must not be empty');
  const token = values.token ?? (env.CLUSTERLAB_TOKEN || undefined);
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    throw new Error(`${values.token !== undefined ? '--token' : 'CLUSTERLAB_TOKEN'}: expected 16 to 256 characters of A-Z, a-z, 0-9, ".", "_", "~" and "-"`);
  }
  return {
    help: values.help,
    verbose: values.verbose,
    port,
    host: values.host,
    token,
    nodes,
    dataDir: values['data-dir'],
    record: !values['no-record'],
    settings: settingsFromValues(values),
  };
}

function wholeNumber(raw: string, flag: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw new Error(`${flag}: expected a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

import { MAX_NODES, MIN_NODES, type ClusterSettings } from '@clusterlab/shared';
import { parseArgs, settingsFromValues, settingsHelp, settingsOptions } from '../cli/settings-args';

/** The supervisor's command line, checked; a bad flag throws a message meant for a person. */
export type SupervisorArgs = {
  help: boolean;
  port: number;
  host: string;
  nodes: number;
  dataDir: string | undefined;
  verbose: boolean;
  settings: ClusterSettings;
};

export const DEFAULT_PORT = 4000;

export function supervisorUsage(): string {
  return `Usage: npm start -- [options]     (or: tsx server/src/supervisor/main.ts [options])

Starts a Clusterlab cluster on this machine — a registry and N database nodes, each its own
process — and serves the dashboard, its REST API (/api) and live stream (/ws).

Options:
  --port N            dashboard port; 0 picks a free one (default: $PORT or ${DEFAULT_PORT})
  --host ADDR         address to bind (default 127.0.0.1)
  --nodes N           nodes to start with, ${MIN_NODES}..${MAX_NODES} (default 3)
  --data-dir DIR      where nodes keep their data (default: a temp folder removed on exit)
  --verbose           also show the children's stdout
  --help              print this and exit

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
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
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
  return {
    help: values.help,
    verbose: values.verbose,
    port,
    host: values.host,
    nodes,
    dataDir: values['data-dir'],
    settings: settingsFromValues(values),
  };
}

function wholeNumber(raw: string, flag: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw new Error(`${flag}: expected a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

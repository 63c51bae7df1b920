import { parseArgs } from 'node:util';
import {
  FAULT_FAMILIES,
  FaultScheduleFile,
  MAX_NODES,
  MIN_NODES,
  Rng,
  WorkloadSpec,
  type ClusterSettings,
  type FaultSchedule,
} from '@clusterlab/shared';
import { zodMessage } from '../http/json-http';
import { duration, parseFaults, UsageError } from '../sim/cli-args';
import { randomSchedule } from '../sim/schedule';
import { formatDuration } from '../sim/options';
import { settingsFromValues, settingsHelp, settingsOptions } from './settings-args';

export const USAGE = `Runs a workload against a real cluster it starts, checks the history, prints the verdict.

Usage: npm run workload -- [options]

  --algorithm bully|raft     the design to test (default bully)
  --nodes N                  nodes in the cluster (default 3)
  --duration D               how long the clients run: 60s, 1500ms, 2m (default 10s)
  --clients N                clients, each one operation at a time (default 10)
  --kind registers|bank      registers: reads and writes of the keys (default); bank: transfers between
                             --keys accounts as transactions, every balance read in one (--mix does not apply)
  --keys N                   keys they share, or the bank's accounts (default 10)
  --mix R,W,D[,C]            weights of reads, writes, deletes and compare-and-sets (default 1,1,0.1):
                             a cas writes only if the key is still at the version its client last read
  --read MODE                local, leader or linearizable (default: linearizable for Raft, local for bully)
  --through T                leader, any or a node id (default leader)
  --rate HZ                  operations per second over all clients (default: as fast as answers come)
  --faults KINDS             random faults of these kinds: ${FAULT_FAMILIES.join(', ')}, all or none (default none)
  --seed N                   the seed the random faults are drawn from (default: a random one, printed)
  --schedule FILE            faults from a file instead (the simulator's schedule format)
  --history FILE             write the history and final states there (what npm run check reads)
  -h, --help                 this text

Exit codes: 0 the algorithm kept its promises, 1 it broke one (Raft lost an acknowledged write,
or returned a read that is not linearizable with --read linearizable), 2 bad usage.

Cluster settings:
${settingsHelp()}`;

export { UsageError };

export type WorkloadCli = {
  help: boolean;
  nodes: number;
  settings: ClusterSettings;
  spec: WorkloadSpec;
  /** What the faults are, in a few words, for the report's first line. */
  faultsLabel: string;
  historyFile: string | null;
};

export function parseWorkloadCli(argv: string[], readJson: (file: string) => unknown, randomSeed: () => number): WorkloadCli {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        nodes: { type: 'string', default: '3' },
        duration: { type: 'string', default: '10s' },
        clients: { type: 'string', default: '10' },
        keys: { type: 'string', default: '10' },
        kind: { type: 'string', default: 'registers' },
        mix: { type: 'string', default: '1,1,0.1' },
        read: { type: 'string' },
        through: { type: 'string', default: 'leader' },
        rate: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        schedule: { type: 'string' },
        history: { type: 'string' },
        ...settingsOptions,
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const help = values.help === true;
  const nodes = whole(values.nodes as string, '--nodes');
  if (nodes < MIN_NODES || nodes > MAX_NODES) throw new UsageError(`--nodes: expected ${MIN_NODES}..${MAX_NODES}, got ${nodes}`);
  let settings: ClusterSettings;
  try {
    settings = settingsFromValues(values);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const durationMs = duration(values.duration as string);
  const clients = whole(values.clients as string, '--clients');
  const mix = parseMix(values.mix as string);
  const nodeIds = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);

  let faults: FaultSchedule = [];
  let faultsLabel = 'no faults';
  if (values.schedule !== undefined && values.faults !== undefined) throw new UsageError('give --faults or --schedule, not both');
  if (typeof values.schedule === 'string') {
    const parsed = FaultScheduleFile.safeParse(readJson(values.schedule));
    if (!parsed.success) throw new UsageError(`--schedule ${values.schedule}: ${zodMessage(parsed.error)}`);
    faults = Array.isArray(parsed.data) ? parsed.data : parsed.data.faults;
    faultsLabel = `schedule ${values.schedule}`;
  } else {
    const families = parseFaults(values.faults as string | undefined);
    if (families.length > 0) {
      const seed = values.seed === undefined ? randomSeed() : whole(values.seed as string, '--seed');
      // Faults strike after the first second and are over a second before the end, so the run
      // starts whole and ends whole, and the final states say what the cluster kept.
      faults = randomSchedule(Rng.stream(seed, 'faults'), {
        nodes: nodeIds,
        clients: Array.from({ length: clients }, (_, i) => `c${i + 1}`),
        families,
        fromMs: Math.min(1000, durationMs / 4),
        toMs: Math.max(durationMs / 2, durationMs - 1000),
      });
      faultsLabel = `faults: ${families.join(', ')} (seed ${seed})`;
    }
  }

  const spec = WorkloadSpec.safeParse({
    kind: values.kind,
    clients,
    durationMs,
    keys: whole(values.keys as string, '--keys'),
    mix,
    read: values.read ?? (settings.algorithm === 'raft' ? 'linearizable' : 'local'),
    through: values.through,
    ...(values.rate === undefined ? {} : { rateHz: Number(values.rate) }),
    faults,
  });
  if (!spec.success) throw new UsageError(zodMessage(spec.error).replace(/^(\w+)/, (field) => `--${field === 'rateHz' ? 'rate' : field}`));
  return { help, nodes, settings, spec: spec.data, faultsLabel, historyFile: (values.history as string | undefined) ?? null };
}

export function describeRun(cli: WorkloadCli): string {
  const { spec, settings } = cli;
  const design = settings.algorithm === 'raft' ? 'Raft' : `bully, write-ack ${settings.writeAck}`;
  return `${cli.nodes} nodes · ${formatDuration(spec.durationMs)} · ${cli.faultsLabel} · ${design} · reads ${spec.read} · ${spec.clients} clients on ${spec.keys} keys`;
}

function whole(raw: string, flag: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function parseMix(raw: string): { read: number; write: number; delete: number; cas?: number } {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if ((parts.length !== 3 && parts.length !== 4) || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new UsageError(`--mix: expected weights for reads, writes, deletes and (optionally) compare-and-sets, like 1,1,0.1 or 1,0.2,0,2; got ${JSON.stringify(raw)}`);
  }
  const [read, write, del, cas] = parts as [number, number, number, number | undefined];
  return { read, write, delete: del, ...(cas !== undefined && { cas }) };
}

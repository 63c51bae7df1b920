import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FaultScheduleFile, type FaultSchedule, type FaultView, type ProcessFaultDone } from '@clusterlab/shared';
import { zodMessage } from '../http/json-http';
import { UsageError } from '../sim/cli-args';
import { errorText } from '../supervisor/kv-proxy';
import { request } from '../supervisor/http-client';
import { SchedulePlayer } from '../supervisor/schedule-player';
import { DEFAULT_PORT } from '../supervisor/args';

const USAGE = `Plays a fault schedule (the simulator's format) against a running cluster, with the same timing.

Usage: npm run nemesis -- --schedule FILE [--url http://127.0.0.1:${DEFAULT_PORT}/] [--token TOKEN]

Every step goes through the supervisor's fault API, as the dashboard's Faults panel does:
lasting faults are applied and healed by id, process faults (kill, pause, restart, …) done
once. When the schedule is over (or on Ctrl-C) whatever it left in force is healed. A step the
cluster refuses (a node it does not have) is said and the rest played; the exit code is then 1.
The token is the one the supervisor printed, when it asks for one (also CLUSTERLAB_TOKEN).`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        schedule: { type: 'string' },
        url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? DEFAULT_PORT}/` },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.schedule) throw new UsageError('--schedule FILE is required');
  const schedule = readSchedule(values.schedule);
  const token = values.token ?? process.env.CLUSTERLAB_TOKEN;
  const base = new URL('/api/faults', values.url).toString();
  const started = performance.now();
  const say = (line: string) => console.log(`t=${((performance.now() - started) / 1000).toFixed(2)} s  ${line}`);

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await request(`${base}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeoutMs: 30_000,
      maxBodyBytes: 1024 * 1024,
    });
    if (answer.status >= 400) throw new Error(`${answer.status}: ${errorText(answer.body, answer.status)}`);
    return (answer.body ? JSON.parse(answer.body) : null) as T;
  };
  await api<unknown>('GET', '').catch((err: Error) => {
    throw new Error(`no supervisor answers at ${values.url} (${err.message}); start one with npm start, or give --url`);
  });

  const player = new SchedulePlayer(schedule, {
    apply: async (fault) => {
      const view = await api<FaultView>('POST', '', fault);
      say(`${view.id}: ${view.description}`);
      return view;
    },
    heal: async (id) => {
      await api<null>('DELETE', `/${id}`);
      say(id === 'all' ? 'healed every fault' : `healed ${id}`);
    },
    act: async (fault) => {
      const done = await api<ProcessFaultDone>('POST', '', fault);
      say(`${done.description} (${done.node.id} is now ${done.node.status})`);
    },
  }, (problem) => say(`✗ ${problem}`));
  const lastAt = Math.max(0, ...schedule.map((s) => s.at));
  console.log(`playing ${schedule.length} steps over ${(lastAt / 1000).toFixed(2)} s against ${values.url}`);
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  player.start();
  await Promise.race([new Promise((resolve) => setTimeout(resolve, lastAt + 1)), interrupted]);
  await player.stop();
  return player.problems.length > 0 ? 1 : 0;
}

function readSchedule(file: string): FaultSchedule {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--schedule ${file}: ${(err as Error).message}`);
  }
  const parsed = FaultScheduleFile.safeParse(json);
  if (!parsed.success) throw new UsageError(`--schedule ${file}: ${zodMessage(parsed.error)}`);
  const steps = Array.isArray(parsed.data) ? parsed.data : parsed.data.faults;
  return steps;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`nemesis: ${err.message}${err instanceof UsageError ? '\nTry: npm run nemesis -- --help' : ''}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);

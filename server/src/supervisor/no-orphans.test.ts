import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ClusterView } from '@clusterlab/shared';
import { action, call } from '../test-utils/http';
import { isAlive, waitForExit } from '../test-utils/processes';
import { waitFor } from '../test-utils/wait-for';

/**
 * The promise that matters most to a learner's laptop: however the supervisor dies, it
 * leaves no process behind — not even a paused one, which cannot notice anything at all.
 */

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

type Started = { launcher: ChildProcess; pid: number; url: string; output: () => string };

/**
 * The supervisor CLI as a shell runs it: a job in its own process group, whose parent (here a
 * bash with job control) is in the same session. That is the arrangement in which the kernel
 * rescues paused children: when the supervisor dies, its group becomes orphaned, and a newly
 * orphaned group with stopped members gets SIGHUP + SIGCONT. (Spawning it `detached` would
 * not test this: setsid() makes a new session whose group is orphaned from birth, so it never
 * *becomes* orphaned and the kernel sends nothing.)
 */
async function startCli(args: string[]): Promise<Started> {
  const launcher = spawn(
    'bash',
    ['-c', 'set -m; "$@" & echo "supervisor-pid $!"; wait $!', 'bash', process.execPath, '--import', 'tsx', MAIN, '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  launcher.stdout?.on('data', (chunk) => (out += String(chunk)));
  launcher.stderr?.on('data', (chunk) => (out += String(chunk)));
  const started = await waitFor(
    () => {
      const url = /Clusterlab dashboard: (http:\/\/\S+)/.exec(out)?.[1];
      const pid = /supervisor-pid (\d+)/.exec(out)?.[1];
      return url && pid ? { url, pid: Number(pid) } : null;
    },
    { what: 'the dashboard URL on stdout', timeoutMs: 20_000 },
  ).catch((err: Error) => {
    launcher.kill('SIGKILL');
    throw new Error(`${err.message}\n${out}`);
  });
  return { launcher, ...started, output: () => out };
}

/** Cleanup if a test fails midway: the supervisor's whole process group, by its id (= the supervisor's pid). */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function treePids(url: string): Promise<number[]> {
  const { body } = await call<ClusterView>(`${url}api/cluster`);
  return [body.registry.pid, ...body.nodes.map((n) => n.pid)].filter((pid): pid is number => pid !== null);
}

async function pause(url: string, target: string): Promise<void> {
  const answer = await call(`${url}api/${target}/pause`, action());
  expect(answer.status).toBe(200);
}

describe('a supervisor that dies leaves nothing behind', () => {
  it('when SIGKILLed, even with paused children', async () => {
    const nodes = 2;
    const { launcher, pid, url, output } = await startCli(['--nodes', String(nodes)]);
    try {
      const pids = await waitFor(async () => {
        const found = await treePids(url);
        return found.length === nodes + 1 ? found : null;
      }, { what: 'the pids of registry and nodes' });
      await pause(url, 'registry');
      await pause(url, 'nodes/n1');

      // No handler runs on SIGKILL. The paused children are left in an orphaned process group,
      // so the kernel sends them SIGHUP + SIGCONT; the running ones see their IPC channel close.
      process.kill(pid, 'SIGKILL');
      await waitForExit([pid, ...pids], 15_000);
      expect(pids.some(isAlive)).toBe(false);
    } catch (err) {
      process.stderr.write(output());
      throw err;
    } finally {
      killGroup(pid);
      launcher.kill('SIGKILL');
    }
  }, 40_000);

  it('when sent SIGTERM, stopping every child gracefully', async () => {
    const { launcher, pid, url, output } = await startCli(['--nodes', '1']);
    try {
      const pids = await waitFor(async () => ((await treePids(url)).length === 2 ? treePids(url) : null), { what: 'pids' });
      await pause(url, 'registry');
      // bash's `wait` hands on the supervisor's exit code as its own.
      const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
      process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
      await waitForExit(pids, 10_000);
    } catch (err) {
      process.stderr.write(output());
      throw err;
    } finally {
      killGroup(pid);
      launcher.kill('SIGKILL');
    }
  }, 40_000);
});

describe('a supervisor whose parent dies', () => {
  it('stops and takes its children with it (a wrapper such as npm or tsx killed without a word)', async () => {
    const { launcher, pid, url, output } = await startCli(['--nodes', '1']);
    try {
      const pids = await waitFor(async () => ((await treePids(url)).length === 2 ? treePids(url) : null), { what: 'pids' });
      // The supervisor's parent is the launching bash: SIGKILL it, and nobody is left to stop the cluster.
      launcher.kill('SIGKILL');
      await waitForExit([pid, ...pids], 15_000);
      expect([pid, ...pids].some(isAlive)).toBe(false);
    } catch (err) {
      process.stderr.write(output());
      throw err;
    } finally {
      killGroup(pid);
    }
  }, 40_000);
});

/** Starts the supervisor through a launcher a learner uses, and finds the supervisor's own pid. */
async function startThrough(command: string, args: string[]): Promise<{ wrapper: ChildProcess; url: string; output: () => string }> {
  const wrapper = spawn(command, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '0' } });
  let out = '';
  wrapper.stdout?.on('data', (chunk) => (out += String(chunk)));
  wrapper.stderr?.on('data', (chunk) => (out += String(chunk)));
  const url = await waitFor(() => /Clusterlab dashboard: (http:\/\/\S+)/.exec(out)?.[1], { what: 'the dashboard URL', timeoutMs: 60_000 }).catch((err: Error) => {
    wrapper.kill('SIGKILL');
    throw new Error(`${err.message}\n${out}`);
  });
  return { wrapper, url, output: () => out };
}

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

function parentOf(pid: number): number {
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so count from its ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe('the launchers a learner uses', () => {
  // npm start: npm execs the supervisor, so killing npm is killing its parent. npx tsx: tsx's
  // CLI runs it as a child of its own, and that wrapper is what gets killed.
  it.each([
    ['npm start, SIGKILLed', 'npm', ['start', '--', '--nodes', '1'], 'launcher'],
    ['npx tsx, its tsx wrapper SIGKILLed', 'npx', ['tsx', 'server/src/supervisor/main.ts', '--nodes', '1'], 'parent'],
  ] as const)('%s, leaves no process behind', async (_name, command, args, victim) => {
    const { wrapper, url, output } = await startThrough(command, [...args]);
    let pids: number[] = [];
    try {
      const children = await waitFor(async () => ((await treePids(url)).length === 2 ? treePids(url) : null), { what: 'pids' });
      // The children's parent is the supervisor itself, however many layers the launcher adds.
      const supervisorPid = parentOf(children[0]!);
      pids = [supervisorPid, ...children];
      if (victim === 'launcher') wrapper.kill('SIGKILL');
      else process.kill(parentOf(supervisorPid), 'SIGKILL');
      await waitForExit(pids, 15_000);
    } catch (err) {
      process.stderr.write(output());
      throw err;
    } finally {
      for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      wrapper.kill('SIGKILL');
    }
  }, 90_000);
});

describe('the supervisor command line', () => {
  it('refuses a bad flag with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--nodes', '99'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--nodes: expected 1\.\.25, got 99/);
  });
});

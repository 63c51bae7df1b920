import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { waitFor } from './wait-for';

/**
 * Whether a process still exists. A zombie (exited, not yet reaped — an orphan whose new
 * parent is slow to reap) counts as gone: it runs no code and holds no port.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." — the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` is alive; fails naming the survivors. */
export async function waitForExit(pids: number[], timeoutMs = 10_000): Promise<void> {
  await waitFor(() => pids.every((pid) => !isAlive(pid)), {
    what: `processes to exit: still alive ${JSON.stringify(pids.filter(isAlive))}`,
    timeoutMs,
  }).catch((err: Error) => {
    throw new Error(`${err.message}; survivors: ${JSON.stringify(pids.filter(isAlive))}`);
  });
}

/** Runs a TypeScript program (a CLI) as a person would, through tsx, and answers how it ended and what it printed. */
export function runTsProgram(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

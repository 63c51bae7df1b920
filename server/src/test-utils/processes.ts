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

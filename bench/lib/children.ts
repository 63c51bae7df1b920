import type { ChildProcess } from 'node:child_process';

/**
 * Every process a benchmark starts (a supervisor, an etcd member), so none outlives the
 * benchmark however it ends: a thrown error still runs each owner's `finally`, and this is
 * the last word when the process exits or is asked to stop. A supervisor that is SIGKILLed
 * takes its nodes with it (they stop when its IPC channel closes).
 */
const live = new Set<ChildProcess>();
const cleanups = new Set<() => void>();

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(force);
}

/** Synchronous cleanup (removing a temp dir, say) to run if the benchmark exits before its owner does it. */
export function onExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function killAllNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort
    }
  }
  cleanups.clear();
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping every process it started\n`);
    // Ask politely first (a supervisor stops its nodes on SIGTERM), then make sure.
    for (const child of live) child.kill('SIGTERM');
    const deadline = Date.now() + 3000;
    const check = setInterval(() => {
      if (live.size === 0 || Date.now() > deadline) {
        clearInterval(check);
        process.exit(130);
      }
    }, 50);
  });
}

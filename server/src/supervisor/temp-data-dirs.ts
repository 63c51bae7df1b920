import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A supervisor started without --data-dir keeps its nodes' data in a temp folder of its own
 * and removes it when it stops. One that is SIGKILLed cannot, so the folder's name carries the
 * owner's pid, and every supervisor that starts removes the folders of owners that are gone.
 */
const PREFIX = 'clusterlab-';
const OWNED = /^clusterlab-(\d+)-[A-Za-z0-9]{6}$/;

export async function createOwnedDataDir(root = os.tmpdir(), pid = process.pid): Promise<string> {
  return mkdtemp(path.join(root, `${PREFIX}${pid}-`));
}

/** Removes the data folders whose supervisor no longer runs; returns their paths. */
export async function removeAbandonedDataDirs(root = os.tmpdir(), isRunning: (pid: number) => boolean = processExists): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const owner = OWNED.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !isRunning(Number(owner));
  });
  const removed: string[] = [];
  for (const name of abandoned) {
    const dir = path.join(root, name);
    await rm(dir, { recursive: true, force: true }).then(() => removed.push(dir), () => {});
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as somebody else's process; leave its folder alone.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOwnedDataDir, removeAbandonedDataDirs } from './temp-data-dirs';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clusterlab-sweep-test-'));
  roots.push(dir);
  return dir;
}

describe("a killed supervisor's data folder", () => {
  it('is named for its owner, and removed by the next supervisor once that owner is gone', async () => {
    const r = root();
    const mine = await createOwnedDataDir(r);
    const gone = await createOwnedDataDir(r, 999_991);
    const running = await createOwnedDataDir(r, 999_992);
    mkdirSync(join(gone, 'n1'), { recursive: true });
    const removed = await removeAbandonedDataDirs(r, (pid) => pid === 999_992);
    expect(removed).toEqual([gone]);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(existsSync(mine)).toBe(true);
  });

  it('leaves alone what it did not name: --data-dir folders and anything else in the temp folder', async () => {
    const r = root();
    for (const name of ['clusterlab-data', 'clusterlab-abc123', 'clusterlab-12-short', 'other-999991-abcdef']) mkdirSync(join(r, name));
    expect(await removeAbandonedDataDirs(r, () => false)).toEqual([]);
  });
});

import { mkdtempSync, rmSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bully } from '../algorithms/bully';
import { Wal } from './wal';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clusterlab-wal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const put = (index: number, key: string, value: string) => ({ index, epoch: 3, op: { type: 'put' as const, key, value } });

describe('the write-ahead log', () => {
  it('a node reopening its directory gets back its epoch, entries and commit index', () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir, bully);
    wal.append({ type: 'epoch', epoch: 3 });
    wal.append({ type: 'entries', entries: [put(1, 'a', '1'), put(2, 'b', '2')] });
    wal.append({ type: 'commit', index: 1 });
    wal.close();
    const { restored } = Wal.open(dir, bully);
    expect(restored).toEqual({ epoch: 3, snapshot: null, entries: [put(1, 'a', '1'), put(2, 'b', '2')], commitIndex: 1 });
  });

  it('a snapshot record replaces everything before it', () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir, bully);
    wal.append({ type: 'entries', entries: [put(1, 'a', '1')] });
    wal.append({ type: 'snapshot', index: 5, epoch: 3, data: [['z', { value: '9', index: 5 }]] });
    wal.append({ type: 'entries', entries: [put(6, 'c', '3')] });
    wal.close();
    const { restored } = Wal.open(dir, bully);
    expect(restored.snapshot).toEqual({ index: 5, epoch: 3, data: [['z', { value: '9', index: 5 }]] });
    expect(restored.entries).toEqual([put(6, 'c', '3')]);
    expect(restored.commitIndex).toBe(5);
  });

  it('an image compacts the log and survives a reopen', () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir, bully);
    wal.append({ type: 'entries', entries: [put(1, 'a', '1')] });
    wal.writeImage({ epoch: 3, snapshot: { index: 1, epoch: 3, data: [['a', { value: '1', index: 1 }]] }, entries: [], commitIndex: 1 });
    wal.append({ type: 'entries', entries: [put(2, 'b', '2')] });
    wal.close();
    expect(readdirSync(dir).sort()).toEqual(['image.json', 'log-1.jsonl']);
    const { restored } = Wal.open(dir, bully);
    expect(restored.snapshot?.index).toBe(1);
    expect(restored.entries).toEqual([put(2, 'b', '2')]);
  });

  it('a torn last line (killed mid-write) is skipped, not fatal', () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir, bully);
    wal.append({ type: 'entries', entries: [put(1, 'a', '1')] });
    wal.close();
    appendFileSync(join(dir, 'log-0.jsonl'), '{"type":"entr');
    const { restored } = Wal.open(dir, bully);
    expect(restored.entries).toEqual([put(1, 'a', '1')]);
  });
});

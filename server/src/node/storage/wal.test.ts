import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bully } from '../algorithms/bully';
import { Wal, WalCorruptError } from './wal';

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

  it('a byte flipped in a record in the middle is caught, and the node refuses to start on it', () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir, bully);
    for (let i = 1; i <= 3; i++) wal.append({ type: 'entries', entries: [put(i, `k${i}`, `value-${i}`)] });
    wal.close();
    const file = join(dir, 'log-0.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value-2', 'value-X'));
    expect(() => Wal.open(dir, bully)).toThrow(WalCorruptError);
    expect(() => Wal.open(dir, bully)).toThrow(/damaged at record 2 of 3, with good records after it/);
  });

  it('a damaged last record is cut off and reported, and the log goes on cleanly after it', () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir, bully);
    wal.append({ type: 'entries', entries: [put(1, 'a', '1')] });
    wal.append({ type: 'entries', entries: [put(2, 'b', '2')] });
    wal.close();
    const file = join(dir, 'log-0.jsonl');
    const text = readFileSync(file, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    writeFileSync(file, text.slice(0, lastStart) + text.slice(lastStart).replace('"b"', '"c"'));
    const { wal: again, restored, repaired } = Wal.open(dir, bully);
    expect(restored.entries).toEqual([put(1, 'a', '1')]);
    expect(repaired).toMatchObject({ cutRecords: 1, cutBytes: text.length - lastStart });
    again.append({ type: 'entries', entries: [put(2, 'b', 'again')] });
    again.close();
    expect(Wal.open(dir, bully).restored.entries).toEqual([put(1, 'a', '1'), put(2, 'b', 'again')]);
  });

  it('reads a log written before records carried checksums', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'log-0.jsonl'), `${JSON.stringify({ type: 'entries', entries: [put(1, 'a', 'old')] })}\n`);
    expect(Wal.open(dir, bully).restored.entries).toEqual([put(1, 'a', 'old')]);
  });
});

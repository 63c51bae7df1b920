import { closeSync, existsSync, fdatasync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Fsync } from '@clusterlab/shared';
import type { Algorithm } from '../core/types';

/** A damaged record in the middle of the log: what was written after it cannot be trusted to follow it. */
export class WalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly lines: number,
  ) {
    super(
      `the write-ahead log ${file} is damaged at record ${line} of ${lines}, with good records after it: ` +
        'that is not an interrupted write but a damaged disk or an edited file, and replaying past it could serve data ' +
        'that never was; move the data folder aside to start this node empty',
    );
    this.name = 'WalCorruptError';
  }
}

/** What opening the log found wrong and mended. */
export type WalRepair = { file: string; cutBytes: number; cutRecords: number };

/** What the log needs of an algorithm: how its records fold into what a restart loads. */
export type WalFormat<R, D> = Pick<Algorithm<never, R, D>, 'emptyDisk' | 'fold'>;

/**
 * A node's write-ahead log on disk: one JSON record per line, appended before the node
 * acknowledges or sends anything that depends on it. Every so often the whole state is
 * written as an image and the log starts afresh, so restarts stay fast. The records are the
 * algorithm's own; it says how they fold into what a restart loads.
 *
 * Files: `image.json` ({ generation, state }) and `log-<generation>.jsonl`. The image is
 * renamed into place atomically, and names the one log that follows it, so a crash in the
 * middle of compaction leaves either the old pair or the new pair, never a mix.
 *
 * Each line is `<crc32 of the JSON, 8 hex digits> <JSON>`, so the log checks itself on open:
 * a damaged or unfinished last record (the process died mid-write: nothing that depended on
 * it can have left) is cut off, and said so; a damaged record with good ones after it is not
 * a torn write but a damaged disk, and the node refuses to start on it (WalCorruptError).
 *
 * Records are written with write(2): they survive the process being killed (the page cache
 * keeps them). Whether they also survive the machine losing power is the fsync setting's
 * business: `sync()` and `syncInBackground()` are how the runtime makes them durable
 * (DurableOutbox decides when); with `never` they do nothing.
 */
export class Wal<R, D> {
  private fd: number;
  private generation: number;
  private recordsSinceImage = 0;
  /** Records appended so far, and how many of them an fsync has covered. */
  private written = 0;
  private synced = 0;

  private constructor(
    private readonly dir: string,
    generation: number,
    readonly fsync: Fsync,
  ) {
    this.generation = generation;
    this.fd = openSync(this.logPath(generation), 'a');
  }

  /** Opens (creating if needed) the log in `dir` and returns what a restarting node should load. */
  static open<R, D>(
    dir: string,
    format: WalFormat<R, D>,
    options: { fsync?: Fsync; warn?: (line: string) => void } = {},
  ): { wal: Wal<R, D>; restored: D; repaired: WalRepair | null } {
    mkdirSync(dir, { recursive: true });
    const imagePath = join(dir, 'image.json');
    let generation = 0;
    let state = format.emptyDisk();
    if (existsSync(imagePath)) {
      const image = JSON.parse(readFileSync(imagePath, 'utf8')) as { generation: number; state: D };
      generation = image.generation;
      state = image.state;
    }
    const logPath = join(dir, `log-${generation}.jsonl`);
    let repaired: WalRepair | null = null;
    if (existsSync(logPath)) {
      const text = readFileSync(logPath, 'utf8');
      const records = readRecords(text);
      const bad = records.findIndex((r) => r.record === undefined);
      const good = bad < 0 ? records : records.slice(0, bad);
      if (bad >= 0) {
        if (records.slice(bad + 1).some((r) => r.record !== undefined)) throw new WalCorruptError(logPath, bad + 1, records.length);
        const keep = records[bad]!.offset;
        truncateSync(logPath, Buffer.byteLength(text.slice(0, keep)));
        repaired = { file: logPath, cutBytes: Buffer.byteLength(text.slice(keep)), cutRecords: records.length - bad };
        options.warn?.(`wal: cut a damaged or unfinished last record (${repaired.cutBytes} bytes) from ${logPath}`);
      }
      for (const r of good) state = format.fold(state, r.record as R);
    }
    return { wal: new Wal<R, D>(dir, generation, options.fsync ?? 'never'), restored: state, repaired };
  }

  append(record: R): void {
    writeSync(this.fd, line(record));
    this.recordsSinceImage++;
    this.written++;
  }

  /** How many records have been appended; a caller waiting for record n waits for `durable >= n`. */
  get appended(): number {
    return this.written;
  }

  /** How many appended records are known to be on disk (all of them, when fsync is `never`). */
  get durable(): number {
    return this.fsync === 'never' ? this.written : this.synced;
  }

  /** fsync everything appended so far, now, blocking. */
  sync(): void {
    if (this.fsync === 'never' || this.synced === this.written) return;
    fdatasyncSync(this.fd);
    this.synced = this.written;
  }

  /**
   * fsync everything appended so far on a worker thread, so the node keeps taking inputs (and
   * appending the next group's records) meanwhile. `done` is called with the new durable count.
   */
  syncInBackground(done: (durable: number, error: Error | null) => void): void {
    const target = this.written;
    const fd = this.fd;
    fdatasync(fd, (err) => {
      if (!err) this.synced = Math.max(this.synced, target);
      done(this.durable, err);
    });
  }

  /** True once the log is long enough that replaying it would slow a restart down. */
  get wantsImage(): boolean {
    return this.recordsSinceImage >= 50_000;
  }

  /** Write the whole state as the new image and start an empty log after it. Not while a background sync runs on the old log. */
  writeImage(state: D): void {
    const next = this.generation + 1;
    closeSync(openSync(this.logPath(next), 'w'));
    const tmp = join(this.dir, 'image.json.tmp');
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify({ generation: next, state }));
    // The image replaces records that may have been synced: it must be as durable as they were.
    if (this.fsync !== 'never') fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.dir, 'image.json'));
    if (this.fsync !== 'never') this.syncDirectory();
    closeSync(this.fd);
    rmSync(this.logPath(this.generation), { force: true });
    this.generation = next;
    this.fd = openSync(this.logPath(next), 'a');
    this.recordsSinceImage = 0;
    this.synced = this.written;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** A rename is durable once the directory that holds the name is. */
  private syncDirectory(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private logPath(generation: number): string {
    return join(this.dir, `log-${generation}.jsonl`);
  }
}

/** One record as a line: its checksum, then its JSON. */
function line(record: unknown): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/**
 * Every line of a log with where it starts: its record, or undefined when it is damaged or
 * was never finished (no newline). Lines from before checksums (bare JSON) are read as they are.
 */
function readRecords(text: string): { offset: number; record: unknown }[] {
  const out: { offset: number; record: unknown }[] = [];
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const raw = end < 0 ? text.slice(offset) : text.slice(offset, end);
    if (raw !== '') out.push({ offset, record: end < 0 ? undefined : parseLine(raw) });
    offset = end < 0 ? text.length : end + 1;
  }
  return out;
}

function parseLine(raw: string): unknown {
  try {
    if (raw.startsWith('{')) return JSON.parse(raw) as unknown;
    const json = raw.slice(9);
    if (raw[8] !== ' ' || crc32(json).toString(16).padStart(8, '0') !== raw.slice(0, 8)) return undefined;
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

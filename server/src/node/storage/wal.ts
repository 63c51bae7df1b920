import { closeSync, existsSync, fdatasync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Fsync } from '@clusterlab/shared';
import type { Algorithm } from '../core/types';

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
  ): { wal: Wal<R, D>; restored: D } {
    const warn = options.warn ?? (() => {});
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
    if (existsSync(logPath)) {
      const lines = readFileSync(logPath, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === '') continue;
        try {
          state = format.fold(state, JSON.parse(line) as R);
        } catch {
          // Only a torn last line is expected (killed mid-write); anything else is reported.
          if (i < lines.length - 2) warn(`wal: skipping unreadable record at ${logPath}:${i + 1}`);
        }
      }
    }
    return { wal: new Wal<R, D>(dir, generation, options.fsync ?? 'never'), restored: state };
  }

  append(record: R): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
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

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Algorithm } from '../core/types';

/** What the log needs of an algorithm: how its records fold into what a restart loads. */
export type WalFormat<R, D> = Pick<Algorithm<never, R, D>, 'emptyDisk' | 'fold'>;

/**
 * A node's write-ahead log on disk: one JSON record per line, appended before the node
 * acknowledges or sends anything that depends on it. Every so often the whole state is
 * written as an image and the log starts afresh, so restarts stay fast.
 *
 * Files: `image.json` ({ generation, state }) and `log-<generation>.jsonl`. The image is
 * renamed into place atomically, and names the one log that follows it, so a crash in the
 * middle of compaction leaves either the old pair or the new pair, never a mix.
 *
 * Records are written with write(2) but not fsync'ed: they survive the process being killed
 * (the page cache keeps them), not the machine losing power. That is the trade every
 * playground-sized store makes; Raft with fsync arrives in a later chapter. The records are
 * the algorithm's own; it says how they fold into what a restart loads.
 */
export class Wal<R, D> {
  private fd: number;
  private generation: number;
  private recordsSinceImage = 0;

  private constructor(
    private readonly dir: string,
    generation: number,
  ) {
    this.generation = generation;
    this.fd = openSync(this.logPath(generation), 'a');
  }

  /** Opens (creating if needed) the log in `dir` and returns what a restarting node should load. */
  static open<R, D>(dir: string, format: WalFormat<R, D>, warn: (line: string) => void = () => {}): { wal: Wal<R, D>; restored: D } {
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
    return { wal: new Wal<R, D>(dir, generation), restored: state };
  }

  append(record: R): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    this.recordsSinceImage++;
  }

  /** True once the log is long enough that replaying it would slow a restart down. */
  get wantsImage(): boolean {
    return this.recordsSinceImage >= 50_000;
  }

  /** Write the whole state as the new image and start an empty log after it. */
  writeImage(state: D): void {
    const next = this.generation + 1;
    closeSync(openSync(this.logPath(next), 'w'));
    const tmp = join(this.dir, 'image.json.tmp');
    writeFileSync(tmp, JSON.stringify({ generation: next, state }));
    renameSync(tmp, join(this.dir, 'image.json'));
    closeSync(this.fd);
    rmSync(this.logPath(this.generation), { force: true });
    this.generation = next;
    this.fd = openSync(this.logPath(next), 'a');
    this.recordsSinceImage = 0;
  }

  close(): void {
    closeSync(this.fd);
  }

  private logPath(generation: number): string {
    return join(this.dir, `log-${generation}.jsonl`);
  }
}

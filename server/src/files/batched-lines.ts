import type { WriteStream } from 'node:fs';

/**
 * Lines appended to a file in batches: a busy node records thousands of lines a second, and
 * one write per line would cost more than the lines themselves. Lines wait here until 256 KiB
 * have gathered or 50 ms have passed, then go in one write; `end` writes what is left.
 */
export class BatchedLines {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: WriteStream,
    private readonly maxBytes = 256 * 1024,
    private readonly maxWaitMs = 50,
  ) {}

  /** `line` without its newline. */
  write(line: string): void {
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= this.maxBytes) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
      this.timer.unref();
    }
  }

  /** Bytes not yet on their way to the disk: waiting here, or in the stream's own buffer. */
  get backlog(): number {
    return this.pendingBytes + this.out.writableLength;
  }

  end(last?: string): void {
    if (last !== undefined) this.pending.push(last);
    this.flush();
    this.out.end();
  }

  /** Sends what waits now, and resolves once the stream has handed it (and all before it) to the OS. */
  flushed(): Promise<void> {
    this.flush();
    if (this.out.writableLength === 0 || this.out.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.out.write('', () => resolve()));
  }

  /** Sends what waits now (a reader is about to read the file). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    this.out.write(`${this.pending.join('\n')}\n`);
    this.pending = [];
    this.pendingBytes = 0;
  }
}

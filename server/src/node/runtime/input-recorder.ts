import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { outputsDigest, type NodeId, type TraceBoot, type TraceCoreConfig, type TraceTruncated } from '@clusterlab/shared';
import { BatchedLines } from '../../files/batched-lines';
import type { CoreInput, CoreOutput } from '../core/types';

/**
 * Writes what a node's core was created from and every input it is stepped with, in order,
 * with a digest of each step's outputs: this process's part of the run's trace
 * (shared/src/trace.ts), from which the dashboard replays the node exactly and forks it.
 *
 * One file per process, `<dir>/<node>-<boot>.ndjson`, appended without fsync (a trace is for
 * looking at, not a promise: a SIGKILL from outside may cost its last lines; the supervisor's
 * own kill asks for them first — `flushed()`). Bounded: past `maxBytes`, or
 * if the disk falls `maxBacklogBytes` behind, it writes a `truncated` line and records no more.
 */
export class InputRecorder {
  private readonly out: BatchedLines;
  private bytes = 0;
  private step = 0;
  private stopped = false;

  constructor(
    dir: string,
    private readonly node: NodeId,
    readonly boot: string,
    private readonly maxBytes: number,
    private readonly maxBacklogBytes = 16 * 1024 * 1024,
  ) {
    mkdirSync(dir, { recursive: true });
    const stream = createWriteStream(join(dir, `${node}-${boot}.ndjson`), { flags: 'a' });
    stream.on('error', () => {
      this.stopped = true; // a trace that cannot be written is no reason to stop the node
    });
    this.out = new BatchedLines(stream);
  }

  /** Before the core is created (it may keep and change what it is given). */
  booted(config: TraceCoreConfig, restored: unknown): void {
    this.write({ type: 'boot', node: this.node, boot: this.boot, at: Date.now(), config, restored: restored ?? null } satisfies TraceBoot);
  }

  /** Call before the step, with its input (the core may change it); call what it returns with the step's outputs. */
  stepping(input: CoreInput, cause: string | undefined, lamport: number): ((outputs: readonly CoreOutput[]) => void) | null {
    if (this.stopped) return null;
    const json = JSON.stringify(input);
    return (outputs) => {
      const step = this.step++;
      const line = `{"type":"input","node":"${this.node}","boot":"${this.boot}","step":${step},"lamport":${lamport},"input":${json}${cause === undefined ? '' : `,"cause":${JSON.stringify(cause)}`},"out":"${outputsDigest(outputs)}"}`;
      this.writeLine(line, step);
    };
  }

  /** Resolves once every line recorded so far is in the file (the process may be killed next). */
  flushed(): Promise<void> {
    return this.out.flushed();
  }

  close(): void {
    this.stopped = true;
    this.out.end();
  }

  private write(line: TraceBoot): void {
    this.writeLine(JSON.stringify(line), 0);
  }

  private writeLine(line: string, step: number): void {
    if (this.stopped) return;
    const why =
      this.bytes + line.length > this.maxBytes
        ? `this node's trace reached its bound of ${this.maxBytes} bytes`
        : this.out.backlog > this.maxBacklogBytes
          ? 'the disk fell behind the recording'
          : null;
    if (why) {
      this.stopped = true;
      this.out.end(JSON.stringify({ type: 'truncated', node: this.node, boot: this.boot, step, reason: why } satisfies TraceTruncated));
      return;
    }
    this.bytes += line.length + 1;
    this.out.write(line);
  }
}

import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_VERSION, type ClusterEvent, type ClusterSettings, type TraceHeader } from '@clusterlab/shared';
import { BatchedLines } from '../files/batched-lines';
import { findLine } from '../files/find-line';

/** What GET /api/runs says of one recorded run. */
export type RunSummary = {
  id: string;
  startedAt: number;
  /** When the next cluster replaced it (or the supervisor stopped); null while it runs. */
  endedAt: number | null;
  algorithm: ClusterSettings['algorithm'];
  nodes: number;
  /** Events recorded, and the bytes of the whole trace so far. */
  events: number;
  bytes: number;
  /** A bound was reached: what was not recorded, in sentences. */
  truncated: string[];
};

export type RunsOptions = {
  /** Runs kept on disk; the oldest is deleted as a new one begins. */
  keep?: number;
  /** Bytes of events recorded per run; the rest of its events are not recorded (its nodes' inputs still are). */
  maxEventBytes?: number;
};

type Current = { summary: RunSummary; dir: string; events: BatchedLines; eventBytes: number; header: TraceHeader };

/**
 * Every cluster the supervisor runs (from its start, or a reset, to the next) is recorded as
 * a run: a folder under `root` with the events as they are numbered (the header is kept here), and
 * each node process's own file of its core's boot and inputs (the node writes it: --record).
 * GET /api/runs/:id/trace puts them together into one trace file (shared/src/trace.ts).
 *
 * Bounded: the last `keep` runs, each with at most `maxEventBytes` of events and, per node
 * process, MAX_TRACE_BYTES_PER_BOOT of inputs. Runs live in the supervisor's data folder and
 * go with it.
 */
export class Runs {
  /** Ended runs, oldest first, with the header their trace begins with. */
  private readonly finished: { summary: RunSummary; header: TraceHeader }[] = [];
  private current: Current | null = null;
  private next = 1;
  private readonly keep: number;
  private readonly maxEventBytes: number;

  constructor(
    private readonly root: string,
    options: RunsOptions = {},
  ) {
    this.keep = options.keep ?? 5;
    this.maxEventBytes = options.maxEventBytes ?? 64 * 1024 * 1024;
  }

  /** Where the current run's node processes record their inputs (null before the first cluster). */
  get recordDir(): string | null {
    return this.current?.dir ?? null;
  }

  /** A new cluster started (cluster.started): the previous run ends, a new one begins. */
  begin(settings: ClusterSettings, nodes: number, at: number): void {
    this.end(at);
    const id = `r${this.next++}`;
    const dir = join(this.root, id);
    mkdirSync(dir, { recursive: true });
    const header: TraceHeader = { type: 'trace', version: TRACE_VERSION, run: id, source: 'real', algorithm: settings.algorithm, settings, nodes, startedAt: at };
    const stream = createWriteStream(join(dir, 'events.ndjson'));
    stream.on('error', () => {}); // a run that cannot be recorded is no reason to stop the cluster
    const events = new BatchedLines(stream);
    this.current = { summary: { id, startedAt: at, endedAt: null, algorithm: settings.algorithm, nodes, events: 0, bytes: 0, truncated: [] }, dir, events, eventBytes: 0, header };
    this.forgetOld();
  }

  /** Every event, as the supervisor numbers it. */
  record(event: ClusterEvent): void {
    const c = this.current;
    if (!c || c.eventBytes > this.maxEventBytes) return;
    const line = `{"type":"event","event":${JSON.stringify(event)}}`;
    c.eventBytes += line.length + 1;
    if (c.eventBytes > this.maxEventBytes) {
      c.summary.truncated.push(`events after #${event.seq - 1} were not recorded: the run reached its bound of ${this.maxEventBytes} bytes of events`);
      return;
    }
    c.summary.events++;
    c.events.write(line);
  }

  list(): RunSummary[] {
    const all = this.finished.map((f) => f.summary);
    if (this.current) all.push(this.summaryOf(this.current));
    return all.reverse();
  }

  /** The run being recorded now, if any. */
  get currentId(): string | null {
    return this.current?.summary.id ?? null;
  }

  has(id: string): boolean {
    return this.current?.summary.id === id || this.finished.some((f) => f.summary.id === id);
  }

  /**
   * Writes run `id` as one trace file: its header, every node process's boot and inputs, then
   * the events. A file still being written ends at its last whole line.
   */
  async writeTrace(id: string, write: (chunk: string) => Promise<void>): Promise<void> {
    const dir = join(this.root, id);
    const current = this.current?.summary.id === id ? this.current : null;
    const run = current ?? this.finished.find((f) => f.summary.id === id);
    if (!run) throw new Error(`no run ${id}`);
    const { summary, header } = run;
    // Sent now, these are most likely on disk by the time the copy reaches the events file, after the nodes' files.
    current?.events.flush();
    await write(`${JSON.stringify(summary.truncated.length > 0 ? { ...header, truncated: summary.truncated } : header)}\n`);
    // Any order of the node files reads the same: a trace keys each line by its node and boot.
    const nodeFiles = readdirSync(dir)
      .filter((f) => /^n\d+-.+\.ndjson$/.test(f))
      .sort();
    for (const file of [...nodeFiles, 'events.ndjson']) await copyWholeLines(join(dir, file), write);
  }

  /**
   * What message `messageId` carried, as its receiver's core was given it: the one recorded
   * input that names it. Null when no receiver recorded it (lost, refused, still in flight, past
   * a bound, or not yet flushed: a node writes its file every 50 ms). Scans only `to`'s files
   * when the receiver is known; a message is not indexed, since a click is rare and a scan of a
   * node's file takes a few tens of milliseconds.
   */
  async findMessage(runId: string, messageId: string, to: string | null): Promise<{ to: string; step: number; msg: unknown } | null> {
    const dir = join(this.root, runId);
    const files = readdirSync(dir).filter((f) => /^n\d+-.+\.ndjson$/.test(f) && (to === null || f.startsWith(`${to}-`)));
    const needle = `,"cause":${JSON.stringify(messageId)},"out":`;
    for (const file of files.sort()) {
      const line = await findLine(join(dir, file), needle);
      if (line === null) continue;
      const input = JSON.parse(line) as { node: string; step: number; input: { type: string; msg?: unknown } };
      if (input.input.type === 'message') return { to: input.node, step: input.step, msg: input.input.msg };
    }
    return null;
  }

  /** The supervisor stops: the current run ends (its files stay until the data folder goes). */
  close(at: number): void {
    this.end(at);
  }

  private end(at: number): void {
    const c = this.current;
    if (!c) return;
    c.events.end();
    this.finished.push({ summary: { ...this.summaryOf(c), endedAt: at }, header: c.header });
    this.current = null;
  }

  private summaryOf(c: Current): RunSummary {
    return { ...c.summary, bytes: folderBytes(c.dir), truncated: [...c.summary.truncated] };
  }

  private forgetOld(): void {
    while (this.finished.length + (this.current ? 1 : 0) > this.keep) {
      const old = this.finished.shift()!;
      rmSync(join(this.root, old.summary.id), { recursive: true, force: true });
    }
  }
}

function folderBytes(dir: string): number {
  try {
    return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  } catch {
    return 0;
  }
}

/** Copies a file that may still be growing, up to its last newline: a half-written line is left out. */
async function copyWholeLines(file: string, write: (chunk: string) => Promise<void>): Promise<void> {
  let rest = '';
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        rest = text;
        continue;
      }
      await write(text.slice(0, cut + 1));
      rest = text.slice(cut + 1);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

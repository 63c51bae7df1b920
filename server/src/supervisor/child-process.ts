import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ChildMessage, EmittedEvent, type ProcessStatus, type SupervisorToChild } from '@clusterlab/shared';
import type { ProcessFacts } from './cluster-view';

/**
 * One child process (the registry or a node) as the supervisor holds it: spawned with an IPC
 * channel, its output prefixed with its name, its IPC messages checked before anyone trusts
 * them, and signals sent in the order that cannot leave it hanging.
 *
 * Children stay in the supervisor's process group (never detached): if the supervisor is
 * SIGKILLed, the group is orphaned and the kernel sends every stopped child SIGHUP + SIGCONT,
 * and each child also exits when its IPC channel closes. Nothing survives its supervisor.
 */

export type ExitInfo = { code: number | null; signal: string | null };

export type ChildHooks = {
  onReady(port: number): void;
  onEvents(events: EmittedEvent[]): void;
  /** `expected`: the supervisor asked for this exit (kill, stop, restart, remove, shutdown). */
  onExit(exit: ExitInfo, expected: boolean): void;
  log(line: string): void;
};

export type ChildSpec = {
  /** "registry", "n1": the prefix of its log lines. */
  name: string;
  /** Absolute path of the program's main.ts (run with `node --import tsx`), or of a plain .mjs. */
  script: string;
  args: string[];
  /** Echo the child's stdout (events as JSON lines when it runs without IPC); quiet by default. */
  echoStdout: boolean;
  /** Flags for the node runtime itself (V8's heap sizes, say), before the program. */
  nodeFlags?: string[];
  /** Added to the supervisor's environment: how a secret reaches a child without `ps` showing it. */
  env?: Record<string, string>;
  /** A node: asked to write out its batched events and trace (IPC `flush`) before a SIGKILL. */
  flushBeforeKill?: boolean;
};

/** How long a kill waits for the node to say its records are out; a busy or stuck one is killed regardless. */
const FLUSH_BEFORE_KILL_MS = 200;

/** Lines of stderr kept to say why a child died while starting. */
const LAST_WORDS = 8;
/** Longest log line we relay in one piece; a child that never prints a newline cannot eat memory. */
const MAX_LINE_CHARS = 16 * 1024;
/** Past this many rejected IPC messages from one child, stop saying so. */
const MAX_REJECTION_LOGS = 20;

export class ManagedChild {
  status: ProcessStatus = 'starting';
  port: number | null = null;
  exit: ExitInfo | null = null;
  readonly pid: number | null;
  readonly startedAt = Date.now();
  /** Resolves once the process has exited (or never started). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves true once it reports it listens, false if it exits first. */
  readonly started: Promise<boolean>;
  /** Resolves once its stderr has closed: every last line has been read. */
  private readonly outputClosed: Promise<void>;
  /** Its last lines on stderr, for saying why a start failed. */
  private readonly lastLines: string[] = [];
  private readonly markStarted: () => void;

  private readonly child: ChildProcess;
  private expectingExit = false;
  private rejections = 0;

  constructor(
    readonly spec: ChildSpec,
    private readonly hooks: ChildHooks,
  ) {
    // TypeScript runs through tsx; a plain .mjs (a test's stand-in) starts faster without it.
    const loader = /\.[cm]?ts$/.test(spec.script) ? ['--import', 'tsx'] : [];
    this.child = spawn(process.execPath, [...(spec.nodeFlags ?? []), ...loader, spec.script, ...spec.args], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: false,
      env: { ...process.env, ...spec.env },
    });
    this.pid = this.child.pid ?? null;

    let settle: (exit: ExitInfo) => void = () => {};
    this.exited = new Promise((resolve) => (settle = resolve));
    let settleStart: (ready: boolean) => void = () => {};
    this.started = new Promise((resolve) => (settleStart = resolve));
    this.markStarted = () => settleStart(true);
    const onGone = (exit: ExitInfo): void => {
      if (this.exit) return;
      this.exit = exit;
      this.status = 'stopped';
      settleStart(false);
      settle(exit);
      this.hooks.onExit(exit, this.expectingExit);
    };
    this.child.on('exit', (code, signal) => onGone({ code, signal }));
    this.child.on('error', (err) => {
      hooks.log(`[${spec.name}] process error: ${err.message}`);
      // A spawn that failed emits 'error' and never 'exit'.
      if (this.pid === null) onGone({ code: null, signal: null });
    });
    this.child.on('message', (message: unknown) => this.receive(message));

    relayLines(this.child.stderr, (line) => {
      this.lastLines.push(line);
      if (this.lastLines.length > LAST_WORDS) this.lastLines.shift();
      hooks.log(`[${spec.name}] ${line}`);
    });
    this.outputClosed = this.child.stderr ? new Promise((resolve) => this.child.stderr!.once('close', () => resolve())) : Promise.resolve();
    // stdout is always drained, or a chatty child would block on a full pipe.
    relayLines(this.child.stdout, spec.echoStdout ? (line) => hooks.log(`[${spec.name}] ${line}`) : () => {});
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** What it said last on stderr, once it has said everything (or after `waitMs`). */
  async lastWords(waitMs = 1000): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.outputClosed, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return [...this.lastLines];
  }


  facts(): ProcessFacts {
    return { status: this.status, pid: this.pid, port: this.port, startedAt: this.startedAt, exit: this.exit };
  }

  /** Sends over IPC; false when the channel is gone (the process exited or is exiting). */
  send(message: SupervisorToChild): boolean {
    if (!this.alive || !this.child.connected) return false;
    try {
      return this.child.send(message);
    } catch {
      return false;
    }
  }

  pause(): void {
    if (this.signal('SIGSTOP')) this.status = 'paused';
  }

  resume(): void {
    if (this.signal('SIGCONT')) this.status = this.port === null ? 'starting' : 'running';
  }

  /**
   * SIGKILL: the crash a learner injects. Resolves once the process is gone. A running node is
   * first asked to write out the lab's record of it (its last events and trace lines, which it
   * batches for up to 50 ms): otherwise time travel would show a node killed just after a write
   * without that write. Its state and disk are not touched, so the crash is as sudden for them.
   */
  async kill(): Promise<ExitInfo> {
    if (this.alive && this.spec.flushBeforeKill && this.status === 'running') await this.flushRecords();
    if (this.alive) {
      this.expectingExit = true;
      this.signal('SIGKILL');
    }
    return this.exited;
  }

  private flushWaiter: (() => void) | null = null;

  private async flushRecords(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve) => (this.flushWaiter = resolve));
    if (!this.send({ type: 'flush' })) return;
    await Promise.race([answered, this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_BEFORE_KILL_MS)))]);
    clearTimeout(timer);
    this.flushWaiter = null;
  }

  /**
   * A graceful stop: wake it if paused (a stopped process cannot handle SIGTERM), SIGTERM,
   * and SIGKILL if it has not gone after `graceMs`.
   */
  async stop(graceMs: number): Promise<ExitInfo> {
    if (!this.alive) return this.exited;
    this.expectingExit = true;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.hooks.log(`[${this.spec.name}] did not exit within ${graceMs} ms of SIGTERM; sending SIGKILL`);
      this.signal('SIGKILL');
    }
    return this.exited;
  }

  /** The last resort when the supervisor itself is exiting: no waiting, no questions. */
  killNow(): void {
    if (!this.alive) return;
    this.expectingExit = true;
    this.signal('SIGCONT');
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): boolean {
    if (!this.alive || this.pid === null) return false;
    try {
      return this.child.kill(signal);
    } catch (err) {
      this.hooks.log(`[${this.spec.name}] could not send ${signal}: ${(err as Error).message}`);
      return false;
    }
  }

  private receive(message: unknown): void {
    const parsed = ChildMessage.safeParse(message);
    if (!parsed.success) {
      this.reject(`unexpected IPC message ${preview(message)}`);
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready') {
      if (!this.alive) return;
      this.port = m.port;
      if (this.status === 'starting') this.status = 'running';
      this.markStarted();
      this.hooks.onReady(this.port);
      return;
    }
    if (m.type === 'flushed') {
      this.flushWaiter?.();
      return;
    }
    // Events may still be in the pipe when the exit is noticed; the last words of a process count too.
    // Checked one by one: one bad event must not cost the good ones around it.
    const good: EmittedEvent[] = [];
    for (const raw of m.events) {
      const event = EmittedEvent.safeParse(raw);
      if (event.success) good.push(event.data as EmittedEvent);
      else this.reject(`invalid event ${preview(raw)}: ${event.error.issues[0]?.message ?? 'does not match the schema'}`);
    }
    if (good.length > 0) this.hooks.onEvents(good);
  }

  private reject(why: string): void {
    this.rejections += 1;
    if (this.rejections <= MAX_REJECTION_LOGS) this.hooks.log(`[${this.spec.name}] dropped ${why}`);
    if (this.rejections === MAX_REJECTION_LOGS) this.hooks.log(`[${this.spec.name}] (further dropped messages are not logged)`);
  }
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function relayLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  stream.setEncoding('utf8');
  let partial = '';
  stream.on('data', (chunk: string) => {
    partial += chunk;
    let newline: number;
    while ((newline = partial.indexOf('\n')) >= 0) {
      onLine(partial.slice(0, newline));
      partial = partial.slice(newline + 1);
    }
    while (partial.length > MAX_LINE_CHARS) {
      onLine(`${partial.slice(0, MAX_LINE_CHARS)}…`);
      partial = partial.slice(MAX_LINE_CHARS);
    }
  });
  stream.on('end', () => {
    if (partial) onLine(partial);
  });
  stream.on('error', () => {});
}

import type { ActiveFault, ClusterEvent, EventBody, FaultView, History, HistoryOp, NodeId, WorkloadCounts, WorkloadInterim, WorkloadSpec, WorkloadState, WorkloadVerdict, WorkloadView } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import { HistoryRecorder } from '../../sim/history-recorder';
import { linkRules } from '../../net/link-rules';
import type { NodeDirectory } from '../kv-proxy';
import { checkInWorker, CheckSession } from './check-in-worker';
import { FaultTimeline } from './fault-timeline';
import { collectFinalStates } from './final-states';
import { countOps } from '../../sim/report';
import { LatencyBook, ProgressMeter } from './progress';
import { SchedulePlayer, type FaultActions } from '../schedule-player';
import { randomRunning, sendOp, type ClientLinkRules } from './send-op';
import { BankClient } from './bank-client';
import { withBankVerdict } from './bank-verdict';
import type { RunClientWork } from './client-work';
import { RegisterClient } from './register-client';

/**
 * One workload on the real cluster, from its first operation to its verdict:
 *
 *   running   `clients` clients, each one operation at a time (sendOp says what each answer
 *             means), for `durationMs` or until stopped; the schedule's faults at their times;
 *             a workload.progress event every second
 *   checking  every client has finished its last op; the schedule's faults are healed, the
 *             nodes are asked for their final states, and the checker runs in a worker thread
 *   done      (or `stopped`, when it was ended early) with its verdict
 *
 * Times in the history are ms since the run began, on the supervisor's monotonic clock.
 */
export type RunDeps = {
  id: string;
  spec: WorkloadSpec;
  directory(): NodeDirectory;
  /** The lasting faults in force now (for the clients' own links), and as the API shows them. */
  activeFaults(): readonly ActiveFault[];
  faultViews(): FaultView[];
  faultActions: FaultActions;
  onEvent(listener: (event: ClusterEvent) => void): () => void;
  emit(body: EventBody): void;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  /** How long replicas get to agree after the last op before their final states are taken as they are. */
  settleMs: number;
  checkerProgram: string;
  interimEveryMs: number;
  log(line: string): void;
};

/** A run stops taking new operations here: a history this long is already more than a page can use. */
export const MAX_WORKLOAD_OPS = 1_000_000;

/**
 * A run at least twice `interimEveryMs` long has its history so far checked that often while
 * it runs (the dashboard says so from 20 s, at the default of 10 s).
 */
export const DEFAULT_INTERIM_EVERY_MS = 10_000;

export class WorkloadRun {
  state: WorkloadState = 'running';
  readonly startedAt = Date.now();
  endedAt: number | null = null;
  stopReason: string | null = null;
  verdict: WorkloadVerdict | null = null;
  interim: WorkloadInterim | null = null;
  error: string | null = null;
  finalStates: FinalStates | undefined;
  /** Resolves once the verdict (or the error) is in. */
  readonly finished: Promise<void>;
  /** Resolves once every client has had its last answer. */
  readonly clientsDone: Promise<void>;
  private clientsFinished: () => void = () => {};

  private readonly t0 = performance.now();
  private readonly recorder = new HistoryRecorder();
  private readonly meter = new ProgressMeter();
  private readonly latency = new LatencyBook();
  private readonly counts: WorkloadCounts = countOps([]);
  private readonly timeline: FaultTimeline;
  private readonly player: SchedulePlayer;
  private stopping = false;
  private wakeStop: () => void = () => {};
  private endMs = 0;
  /** Samples already said as workload.progress. */
  private said = 0;
  /** The checker's worker, fed the ops as they complete; `unsent` waits for the next tick. */
  private readonly session: CheckSession;
  private unsent: HistoryOp[] = [];
  private sent = 0;
  /** Transactions sent so far: each one's ops carry its number. */
  private txns = 0;
  /** Ops invoked and not yet answered. */
  private readonly inFlight = new Set<HistoryOp>();
  private judged: WorkloadView['faults'] | null = null;

  constructor(private readonly d: RunDeps) {
    this.timeline = new FaultTimeline(this.startedAt, d.faultViews());
    this.player = new SchedulePlayer(d.spec.faults ?? [], d.faultActions);
    this.clientsDone = new Promise((resolve) => (this.clientsFinished = resolve));
    this.session = new CheckSession(d.checkerProgram);
    this.finished = this.run();
  }

  get id(): string {
    return this.d.id;
  }

  get clientCount(): number {
    return this.d.spec.clients;
  }

  /** The run's keys: `w3-k0`, `w3-k1`, …; a bank's accounts `w3-acct-1`, …. */
  get keyPrefix(): string {
    return this.d.spec.kind === 'bank' ? `${this.d.id}-acct-` : `${this.d.id}-k`;
  }

  /** A bank's accounts (none for a registers workload). */
  get accounts(): string[] {
    return this.d.spec.kind === 'bank' ? Array.from({ length: this.d.spec.keys }, (_, i) => `${this.keyPrefix}${i + 1}`) : [];
  }

  /** Ends the run early: no new operations; what ran is still checked. */
  stop(reason: string): void {
    this.end(reason);
  }

  /** No new operations from now on; `reason` null when the run simply ran its course. */
  private end(reason: string | null): void {
    if (this.stopping) return;
    this.stopReason = reason;
    this.stopping = true;
    this.wakeStop();
  }

  /** A copy, for a file or a worker. */
  history(): History {
    return this.recorder.history();
  }

  /** The ops as recorded, not copied: for reading a few of a long history. */
  get ops(): readonly HistoryOp[] {
    return this.recorder.recorded;
  }

  /** The run's faults as the view shows them (judged once the run is over, for good). */
  get faults(): WorkloadView['faults'] {
    return this.judged ?? this.timeline.judge(this.recorder.recorded, this.now());
  }

  view(): WorkloadView {
    return {
      id: this.d.id,
      spec: this.d.spec,
      state: this.state,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      stopReason: this.stopReason,
      counts: structuredClone(this.counts),
      latency: this.latency.summary(),
      series: [...this.meter.series],
      faults: this.faults,
      interim: this.interim,
      verdict: this.verdict,
      error: this.error,
    };
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  private async run(): Promise<void> {
    const { spec, id } = this.d;
    const unsubscribe = this.d.onEvent((event) => this.timeline.observe(event));
    this.d.emit({ kind: 'workload.started', data: { id, clients: spec.clients, durationMs: spec.durationMs, keys: spec.keys } });
    const stopped = new Promise<void>((resolve) => (this.wakeStop = resolve));
    const deadline = setTimeout(() => this.end(null), spec.durationMs);
    const ticker = setInterval(() => this.tick(), 1000);
    const every = this.d.interimEveryMs;
    const interims = spec.durationMs >= 2 * every ? setInterval(() => void this.checkSoFar(), every) : null;
    this.player.start();
    try {
      const clients = Array.from({ length: spec.clients }, (_, i) => this.client(`c${i + 1}`, stopped));
      await Promise.all(clients);
      // The run ends with its clients' last answers, not with the healing after it.
      this.endMs = this.now();
      this.endedAt = Date.now();
    } finally {
      clearTimeout(deadline);
      clearInterval(ticker);
      if (interims) clearInterval(interims);
      await this.player.stop();
      this.clientsFinished();
    }
    this.meter.finish(this.endMs);
    this.tick();
    this.state = 'checking';
    this.d.emit({ kind: 'workload.ended', data: { id, ops: this.recorder.size, reason: this.stopReason ?? `ran its ${spec.durationMs / 1000} s` } });

    try {
      const collected = await collectFinalStates(this.d.directory(), this.keyPrefix, {
        timeoutMs: this.d.readTimeoutMs,
        settleMs: this.d.settleMs,
        pollMs: 100,
        sleep,
      });
      this.finalStates = collected.finalStates;
      this.judged = this.timeline.judge(this.recorder.recorded, this.endMs);
      unsubscribe();
      const checked = await this.verdictOf(collected.finalStates);
      const verdict = this.d.spec.kind === 'bank' ? withBankVerdict(checked, this.recorder.recorded as History, this.accounts, collected.finalStates) : checked;
      verdict.notes.push(...collected.notes, ...this.player.problems);
      if (!collected.agreed) verdict.notes.push(`The replicas still disagreed ${this.d.settleMs} ms after the last operation; their states were taken as they were.`);
      this.verdict = verdict;
      this.d.emit({
        kind: 'workload.checked',
        data: { id, summary: verdict.summary, linearizable: verdict.linearizable, lostWrites: verdict.lostWrites, staleReads: verdict.staleReads, checkMs: verdict.checkMs },
      });
    } catch (err) {
      unsubscribe();
      this.error = `the check failed: ${(err as Error).message}`;
      this.d.log(`[workload ${id}] ${this.error}`);
    }
    this.state = this.stopReason ? 'stopped' : 'done';
  }

  /**
   * The session's verdict, which has every op already but the last second's; or, if it lost any
   * (a client that never recorded an answer) or failed, a check of the whole history at once.
   */
  private async verdictOf(finalStates: FinalStates): Promise<WorkloadVerdict> {
    this.feedChecker();
    if (this.sent === this.recorder.size) {
      try {
        return await this.session.finish(finalStates);
      } catch (err) {
        this.d.log(`[workload ${this.d.id}] the running check failed (${(err as Error).message}); checking the whole history again`);
      }
    } else {
      this.session.close();
    }
    return checkInWorker(this.d.checkerProgram, this.recorder.history(), finalStates);
  }

  /** Hands the ops completed since the last time to the checker's worker. */
  private feedChecker(): void {
    const batch = this.unsent;
    this.unsent = [];
    this.sent += batch.length;
    this.session.add(batch);
  }

  private checkingSoFar = false;

  /**
   * Checks the history so far, one check at a time, in the session's worker: every op completed
   * up to now, and those still in flight as unknown — what a history cut off at this moment is.
   */
  private async checkSoFar(): Promise<void> {
    if (this.checkingSoFar || this.state !== 'running') return;
    this.checkingSoFar = true;
    this.feedChecker();
    const atMs = Math.round(this.now());
    const inFlight = [...this.inFlight].map((op) => ({ ...op }));
    const ops = this.sent + inFlight.length;
    try {
      const v = await this.session.soFar(inFlight);
      if (this.state === 'running') this.interim = { atMs, ops, outcome: v.outcome, summary: v.summary, checkMs: v.checkMs };
    } catch (err) {
      this.d.log(`[workload ${this.d.id}] the check of the history so far failed: ${(err as Error).message}`);
    } finally {
      this.checkingSoFar = false;
    }
  }

  /** Says every second closed since the last tick (an op's completion may have closed one already). */
  private tick(): void {
    this.feedChecker();
    this.meter.closeUpTo(this.now());
    for (const s of this.meter.series.slice(this.said)) {
      this.d.emit({ kind: 'workload.progress', data: { id: this.d.id, elapsedMs: s.t, ok: s.ok, errors: s.errors, p50: s.p50, p99: s.p99 } });
    }
    this.said = this.meter.series.length;
  }

  /** One client: an operation at a time until the run stops, paced to its share of rateHz if there is one. */
  private async client(clientId: string, stopped: Promise<void>): Promise<void> {
    const { spec } = this.d;
    const intervalMs = spec.rateHz ? (spec.clients / spec.rateHz) * 1000 : 0;
    const work: RunClientWork =
      spec.kind === 'bank'
        ? new BankClient(clientId, this.accounts, Math.random)
        : new RegisterClient(clientId, Array.from({ length: spec.keys }, (_, i) => `${this.keyPrefix}${i}`), spec.mix, Math.random);
    let home: NodeId | null = null;
    let nextAt = this.now();
    while (!this.stopping) {
      if (this.recorder.size >= MAX_WORKLOAD_OPS) {
        this.stop(`reached the limit of ${MAX_WORKLOAD_OPS.toLocaleString('en-US')} operations`);
        break;
      }
      const step = work.next();
      // A transaction's ops (one per key it touches) share its number.
      const txn = step.call.kind === 'txn' ? ++this.txns : undefined;
      const ops = step.ops.map((o) => {
        const op = this.recorder.invoke(clientId, o.kind, o.key, o.value, this.now(), o.expected);
        if (txn !== undefined) op.txn = txn;
        this.inFlight.add(op);
        return op;
      });
      const through = spec.through;
      const result = await sendOp(step.call, {
        directory: this.d.directory(),
        first: through === 'leader' ? home : through === 'any' ? randomRunning(this.d.directory(), null, Math.random) : through,
        stickToFirst: through !== 'leader' && through !== 'any',
        read: spec.read,
        readTimeoutMs: this.d.readTimeoutMs,
        writeTimeoutMs: this.d.writeTimeoutMs,
        links: this.linksOf(clientId),
        draw: Math.random,
        sleep,
      });
      const at = this.now();
      const settled = work.settle(result);
      ops.forEach((op, i) => {
        const { outcome, value } = settled[i]!;
        this.recorder.complete(op, outcome, at, result.node, value);
        op.reply = result.reply;
        this.inFlight.delete(op);
        this.unsent.push(op);
        this.counts[op.kind][outcome]++;
      });
      const latencyMs = result.outcome === 'unknown' ? null : at - ops[0]!.invokeMs;
      this.meter.record(at, result.outcome === 'ok', latencyMs);
      if (latencyMs !== null) this.latency.add(step.latency === 'read' ? 'read' : 'write', latencyMs);
      if (result.lostTo) this.timeline.noteLoss(result.lostTo);
      if (through === 'leader') home = result.leader ?? (result.outcome === 'ok' ? result.node : null);
      if (intervalMs > 0) {
        nextAt = Math.max(nextAt + intervalMs, this.now());
        const wait = nextAt - this.now();
        if (wait > 0) await Promise.race([sleep(wait), stopped]);
      } else {
        // An answer can come without the event loop turning (a node that is down fails at
        // once): let timers and sockets run between ops, or a client could starve them.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /** The lasting faults on this client's links, read afresh for every op (they change mid-run). */
  private linksOf(clientId: string): ClientLinkRules | undefined {
    const active = this.d.activeFaults();
    if (active.length === 0) return undefined;
    return (node) => ({ there: linkRules(active, clientId, node), back: linkRules(active, node, clientId) });
  }
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

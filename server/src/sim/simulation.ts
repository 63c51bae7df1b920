import {
  bankAccounts,
  describeFault,
  describeHeal,
  faultFamily,
  isHeal,
  isProcessFault,
  nodeIdForRank,
  REGISTRY_PARTY,
  Rng,
  type EmittedEvent,
  type EventBody,
  type Fault,
  type FaultSchedule,
  type NodeId,
  type NodeView,
  type PeerMessage,
  type ProcessAction,
  type ProcessFault,
  type ScheduleStep,
} from '@clusterlab/shared';
import { ActiveFaults } from '../net/active-faults';
import { clockOffsetMs } from '../net/clock-offset';
import { algorithmFor } from '../node/algorithms';
import type { AnyAlgorithm, ClientRequest, CoreInput, CoreOutput, LogPosition } from '../node/core/types';
import { SimClient, DEFAULT_CLIENT_OPTIONS, type Answer, type ClientHost } from './clients';
import { DEFAULT_REGISTER_WORK, RegisterWork } from './register-work';
import { BankRecorder, BankWork } from './bank-work';
import { EventQueue } from './event-queue';
import { HistoryRecorder } from './history-recorder';
import { divergence, InvariantViolation, Invariants, type ReplicaView } from './invariants';
import { Network } from './network';
import { LamportClocks } from './lamport-clocks';
import { SimTraceRecorder } from './trace-recorder';
import { NodeProcess, type Envelope, type Inbound } from './node-process';
import type { SimOptions } from './options';
import { RegistryModel } from './registry-model';
import { idsForUnnamedFaults, randomSchedule } from './schedule';
import { SimStats } from './stats';

/**
 * A whole cluster in one process and in virtual time: N node cores, the registry, K clients
 * and the network between them, driven by one event queue. Nothing here reads a clock or draws
 * unseeded randomness, so a seed replays a run exactly.
 *
 * A run has two phases:
 *   1. [0, duration): clients work and the fault schedule plays;
 *   2. the quiet period: every fault still in force is mended, clients finish what they have in
 *      flight, and the cluster must converge within settleTimeoutMs.
 * Invariants (invariants.ts) are checked after every core step; the first violation stops the
 * run (it is thrown as an InvariantViolation and caught by `run`).
 */
export type SimOutcome = {
  violation: InvariantViolation | null;
  /** When the quiet period found the cluster converged (null if it never did, or the run stopped). */
  settledAtMs: number | null;
  endedAtMs: number;
  schedule: FaultSchedule;
};

/** More events than this in one virtual millisecond is a storm or a timer that never moves on: a hang. */
const MAX_EVENTS_PER_MS = 50_000;
/** Bytes of JSON per snapshot chunk in a simulated run (a pair is about 50): see createCore. */
const SIM_SNAPSHOT_CHUNK_BYTES = 64;
/** How often the quiet period looks for convergence. */
const SETTLE_POLL_MS = 50;

export class Simulation implements ClientHost {
  readonly queue = new EventQueue();
  /** The lasting faults in force: the network's link rules and the nodes' clock offsets are read from them. */
  readonly faults = new ActiveFaults();
  readonly network: Network;
  readonly registry: RegistryModel;
  readonly nodeIds: NodeId[];
  readonly processes = new Map<NodeId, NodeProcess>();
  readonly clients: SimClient[] = [];
  readonly history = new HistoryRecorder();
  /** The bank's ops, when the clients run the bank workload. */
  readonly bank = new BankRecorder();
  readonly accounts: string[];
  readonly algorithm: AnyAlgorithm;
  readonly invariants: Invariants;
  readonly stats = new SimStats();
  readonly trace: EmittedEvent[] = [];
  /** Each core's boot and inputs, for the trace file (options.trace). */
  readonly recorder: SimTraceRecorder | null;
  /** Every party's Lamport clock, as the real processes keep them (lamport-clocks.ts). */
  private readonly clocks = new LamportClocks();
  readonly schedule: FaultSchedule;
  /** The id each lasting fault of the schedule is in force under (its own, or one made up for it). */
  private readonly faultIds: Map<ScheduleStep, string>;
  /** How long a sender waits for a peer to take a message before calling it undeliverable (PeerTransport). */
  readonly transportTimeoutMs: number;
  private readonly coreSeeds: Rng;
  /** How long each fsync a core waits to hear about takes: 0–3 ms, its own stream so other draws stay put. */
  private readonly disk: Rng;
  private readonly requests = new Map<number, { node: NodeId; client: string; onAnswer: (a: Answer) => void }>();
  private nextRequestId = 1;
  private eventsThisMs = 0;
  private drivenFaults = 0;
  /** Nodes removed from the cluster: no longer shown. */
  private readonly removed = new Set<NodeId>();
  /** The nodes started together; one added later joins with no voters of its own and waits to be added. */
  private readonly initialVoters: NodeId[];
  private eventsMs = -1;

  constructor(readonly options: SimOptions) {
    const { seed, settings } = options;
    this.algorithm = algorithmFor(settings.algorithm);
    this.recorder = options.trace ? new SimTraceRecorder() : null;
    this.invariants = new Invariants(this.algorithm.checker(), this.algorithm.protocol);
    this.network = new Network(Rng.stream(seed, 'network'), options.latency, this.faults);
    this.coreSeeds = Rng.stream(seed, 'cores');
    this.disk = Rng.stream(seed, 'disk');
    this.transportTimeoutMs = Math.max(1000, 4 * settings.heartbeatIntervalMs);
    this.registry = new RegistryModel(settings.registryTtlMs, (e) => this.emit('registry', e));
    this.nodeIds = Array.from({ length: options.nodes }, (_, i) => nodeIdForRank(i + 1));
    for (const id of this.nodeIds) this.processes.set(id, new NodeProcess(id, this.algorithm));
    this.initialVoters = [...this.nodeIds];
    const clientRng = Rng.stream(seed, 'clients');
    const keys = Array.from({ length: options.keys }, (_, i) => `k${i + 1}`);
    this.accounts = options.workload === 'bank' ? bankAccounts(Math.max(2, options.keys)) : [];
    for (let i = 1; i <= options.clients; i++) {
      const work =
        options.workload === 'bank'
          ? new BankWork(`c${i}`, clientRng, this.bank, this.accounts)
          : new RegisterWork(`c${i}`, clientRng, this.history, { ...DEFAULT_REGISTER_WORK, keys, readMode: options.readMode, casShare: options.casShare });
      this.clients.push(new SimClient(`c${i}`, this, clientRng, work, { ...DEFAULT_CLIENT_OPTIONS, timeoutMs: options.clientTimeoutMs, readFrom: options.readFrom }));
    }
    this.schedule =
      options.schedule?.faults ??
      randomSchedule(Rng.stream(seed, 'schedule'), {
        nodes: this.nodeIds,
        clients: this.clients.map((c) => c.id),
        families: options.faults,
        // Faults start once a first leader had a chance, and are all mended by the end.
        fromMs: Math.min(1000, options.durationMs / 4),
        toMs: options.durationMs,
      });
    this.faultIds = idsForUnnamedFaults(this.schedule);
  }

  get now(): number {
    return this.queue.now;
  }

  after(delayMs: number, run: () => void): void {
    this.queue.after(delayMs, run);
  }

  nodes(): readonly NodeId[] {
    return this.nodeIds;
  }

  /** Plays the whole run. Never throws for a violated invariant: it is returned. */
  run(): SimOutcome {
    try {
      this.playFaultWindow();
      const settledAtMs = this.settle();
      this.holdToItsPromise();
      return { violation: null, settledAtMs, endedAtMs: this.now, schedule: this.schedule };
    } catch (err) {
      if (err instanceof InvariantViolation) return { violation: err, settledAtMs: null, endedAtMs: this.now, schedule: this.schedule };
      throw err;
    }
  }

  // ── driven from outside, a step at a time (a scenario: scenario-host.ts) ─────────────────

  /** Boots every node at time 0, with no fault schedule and no clients of its own. */
  startDriven(): void {
    for (const id of this.nodeIds) this.queue.at(0, () => this.boot(this.processes.get(id)!));
    this.sweepRegistry();
  }

  /** Lets `ms` of virtual time pass. */
  advance(ms: number): void {
    this.runUntil(this.now + ms);
  }

  /** Applies a fault now; a lasting one is in force under the id returned. */
  applyNow(fault: Fault): string | null {
    if (isProcessFault(fault)) {
      this.play({ at: this.now, fault });
      return null;
    }
    const id = `s${++this.drivenFaults}`;
    this.stats.faultApplied(faultFamily(fault));
    this.faults.apply(id, fault);
    this.emit('supervisor', { kind: 'fault.network', data: { id, fault, description: describeFault(fault) } });
    return id;
  }

  /** Starts one more node (the next id), empty, as the supervisor's Add node does. */
  addNodeNow(): NodeId {
    const id = nodeIdForRank(this.nodeIds.length + 1);
    const p = new NodeProcess(id, this.algorithm);
    this.processes.set(id, p);
    this.nodeIds.push(id);
    this.boot(p);
    return id;
  }

  /** Stops a node for good, as the supervisor's Remove does once the configuration has dropped it. */
  removeNodeNow(id: NodeId): void {
    const p = this.process(id);
    if (p.state !== 'crashed') this.crash(p);
    this.removed.add(id);
  }

  healNow(target: string): void {
    this.heal(target);
  }

  /** Kills, stops, pauses, resumes or restarts the registry, as the supervisor's registry buttons do. */
  registryActionNow(action: ProcessAction): void {
    this.registry.act(action, this.options.settings.registryTtlMs);
    this.emit('supervisor', { kind: 'fault.injected', data: { action, target: 'registry' } });
  }

  /** Each node as the supervisor's view would show it: its process's state and its core's beliefs. */
  nodeViews(): Pick<NodeView, 'id' | 'status' | 'role' | 'leader' | 'term' | 'appliedIndex'>[] {
    return [...this.processes.values()].filter((p) => !this.removed.has(p.id)).map((p) => {
      const status: NodeView['status'] = p.state === 'up' ? 'running' : p.state === 'paused' ? 'paused' : 'stopped';
      const s = p.core?.status();
      return { id: p.id, status, role: s?.role ?? 'unknown', leader: s?.leader ?? null, term: s?.term ?? 0, appliedIndex: s?.appliedIndex ?? 0 };
    });
  }

  /** What a running node's own copy holds for `key` (undefined: the node is not running). */
  localValue(id: NodeId, key: string): string | null | undefined {
    const p = this.processes.get(id);
    if (!p || p.state !== 'up' || !p.core) return undefined;
    // A lesson's keys are few: the whole listing is cheap, and exact.
    return p.core.list(Number.MAX_SAFE_INTEGER).entries.find(([k]) => k === key)?.[1].value ?? null;
  }

  /** Phase 1: nodes start, clients work, faults strike, until the end of the window. */
  private playFaultWindow(): void {
    for (const id of this.nodeIds) this.queue.at(0, () => this.boot(this.processes.get(id)!));
    for (const client of this.clients) this.queue.at(0, () => client.start());
    for (const step of this.schedule) this.queue.at(step.at, () => this.play(step));
    this.sweepRegistry();
    // Inclusive: a mend scheduled for the very end (a random schedule's last restart, say)
    // happens before the quiet period, not after it restarted the node already.
    this.runUntil(this.options.durationMs + 1);
  }

  /** Phase 2: mend everything, let clients finish, and wait for convergence. Returns when it came. */
  private settle(): number {
    for (const client of this.clients) client.stop();
    this.heal('all');
    for (const p of this.processes.values()) {
      if (p.state === 'crashed') this.boot(p);
      else if (p.state === 'paused') this.resume(p);
    }
    this.stats.quietFromMs = this.now;
    const { settleTimeoutMs } = this.options;
    const deadline = this.now + settleTimeoutMs;
    let why: string | null = 'not checked yet';
    while (this.now < deadline) {
      this.runUntil(Math.min(deadline, this.now + SETTLE_POLL_MS));
      why = this.clients.some((c) => c.busy) ? 'clients still have requests in flight' : divergence(this.replicas(), this.algorithm.protocol.formatTerm);
      if (why === null) return this.now;
    }
    throw new InvariantViolation(
      'replicas converge once faults heal',
      `${settleTimeoutMs} ms after every fault was mended the cluster has not settled: ${why}`,
      this.now,
    );
  }

  /** An algorithm that promises to keep acknowledged writes has lost none, by the simulator's own records. */
  private holdToItsPromise(): void {
    if (!this.algorithm.keepsAcknowledgedWrites) return;
    const lost = this.lostAcknowledged(true);
    if (lost.length === 0) return;
    const shown = lost.slice(0, 3).map((l) => `op ${l.opId} at index ${l.index}, ${this.algorithm.protocol.formatTerm(l.term)}`);
    throw new InvariantViolation(
      'no acknowledged write lost',
      `${lost.length} acknowledged write${lost.length === 1 ? ' is' : 's are'} not in the log the cluster converged on: ${shown.join('; ')}`,
      this.now,
    );
  }

  /**
   * Acknowledged writes and deletes (a bank's opening and transfers) that are not in the final log: their (index, epoch) is not
   * in the lineage of the leader everyone converged on. The simulator's own verdict on lost
   * writes, independent of what any client happened to read. Empty if the run did not settle.
   */
  lostAcknowledged(settled: boolean): { opId: number; index: number; term: number }[] {
    const leader = [...this.processes.values()].find((p) => p.core?.status().role === 'leader');
    if (!settled || !leader) return [];
    const lost: { opId: number; index: number; term: number }[] = [];
    const acks = this.options.workload === 'bank' ? this.bank.acks : this.history.acks;
    for (const [opId, { index, term }] of acks) if (leader.lineage[index] !== term) lost.push({ opId, index, term });
    return lost;
  }

  /** Each node's keys and values right now (crashed nodes: what their disk would restore). */
  finalStates(): Record<NodeId, Record<string, string | null>> {
    const out: Record<NodeId, Record<string, string | null>> = {};
    for (const [id, p] of this.processes) {
      const core = p.core ?? this.createCore(id, 0, p.loadDisk());
      out[id] = Object.fromEntries(core.list(Number.MAX_SAFE_INTEGER).entries.map(([k, v]) => [k, v.value]));
    }
    return out;
  }

  // ── the event loop ────────────────────────────────────────────────────────────────────────

  private runUntil(endMs: number): void {
    while (this.queue.nextAt() < endMs) {
      this.queue.runNext();
      if (this.now !== this.eventsMs) {
        this.eventsMs = this.now;
        this.eventsThisMs = 0;
      } else if (++this.eventsThisMs > MAX_EVENTS_PER_MS) {
        throw new InvariantViolation('time moves on', `more than ${MAX_EVENTS_PER_MS} events at ${this.now} ms: a message storm or a timer that never advances`, this.now);
      }
    }
    this.queue.now = Math.max(this.queue.now, endMs);
  }

  private sweepRegistry(): void {
    this.registry.sweep(this.now);
    this.queue.after(this.registry.sweepIntervalMs, () => this.sweepRegistry());
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────

  private play(step: ScheduleStep): void {
    if (isHeal(step)) {
      this.heal(step.heal);
      return;
    }
    const { fault } = step;
    this.stats.faultApplied(faultFamily(fault));
    if (isProcessFault(fault)) {
      this.processFault(fault);
      return;
    }
    const id = this.faultIds.get(step)!;
    this.faults.apply(id, fault);
    this.emit('supervisor', { kind: 'fault.network', data: { id, fault, description: describeFault(fault) } });
  }

  /**
   * Ends lasting faults. A node whose clock fault ends sees its clock jump back by the offset
   * at its next input; its timers, like a real process's, keep the times they were set for.
   */
  private heal(target: string): void {
    for (const { id, fault } of this.faults.heal(target)) {
      this.emit('supervisor', { kind: 'fault.healed', data: { id, fault, description: describeHeal(id, fault) } });
    }
  }

  private processFault(fault: ProcessFault): void {
    const p = this.process(fault.node);
    switch (fault.kind) {
      case 'kill':
        this.crash(p);
        break;
      case 'stop':
        this.stop(p);
        break;
      case 'restart':
        if (p.state !== 'crashed') this.crash(p); // as the supervisor does: kill, then start
        this.emit('supervisor', { kind: 'fault.injected', data: { action: 'restart', target: p.id } });
        this.boot(p);
        break;
      case 'pause':
        if (p.state !== 'up') break;
        this.emit('supervisor', { kind: 'fault.injected', data: { action: 'pause', target: p.id } });
        p.state = 'paused';
        break;
      case 'resume':
        if (p.state === 'paused') this.resume(p);
        break;
      default: {
        const never: never = fault;
        throw new Error(`unknown process fault ${JSON.stringify(never)}`);
      }
    }
  }

  private process(id: NodeId): NodeProcess {
    const p = this.processes.get(id);
    if (!p) throw new Error(`no node ${id} in this run`);
    return p;
  }

  // ── node processes ────────────────────────────────────────────────────────────────────────

  /** Start a process: a new core from what the disk holds, then join through the registry. */
  private boot(p: NodeProcess): void {
    p.incarnation++;
    p.state = 'up';
    p.inbox = [];
    p.timerAt = Number.POSITIVE_INFINITY;
    p.beatMissed = false;
    p.registeringUntil = Number.NEGATIVE_INFINITY;
    const pid = 1000 * p.incarnation + Number(p.id.slice(1));
    const seed = this.coreSeeds.int(2 ** 31);
    const disk = p.loadDisk();
    this.recorder?.boot(p.id, bootOf(p), this.now, this.coreConfig(p.id, seed), disk);
    p.core = this.createCore(p.id, seed, disk);
    const status = p.core.status();
    if (p.incarnation > 1) this.invariants.restarted(p.id, status, this.now);
    this.emit('supervisor', { kind: 'node.spawned', data: { id: p.id, pid } });
    this.clocks.spawned(p.id);
    this.emit(p.id, {
      kind: 'node.ready',
      data: {
        id: p.id,
        pid,
        port: 10_000 + Number(p.id.slice(1)) * 100 + (p.incarnation % 100),
        algorithm: this.algorithm.id,
        restoredIndex: status.appliedIndex,
        restoredKeys: status.keyCount,
      },
    });
    this.step(p, { type: 'start', now: this.clockOf(p) });
    this.beat(p, p.incarnation);
  }

  private familyOf(msg: PeerMessage) {
    return this.algorithm.protocol.familyOf(msg);
  }

  /**
   * Every node of a run is one of the cluster's first voters. A run's state is a few small
   * keys, so snapshots come in chunks of about one pair each: the chunking, not only the
   * snapshot, meets every fault the run draws.
   */
  private createCore(id: NodeId, seed: number, disk: unknown) {
    return this.algorithm.create(this.coreConfig(id, seed), disk);
  }

  private coreConfig(id: NodeId, seed: number) {
    return { id, settings: this.options.settings, seed, initialVoters: this.initialVoters.includes(id) ? this.initialVoters : [], snapshotChunkBytes: SIM_SNAPSHOT_CHUNK_BYTES };
  }

  private crash(p: NodeProcess): void {
    if (p.state === 'crashed') return;
    this.emit('supervisor', { kind: 'fault.injected', data: { action: 'kill', target: p.id } });
    this.exit(p, { code: null, signal: 'SIGKILL' });
  }

  /**
   * SIGTERM, as a node takes it: it asks the registry to forget it (over the network, so the
   * request can be lost) and exits; like a crash, only its disk survives. A paused node is
   * woken first by the supervisor, and here simply stops without running what waited.
   */
  private stop(p: NodeProcess): void {
    if (p.state === 'crashed') return;
    this.emit('supervisor', { kind: 'fault.injected', data: { action: 'stop', target: p.id } });
    const leave = this.network.fate(p.id, REGISTRY_PARTY);
    if (!('lost' in leave)) {
      this.queue.after(leave.delaysMs[0]!, () => {
        if (this.network.connected(p.id, REGISTRY_PARTY)) this.registry.leave(p.id);
      });
    }
    this.exit(p, { code: 0, signal: null });
  }

  private exit(p: NodeProcess, how: { code: number | null; signal: string | null }): void {
    this.emit('supervisor', { kind: 'node.exited', data: { id: p.id, ...how, expected: true } });
    this.invariants.crashed(p.id);
    p.state = 'crashed';
    p.core = null;
    p.timerAt = Number.POSITIVE_INFINITY;
    p.inbox = [];
    // Clients holding a connection to the dead process see it reset: their request may or may not have acted.
    for (const requestId of p.openRequests) this.answerClient(requestId, { type: 'reset', node: p.id });
    p.openRequests.clear();
  }

  private resume(p: NodeProcess): void {
    this.emit('supervisor', { kind: 'fault.injected', data: { action: 'resume', target: p.id } });
    p.state = 'up';
    const backlog = p.inbox;
    p.inbox = [];
    for (const input of backlog) {
      if (p.state !== 'up') break;
      this.take(p, input);
    }
    // Its timers are overdue: one tick catches up on all of them (it also re-arms the timer).
    if (p.state === 'up') this.step(p, { type: 'tick', now: this.clockOf(p) });
    if (p.beatMissed) {
      p.beatMissed = false;
      this.register(p);
    }
  }

  /** Hand an input to a process: now if it runs, later if it is paused, never if it is dead. */
  private take(p: NodeProcess, input: Inbound): void {
    if (p.state === 'crashed') return;
    if (p.state === 'paused') {
      p.inbox.push(input);
      return;
    }
    switch (input.type) {
      case 'message': {
        const { envelope: e } = input;
        e.processed = true;
        this.stats.delivered++;
        this.clocks.of(p.id).witness(e.lamport);
        this.emit(p.id, { kind: 'message.received', data: { id: e.id, from: e.from, type: e.msg.type, term: this.algorithm.protocol.termOf(e.msg), family: this.familyOf(e.msg), sentLamport: e.lamport } });
        this.step(p, { type: 'message', now: this.clockOf(p), from: e.from, msg: e.msg }, e.lineage, e.id);
        break;
      }
      case 'undeliverable':
        this.step(p, { type: 'undeliverable', now: this.clockOf(p), to: input.to, msg: input.msg });
        break;
      case 'client':
        this.step(p, { type: 'client', now: this.clockOf(p), requestId: input.requestId, request: input.request });
        break;
      case 'peers':
        this.step(p, { type: 'peers', now: this.clockOf(p), peers: input.peers });
        break;
      case 'durable':
        this.step(p, { type: 'durable', now: this.clockOf(p), position: input.position });
        break;
    }
  }

  /** The one place a core is stepped: catch what it throws, carry out what it says, check the invariants. */
  /** `cause`: the id of the message `input` is, said with the events and messages the step produces. */
  private step(p: NodeProcess, input: CoreInput, snapshotLineage?: number[], cause?: string): void {
    const core = p.liveCore();
    const recorded = this.recorder?.input(p.id, bootOf(p), input, cause, this.clocks.of(p.id).now);
    let outputs: CoreOutput[];
    try {
      outputs = core.step(input);
      recorded?.(outputs);
    } catch (err) {
      throw new InvariantViolation('the core never throws', `${p.id} threw on ${describeInput(input)}: ${(err as Error).stack ?? String(err)}`, this.now);
    }
    for (const out of outputs) {
      switch (out.type) {
        case 'persist':
          p.persist(out.record, snapshotLineage);
          if (out.whenDurable) this.reportDurable(p, out.whenDurable);
          break;
        case 'send':
          this.sendPeer(p, out.to, out.msg, cause);
          break;
        case 'reply':
          p.openRequests.delete(out.requestId);
          this.answerClient(out.requestId, { type: 'reply', node: p.id, reply: out.reply });
          break;
        case 'event':
          this.emit(p.id, out.event, cause);
          break;
      }
    }
    this.invariants.afterStep(p.id, p.incarnation, input, outputs, core.status(), this.now);
    this.armTimer(p);
  }

  /**
   * The record is on the simulated disk at once (a killed process keeps what it wrote); the
   * core hears that it is durable when its fsync returns, a moment later, if it still lives.
   */
  private reportDurable(p: NodeProcess, position: LogPosition): void {
    const incarnation = p.incarnation;
    this.queue.after(this.disk.int(4), () => {
      if (p.incarnation === incarnation) this.take(p, { type: 'durable', position });
    });
  }

  /**
   * What the node's clock reads: true time plus its clock faults. Only its core sees it; the
   * trace, the history and the invariants keep true time, so they still order what every node did.
   */
  private clockOf(p: NodeProcess): number {
    return this.now + clockOffsetMs(this.faults.list(), p.id);
  }

  /**
   * One timer per process, set for the core's next deadline — read on the node's clock and
   * set, as a real timer is, for that long from now; one that fires early is harmless.
   */
  private armTimer(p: NodeProcess): void {
    const at = p.liveCore().nextWakeAt() - (this.clockOf(p) - this.now);
    if (!(at < p.timerAt)) return;
    p.timerAt = at;
    const incarnation = p.incarnation;
    this.queue.at(at, () => {
      if (p.incarnation !== incarnation || p.timerAt !== at || p.state === 'crashed') return;
      p.timerAt = Number.POSITIVE_INFINITY;
      if (p.state === 'up') this.step(p, { type: 'tick', now: this.clockOf(p) }); // a paused one ticks on resume
    });
  }

  // ── the registry client, in each process ──────────────────────────────────────────────────

  /** Every registryIntervalMs while this life lasts (a paused process beats once on resume). */
  private beat(p: NodeProcess, incarnation: number): void {
    if (p.incarnation !== incarnation || p.state === 'crashed') return;
    if (p.state === 'paused') p.beatMissed = true;
    else this.register(p);
    this.queue.after(this.options.settings.registryIntervalMs, () => this.beat(p, incarnation));
  }

  private register(p: NodeProcess): void {
    if (this.now < p.registeringUntil) return; // the previous one is still in flight
    const { registryIntervalMs } = this.options.settings;
    p.registeringUntil = this.now + Math.max(2 * registryIntervalMs, 500);
    const incarnation = p.incarnation;
    const there = this.network.fate(p.id, REGISTRY_PARTY);
    if ('lost' in there) return; // the request times out; the node keeps its last list
    this.queue.after(there.delaysMs[0]!, () => {
      if (!this.network.connected(p.id, REGISTRY_PARTY)) return;
      const live = this.registry.register(p.id, incarnation, this.now);
      if (live === null) return; // the registry is down or paused: no answer, and the node keeps its last list
      const back = this.network.fate(REGISTRY_PARTY, p.id);
      if ('lost' in back) return;
      this.queue.after(back.delaysMs[0]!, () => {
        if (p.incarnation !== incarnation || !this.network.connected(REGISTRY_PARTY, p.id)) return;
        p.registeringUntil = Number.NEGATIVE_INFINITY;
        this.take(p, { type: 'peers', peers: live });
      });
    });
  }

  // ── peer messages ─────────────────────────────────────────────────────────────────────────

  private sendPeer(p: NodeProcess, to: NodeId, msg: PeerMessage, cause?: string): void {
    const id = p.nextMessageId();
    const lamport = this.emit(p.id, { kind: 'message.sent', data: { id, to, type: msg.type, term: this.algorithm.protocol.termOf(msg), family: this.familyOf(msg) } }, cause);
    const envelope: Envelope = { id, lamport, from: p.id, fromIncarnation: p.incarnation, to, msg, sentAt: this.now, processed: false };
    const snapshotIndex = this.algorithm.snapshotIndex(msg);
    if (snapshotIndex !== null) envelope.lineage = p.lineage.slice(0, snapshotIndex + 1);
    this.stats.sent++;
    const fate = this.network.fate(p.id, to);
    if ('lost' in fate) {
      this.lose(envelope, fate.lost);
      return;
    }
    fate.delaysMs.forEach((delayMs, copy) => {
      if (copy > 0) this.stats.duplicated++;
      this.queue.after(delayMs, () => this.arrive(envelope, copy));
    });
  }

  private arrive(e: Envelope, copy: number): void {
    const first = copy === 0;
    if (!this.network.connected(e.from, e.to)) {
      if (first) this.lose(e, `${this.network.rules(e.from, e.to).cutBy[0]!} cut it in flight`);
      return;
    }
    const dest = this.processes.get(e.to);
    if (!dest || dest.state === 'crashed') {
      if (!first) return;
      // Connection refused: the sender learns once the refusal has travelled back.
      this.stats.dropped++;
      this.emit(e.from, { kind: 'message.lost', data: { id: e.id, from: e.from, to: e.to, type: e.msg.type, reason: 'connection refused', family: this.familyOf(e.msg) } });
      this.queue.after(this.network.roundTripLegMs(e.to, e.from), () => this.undeliverable(e));
      return;
    }
    if (dest.state === 'paused' && first) {
      // The kernel takes the bytes; the sender's request times out unless the process wakes in time.
      // Like the real transport, it reports the message dropped then — and the process still takes it on resume.
      this.queue.at(e.sentAt + this.transportTimeoutMs, () => {
        if (e.processed) return;
        this.stats.dropped++;
        this.emit(e.from, { kind: 'message.lost', data: { id: e.id, from: e.from, to: e.to, type: e.msg.type, reason: `no answer from ${e.to} within ${this.transportTimeoutMs} ms`, family: this.familyOf(e.msg) } });
        this.undeliverable(e);
      });
    }
    this.take(dest, { type: 'message', envelope: e });
  }

  /**
   * Lost on the way: the sender's transport gives up on it after its timeout. (The trace shows
   * the loss where it happened, at once; the sender's core hears of it only after the timeout.)
   */
  private lose(e: Envelope, reason: string): void {
    this.stats.dropped++;
    this.emit(e.from, { kind: 'message.lost', data: { id: e.id, from: e.from, to: e.to, type: e.msg.type, reason, family: this.familyOf(e.msg) } });
    this.queue.at(e.sentAt + this.transportTimeoutMs, () => this.undeliverable(e));
  }

  private undeliverable(e: Envelope): void {
    const sender = this.processes.get(e.from)!;
    if (sender.incarnation !== e.fromIncarnation) return; // that process is gone, and its transport with it
    this.take(sender, { type: 'undeliverable', to: e.to, msg: e.msg });
  }

  // ── client requests ───────────────────────────────────────────────────────────────────────

  request(client: string, to: NodeId, request: ClientRequest, onAnswer: (answer: Answer) => void): void {
    const requestId = this.nextRequestId++;
    const there = this.network.fate(client, to);
    if ('lost' in there) return; // the client will time out
    this.queue.after(there.delaysMs[0]!, () => {
      if (!this.network.connected(client, to)) return;
      const p = this.process(to);
      if (p.state === 'crashed') {
        this.queue.after(this.network.roundTripLegMs(to, client), () => onAnswer({ type: 'refused', node: to }));
        return;
      }
      this.requests.set(requestId, { node: to, client, onAnswer });
      p.openRequests.add(requestId);
      this.take(p, { type: 'client', requestId, request });
    });
  }

  private answerClient(requestId: number, answer: Answer): void {
    const r = this.requests.get(requestId);
    if (!r) return;
    this.requests.delete(requestId);
    const back = this.network.fate(r.node, r.client);
    if ('lost' in back) return;
    this.queue.after(back.delaysMs[0]!, () => {
      if (this.network.connected(r.node, r.client)) r.onAnswer(answer);
    });
  }

  // ── events and state ──────────────────────────────────────────────────────────────────────

  /** Says an event as `node` did, at its next Lamport time (returned). */
  private emit(node: string, event: EventBody, cause?: string): number {
    const lamport = this.clocks.stamp(node);
    this.stats.event(node, event, this.now);
    if (this.options.trace) this.trace.push((cause === undefined ? { node, time: this.now, lamport, ...event } : { node, time: this.now, lamport, cause, ...event }) as EmittedEvent);
    return lamport;
  }

  private replicas(): Map<NodeId, ReplicaView> {
    const out = new Map<NodeId, ReplicaView>();
    for (const [id, p] of this.processes) {
      if (!p.core) continue;
      out.set(id, { status: p.core.status(), data: JSON.stringify(p.core.list(Number.MAX_SAFE_INTEGER).entries) });
    }
    return out;
  }
}

function describeInput(input: CoreInput): string {
  switch (input.type) {
    case 'message':
      return `a ${input.msg.type} from ${input.from} (${JSON.stringify(input.msg).slice(0, 300)})`;
    case 'undeliverable':
      return `an undeliverable ${input.msg.type} to ${input.to}`;
    case 'client':
      return `client request ${JSON.stringify(input.request).slice(0, 200)}`;
    case 'peers':
      return `peers [${input.peers.join(', ')}]`;
    default:
      return input.type;
  }
}

/** A simulated process's boot in the trace: its incarnation, as its message ids (`n2-3-1f`) name it. */
function bootOf(p: NodeProcess): string {
  return String(p.incarnation);
}

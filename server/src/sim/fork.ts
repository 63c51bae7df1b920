import { Rng, type ClusterSettings, type EventBody, type NodeId, type Trace, type TraceCoreConfig, type TraceEvent } from '@clusterlab/shared';
import type { AnyAlgorithm, AnyCore, CoreInput, CoreOutput } from '../node/core/types';
import { forkPoint, type InFlight } from './fork-point';
import { Invariants, InvariantViolation } from './invariants';
import { LamportClocks } from './lamport-clocks';

/** What the learner may make happen next. */
export type ForkChoice =
  | { type: 'deliver'; id: string }
  | { type: 'drop'; id: string }
  | { type: 'duplicate'; id: string }
  /** The node's next timer goes off (the clock moves on to it). */
  | { type: 'timer'; node: NodeId }
  | { type: 'crash'; node: NodeId }
  | { type: 'restart'; node: NodeId }
  | { type: 'pause'; node: NodeId }
  | { type: 'resume'; node: NodeId }
  /** Messages between the groups can only be dropped until healed. */
  | { type: 'partition'; groups: NodeId[][] }
  /** A client writes `key` = `value` through `node` (what the core answers shows in its events). */
  | { type: 'write'; node: NodeId; key: string; value: string }
  | { type: 'heal' };

/** A fork's event: numbered on after the fork point. */
export type ForkEvent = TraceEvent['event'];

export type ForkStep = { choice: ForkChoice; events: ForkEvent[]; violation: InvariantViolation | null };

type ForkNode = {
  id: NodeId;
  core: AnyCore | null;
  disk: unknown;
  state: 'up' | 'paused' | 'crashed';
  lastNow: number;
  peers: NodeId[];
  incarnation: number;
  /** Messages that reached it while paused: it takes them when it resumes. */
  inbox: InFlight[];
  sent: number;
  /** What its core was created with (a restart draws a new seed). */
  config: TraceCoreConfig | null;
};

/**
 * "What if this one message had been lost": a recorded run continued, in the simulator's
 * terms, from exactly the state it was in after one of its events (fork-point.ts). Nothing
 * happens on its own: the learner picks the next thing — deliver, drop or duplicate a message
 * in flight, fire a node's timer, crash, restart, pause, resume, partition, heal — or lets a
 * seeded random schedule pick (`runRandom`). Every step of every core is checked against the
 * simulator's invariants, and the first violation is reported at the step that caused it.
 * Pure: it runs in the tests and, bundled, in the browser.
 */
export class Fork {
  private readonly algorithm: AnyAlgorithm;
  private readonly nodes = new Map<NodeId, ForkNode>();
  private flights: InFlight[];
  private groups: NodeId[][] | null = null;
  private now: number;
  private seq: number;
  private readonly clocks = new LamportClocks();
  private readonly invariants: Invariants;
  private readonly seeds: Rng;
  private readonly settings: ClusterSettings;
  private stepEvents: ForkEvent[] = [];
  private violated: InvariantViolation | null = null;
  private requests = 0;
  /** What the fork says before its first step (the exit of a process a kill had been asked of). */
  readonly openingEvents: ForkEvent[];
  /** An invariant the recorded run itself broke before the fork point (a bug the recording shows). */
  readonly recordedViolation: InvariantViolation | null;
  readonly history: ForkStep[] = [];

  constructor(trace: Trace, atSeq: number, seed = 1) {
    const point = forkPoint(trace, atSeq);
    this.algorithm = point.algorithm;
    this.now = point.time;
    this.seq = atSeq;
    this.flights = [...point.inFlight];
    this.invariants = new Invariants(this.algorithm.checker(), this.algorithm.protocol);
    this.seeds = Rng.stream(seed, 'fork');
    for (const e of point.events) this.clocks.of(e.node).witness(e.lamport);
    for (const n of point.nodes.values()) {
      this.nodes.set(n.id, { id: n.id, core: n.core, disk: n.disk, state: n.core ? 'up' : 'crashed', lastNow: n.lastNow, peers: n.peers, incarnation: n.incarnation, inbox: [], sent: 0, config: n.record?.boot.config ?? null });
    }
    this.recordedViolation = this.watchRecorded(point.steps);
    // A kill asked just before the fork point: its exit is the fork's first event.
    this.stepEvents = [];
    for (const n of point.nodes.values()) if (n.exiting) this.say(n.id, { kind: 'node.exited', data: { id: n.id, code: null, signal: 'SIGKILL', expected: true } });
    this.openingEvents = this.stepEvents;
    this.settings = trace.header.settings;
  }

  /** The messages in flight, oldest first. */
  inFlight(): readonly InFlight[] {
    return this.flights;
  }

  /** When each running node's next timer goes off. */
  timers(): { node: NodeId; at: number }[] {
    return [...this.nodes.values()].filter((n) => n.state === 'up' && n.core && Number.isFinite(n.core.nextWakeAt())).map((n) => ({ node: n.id, at: n.core!.nextWakeAt() }));
  }

  status(node: NodeId) {
    return this.nodes.get(node)?.core?.status() ?? null;
  }

  /** Up to `limit` of a running node's keys, in key order (null when it is not running). */
  listing(node: NodeId, limit: number) {
    return this.nodes.get(node)?.core?.list(limit) ?? null;
  }

  stateOf(node: NodeId): ForkNode['state'] | null {
    return this.nodes.get(node)?.state ?? null;
  }

  get violation(): InvariantViolation | null {
    return this.violated;
  }

  /** Everything that may happen next. */
  choices(): ForkChoice[] {
    const out: ForkChoice[] = [];
    for (const f of this.flights) {
      if (!this.cut(f.from, f.to)) out.push({ type: 'deliver', id: f.id });
      out.push({ type: 'drop', id: f.id }, { type: 'duplicate', id: f.id });
    }
    for (const t of this.timers()) out.push({ type: 'timer', node: t.node });
    for (const n of this.nodes.values()) {
      if (n.state === 'up') out.push({ type: 'crash', node: n.id }, { type: 'pause', node: n.id });
      if (n.state === 'paused') out.push({ type: 'resume', node: n.id });
      if (n.state === 'crashed') out.push({ type: 'restart', node: n.id });
    }
    out.push(this.groups ? { type: 'heal' } : { type: 'partition', groups: this.isolateLeader() });
    return out;
  }

  /** Makes `choice` happen: the events it caused (numbered after the fork point) and a violation, if it broke an invariant. */
  apply(choice: ForkChoice): ForkStep {
    if (this.violated) throw new Error(`the fork stopped at a broken invariant: ${this.violated.message}`);
    this.stepEvents = [];
    try {
      this.perform(choice);
    } catch (err) {
      if (!(err instanceof InvariantViolation)) throw err;
      this.violated = err;
    }
    const step = { choice, events: this.stepEvents, violation: this.violated };
    this.history.push(step);
    return step;
  }

  /**
   * Lets a seeded random schedule run `steps` steps: mostly deliveries and timers, now and then
   * a drop, a duplicate or a process fault. The same seed from the same point, the same run.
   */
  runRandom(steps: number, seed: number): ForkStep[] {
    const rng = Rng.stream(seed, 'fork-schedule');
    const out: ForkStep[] = [];
    for (let i = 0; i < steps && !this.violated; i++) {
      const choices = this.choices();
      let pick = rng.int(choices.reduce((sum, c) => sum + weightOf(c), 0));
      const choice = choices.find((c) => (pick -= weightOf(c)) < 0)!;
      out.push(this.apply(choice));
    }
    return out;
  }

  /** The invariants see the recorded run up to the fork point first, so they judge the fork as part of the whole run. */
  private watchRecorded(steps: ReturnType<typeof forkPoint>['steps']): InvariantViolation | null {
    const lives = new Map<NodeId, number>();
    for (const s of steps) {
      try {
        const life = lives.get(s.node);
        if (life !== undefined && life !== s.incarnation) {
          this.invariants.crashed(s.node);
          this.invariants.restarted(s.node, s.status, s.input.now);
        }
        lives.set(s.node, s.incarnation);
        this.invariants.afterStep(s.node, s.incarnation, s.input, s.outputs, s.status, s.input.now);
      } catch (err) {
        if (err instanceof InvariantViolation) return err;
        throw err;
      }
    }
    return null;
  }

  // ── what each choice does ────────────────────────────────────────────────────────────────

  private perform(choice: ForkChoice): void {
    switch (choice.type) {
      case 'deliver': {
        const f = this.takeFlight(choice.id);
        if (this.cut(f.from, f.to)) throw new Error(`${f.id} cannot be delivered: ${f.from} and ${f.to} are partitioned (drop it, or heal first)`);
        this.tick(1);
        this.arrive(f);
        return;
      }
      case 'drop': {
        const f = this.takeFlight(choice.id);
        this.tick(1);
        this.say(f.from, { kind: 'message.lost', data: { id: f.id, from: f.from, to: f.to, type: f.msg.type, reason: 'dropped by hand in the fork', family: this.algorithm.protocol.familyOf(f.msg) } });
        // As the real transport does once the request times out: the sender hears it was not delivered.
        const sender = this.nodes.get(f.from);
        if (sender?.state === 'up') this.step(sender, { type: 'undeliverable', now: this.nowOf(sender), to: f.to, msg: f.msg });
        return;
      }
      case 'duplicate': {
        const f = this.flights.find((x) => x.id === choice.id);
        if (!f) throw new Error(`no message ${choice.id} is in flight`);
        this.flights.push({ ...f });
        return;
      }
      case 'timer': {
        const n = this.node(choice.node, 'up');
        this.now = Math.max(this.now, n.core!.nextWakeAt());
        this.step(n, { type: 'tick', now: this.nowOf(n) });
        return;
      }
      case 'crash': {
        const n = this.node(choice.node, 'up', 'paused');
        this.tick(1);
        n.core = null;
        n.state = 'crashed';
        n.inbox = [];
        this.invariants.crashed(n.id);
        this.say(n.id, { kind: 'node.exited', data: { id: n.id, code: null, signal: 'SIGKILL', expected: true } });
        return;
      }
      case 'restart': {
        const n = this.node(choice.node, 'crashed');
        this.tick(1);
        n.incarnation++;
        n.sent = 0;
        const config = { ...(n.config ?? { id: n.id, settings: this.settings, initialVoters: [] }), seed: this.seeds.int(2 ** 31) };
        n.core = this.algorithm.create(config, structuredClone(n.disk));
        n.state = 'up';
        this.invariants.restarted(n.id, n.core.status(), this.now);
        this.say(n.id, { kind: 'node.spawned', data: { id: n.id, pid: 0 } });
        this.step(n, { type: 'start', now: this.nowOf(n) });
        if (n.peers.length > 0) this.step(n, { type: 'peers', now: this.nowOf(n), peers: n.peers });
        return;
      }
      case 'pause':
        this.node(choice.node, 'up').state = 'paused';
        this.say('supervisor', { kind: 'fault.injected', data: { action: 'pause', target: choice.node } });
        return;
      case 'resume': {
        const n = this.node(choice.node, 'paused');
        n.state = 'up';
        this.say('supervisor', { kind: 'fault.injected', data: { action: 'resume', target: n.id } });
        const waiting = n.inbox;
        n.inbox = [];
        for (const f of waiting) this.arrive(f);
        return;
      }
      case 'partition':
        this.groups = choice.groups.map((g) => [...g]);
        return;
      case 'write': {
        const n = this.node(choice.node, 'up');
        this.tick(1);
        this.step(n, { type: 'client', now: this.nowOf(n), requestId: ++this.requests, request: { type: 'put', key: choice.key, value: choice.value } });
        return;
      }
      case 'heal':
        this.groups = null;
        return;
    }
  }

  private arrive(f: InFlight): void {
    const to = this.nodes.get(f.to);
    if (!to || to.state === 'crashed') {
      this.say(f.from, { kind: 'message.lost', data: { id: f.id, from: f.from, to: f.to, type: f.msg.type, reason: 'connection refused', family: this.algorithm.protocol.familyOf(f.msg) } });
      const sender = this.nodes.get(f.from);
      if (sender?.state === 'up') this.step(sender, { type: 'undeliverable', now: this.nowOf(sender), to: f.to, msg: f.msg });
      return;
    }
    if (to.state === 'paused') {
      to.inbox.push(f);
      return;
    }
    this.say(to.id, { kind: 'message.received', data: { id: f.id, from: f.from, type: f.msg.type, term: this.algorithm.protocol.termOf(f.msg), family: this.algorithm.protocol.familyOf(f.msg) } });
    this.step(to, { type: 'message', now: this.nowOf(to), from: f.from, msg: f.msg }, f.id);
  }

  /** The one place a core is stepped: outputs carried out, invariants checked. */
  private step(n: ForkNode, input: CoreInput, cause?: string): void {
    const outputs: CoreOutput[] = n.core!.step(input);
    n.lastNow = input.now;
    for (const out of outputs) {
      switch (out.type) {
        case 'persist':
          n.disk = this.algorithm.fold(n.disk, out.record);
          break;
        case 'send': {
          const id = `${n.id}-f${n.incarnation}-${(n.sent++).toString(36)}`;
          this.say(n.id, { kind: 'message.sent', data: { id, to: out.to, type: out.msg.type, term: this.algorithm.protocol.termOf(out.msg), family: this.algorithm.protocol.familyOf(out.msg) } }, cause);
          this.flights.push({ id, from: n.id, to: out.to, msg: out.msg, type: out.msg.type, family: this.algorithm.protocol.familyOf(out.msg) });
          break;
        }
        case 'event':
          this.say(n.id, out.event, cause);
          break;
        case 'reply':
          break;
      }
    }
    this.invariants.afterStep(n.id, n.incarnation, input, outputs, n.core!.status(), this.now);
  }

  private say(node: string, body: EventBody, cause?: string): void {
    const lamport = this.clocks.stamp(node);
    this.stepEvents.push({ seq: ++this.seq, node, time: this.now, lamport, ...(cause === undefined ? {} : { cause }), ...body } as ForkEvent);
  }

  private takeFlight(id: string): InFlight {
    const i = this.flights.findIndex((f) => f.id === id);
    if (i < 0) throw new Error(`no message ${id} is in flight`);
    return this.flights.splice(i, 1)[0]!;
  }

  private node(id: NodeId, ...states: ForkNode['state'][]): ForkNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id} in this run`);
    if (!states.includes(n.state)) throw new Error(`${id} is ${n.state}: it cannot do that now`);
    return n;
  }

  /** A core is never told an earlier time than it was last told. */
  private nowOf(n: ForkNode): number {
    return Math.max(this.now, n.lastNow);
  }

  private tick(ms: number): void {
    this.now += ms;
  }

  private cut(a: NodeId, b: NodeId): boolean {
    if (!this.groups) return false;
    const ga = this.groups.findIndex((g) => g.includes(a));
    const gb = this.groups.findIndex((g) => g.includes(b));
    return ga !== gb;
  }

  /** The partition a learner reaches for first: the leader alone, the others together. */
  private isolateLeader(): NodeId[][] {
    const ids = [...this.nodes.keys()];
    const leader = ids.find((id) => this.nodes.get(id)?.core?.status().role === 'leader') ?? ids[0]!;
    return [[leader], ids.filter((id) => id !== leader)];
  }
}

/** How often the random schedule picks a kind of choice: the network mostly works. */
function weightOf(c: ForkChoice): number {
  switch (c.type) {
    case 'deliver':
      return 20;
    case 'timer':
      return 6;
    case 'drop':
    case 'duplicate':
      return 1;
    default:
      return c.type === 'restart' || c.type === 'resume' || c.type === 'heal' ? 2 : 0;
  }
}

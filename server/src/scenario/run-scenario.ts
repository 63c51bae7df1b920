import {
  bindFault,
  DEFAULT_SETTINGS,
  expandStar,
  Fault,
  type Action,
  type CheckerFinding,
  type ClusterSettings,
  type Condition,
  type Expectation,
  type HistoryOp,
  isNodeId,
  type LessonMoment,
  type NodeId,
  type Scenario,
  type StepReport,
  type WorkloadVerdict,
} from '@clusterlab/shared';
import type { FinalStates } from '../check/final-states';
import { finalStatesOf, LessonHistory, replicasAgree } from './lesson-history';
import type { ScenarioHost } from './scenario-host';

export type { StepReport } from '@clusterlab/shared';

/** A step's moment did not come, or came otherwise than the lesson says: the lesson fails, loudly. */
export class ScenarioFailure extends Error {}

export type RunOptions = {
  onStep?: (report: StepReport) => void;
  signal?: AbortSignal;
  /**
   * Asked before each step (the first too), with how many steps are done: a run played step by
   * step resolves it when the learner says go on.
   */
  beforeStep?: (done: number) => Promise<void>;
  /** Where the lesson's reads and writes are written down as they complete (a new array if not given). */
  history?: HistoryOp[];
  /** The checker's findings on the lesson's reads and writes, each time they are judged. */
  onVerdict?: (verdict: WorkloadVerdict) => void;
  /**
   * Play every step even after one fails, each wait giving up after `awaitMs` at most: a
   * comparison, where a lesson runs under a design it was not written for and a moment that
   * does not come is the difference to show.
   */
  keepGoing?: { awaitMs: number };
};

/** How a run went: each step, the client operations it made, and the checker's last word on them. */
export type ScenarioOutcome = { steps: StepReport[]; history: HistoryOp[]; verdict: WorkloadVerdict | null };

const DEFAULT_AWAIT_MS = 15_000;
const POLL_MS = 50;
/** How long the checker lets replication settle before it reads what each node holds. */
const SETTLE_MS = 1_000;

/**
 * Runs a scenario's steps in order against a cluster, from a fresh start, and says how each
 * went. A lesson whose moment did not happen fails with a sentence saying what was waited for
 * and what the cluster was doing instead: flaky teaching is a bug. Every read and write it makes
 * is recorded, and at the end the checker judges them, as it judges a workload's.
 */
export async function runScenario(scenario: Scenario, host: ScenarioHost, options: RunOptions = {}): Promise<ScenarioOutcome> {
  const { onStep = () => {}, signal } = options;
  const reports: StepReport[] = scenario.steps.map((s, index) => ({ index, title: s.title, state: 'pending', detail: null }));
  const settings = { ...DEFAULT_SETTINGS, ...scenario.settings, algorithm: scenario.algorithm };
  const run = new Run(host, scenario.nodes, settings, signal, options.history ?? [], options.onVerdict ?? (() => {}), options.keepGoing?.awaitMs);
  await run.start();
  for (const [index, step] of scenario.steps.entries()) {
    const report = reports[index]!;
    try {
      await options.beforeStep?.(index);
      if (signal?.aborted) throw new ScenarioFailure('the lesson was stopped');
      report.state = 'running';
      onStep({ ...report });
      run.stepBegan();
      for (const action of step.do) await run.act(action);
      report.state = 'passed';
      const moment = run.moment();
      if (moment) report.moment = moment;
    } catch (err) {
      // Stopped while waiting to be told to go on: the step never began.
      if (report.state === 'pending') break;
      report.state = 'failed';
      report.detail = err instanceof ScenarioFailure ? err.message : `the step broke: ${(err as Error).message}`;
      onStep({ ...report });
      if (options.keepGoing && !signal?.aborted) continue;
      break;
    }
    onStep({ ...report });
  }
  if (!signal?.aborted && run.history.ops.length > 0) await run.judge();
  return { steps: reports, history: run.history.ops, verdict: run.verdict };
}

class Run {
  private readonly names = new Map<string, NodeId>();
  private readonly faults = new Map<string, string>();
  /** Each named read: what it returned (null: absent) and the version it saw (0: absent); null when it got an error. */
  private readonly reads = new Map<string, { value: string | null; version: number } | null>();
  /** Each named write: acknowledged or not, and what the client was told. */
  private readonly writes = new Map<string, { acknowledged: boolean; told: string }>();
  private stepSeq = 0;
  private found: LessonMoment | null = null;
  readonly history: LessonHistory;
  verdict: WorkloadVerdict | null = null;

  constructor(
    private readonly host: ScenarioHost,
    private readonly size: number,
    private settings: ClusterSettings,
    private readonly signal: AbortSignal | undefined,
    ops: HistoryOp[],
    private readonly onVerdict: (verdict: WorkloadVerdict) => void,
    private readonly maxAwaitMs = Infinity,
  ) {
    this.history = new LessonHistory(host, ops);
  }

  async start(): Promise<void> {
    await this.host.start(this.size, this.settings);
    this.history.begin();
  }

  stepBegan(): void {
    this.stepSeq = this.host.seq();
    this.found = null;
  }

  /** What the step just done was about: the nodes its last wait or expectation found. */
  moment(): LessonMoment | null {
    return this.found;
  }

  /** The checker's findings on every read and write so far, against what each node holds now. */
  async judge(): Promise<WorkloadVerdict> {
    const keys = this.history.keys();
    let finalStates: FinalStates = {};
    const settled = async () => {
      finalStates = finalStatesOf(await Promise.all(keys.map(async (key) => ({ key, reads: await this.host.readEverywhere(key) }))));
      return replicasAgree(finalStates, keys) ? true : null;
    };
    // The last write may still be on its way to the followers: what they hold once it lands is
    // the end. Replicas a partition keeps apart never agree, and are judged as they are.
    await this.poll(settled, SETTLE_MS);
    this.verdict = this.history.judge(finalStates);
    this.onVerdict(this.verdict);
    return this.verdict;
  }

  /**
   * A fresh cluster with settings changed: what the names stood for is gone, a host may number
   * its events (and, in the simulator, its clock) afresh, and the checker's history starts over —
   * a write the old cluster held is not lost because a new cluster does not hold it.
   */
  private async restart(changes: Partial<ClusterSettings>): Promise<void> {
    this.settings = { ...this.settings, ...changes };
    this.names.clear();
    this.faults.clear();
    if (this.history.ops.length > 0) await this.judge();
    await this.start();
    this.stepSeq = this.host.seq();
  }

  async act(a: Action): Promise<void> {
    if (this.signal?.aborted) throw new ScenarioFailure('the lesson was stopped');
    if ('remember' in a) return this.remember(a.remember, a.as);
    if ('fault' in a) {
      const ids = this.host.nodes().map((n) => n.id);
      const fault = Fault.parse(expandStar(bindFault(a.fault, (r) => this.node(r)), ids));
      const id = await this.host.fault(fault);
      if (a.name && id) this.faults.set(a.name, id);
      return;
    }
    if ('addNode' in a) return void this.names.set(`$${a.addNode}`, await this.host.addNode());
    if ('removeNode' in a) return this.host.removeNode(this.node(a.removeNode));
    if ('heal' in a) {
      if (a.heal === 'all') return this.host.heal('all');
      const id = this.faults.get(a.heal);
      if (!id) throw new ScenarioFailure(`there is no fault named ${a.heal} to heal`);
      return this.host.heal(id);
    }
    if ('write' in a) {
      const via = a.via && this.node(a.via);
      const seen = a.ifVersionOf === undefined ? undefined : this.reads.get(a.ifVersionOf);
      if (a.ifVersionOf !== undefined && !seen) throw new ScenarioFailure(`no read named ${a.ifVersionOf} returned a version to write against`);
      const send = () => this.host.kv('put', a.write, { value: a.value, via, ...(seen ? { ifVersion: seen.version } : {}) });
      const { result, op } = seen ? await this.history.record('cas', a.write, a.value, send, undefined, seen.value) : await this.history.record('write', a.write, a.value, send);
      if (a.name) this.writes.set(a.name, { acknowledged: result.status === 200, told: op.reply ?? String(result.status) });
      return;
    }
    if ('read' in a) {
      const via = a.via && this.node(a.via);
      const { result: r } = await this.history.record('read', a.read, null, () => this.host.kv('get', a.read, { via, mode: a.mode }));
      const answered = r.status === 200 || r.status === 404;
      if (a.name) this.reads.set(a.name, answered ? { value: r.status === 200 ? (r.value ?? null) : null, version: r.version ?? 0 } : null);
      return;
    }
    if ('workload' in a) return this.workload(a.workload);
    if ('restart' in a) return this.restart(a.restart.settings);
    if ('registry' in a) return this.host.registry(a.registry);
    if ('await' in a) return this.until(a.await, Math.min(a.timeoutMs ?? DEFAULT_AWAIT_MS, this.maxAwaitMs));
    if ('expect' in a) return this.expect(a.expect);
    return this.host.sleep(a.sleep);
  }

  private node(ref: string): NodeId {
    if (!ref.startsWith('$')) return ref;
    const id = this.names.get(ref);
    if (!id) throw new ScenarioFailure(`${ref} was never remembered`);
    return id;
  }

  /** Waits for there to be one (a follower of the agreed leader, the lowest-numbered), as any step waits: on a condition. */
  private async remember(name: string, as: 'leader' | 'follower'): Promise<void> {
    const find = () => {
      const leader = this.host.leader();
      if (as === 'leader' || leader === null) return leader;
      return this.host.nodes().find((n) => n.running && n.role === 'follower' && n.leader === leader)?.id ?? null;
    };
    const waitMs = Math.min(DEFAULT_AWAIT_MS, this.maxAwaitMs);
    const id = await this.poll(find, waitMs);
    if (!id) throw new ScenarioFailure(`there was no ${as} to remember as $${name} in ${waitMs / 1000} s: ${this.picture()}`);
    this.names.set(`$${name}`, id);
  }

  /** Asks `probe` every POLL_MS until it answers, or `timeoutMs` has passed (null then): every wait of a lesson. */
  private async poll<T>(probe: () => T | null | Promise<T | null>, timeoutMs: number): Promise<T | null> {
    for (let waited = 0; ; waited += POLL_MS) {
      const found = await probe();
      if (found !== null) return found;
      if (waited >= timeoutMs) return null;
      if (this.signal?.aborted) throw new ScenarioFailure('the lesson was stopped');
      await this.host.sleep(POLL_MS);
    }
  }

  /** The moment a condition describes, if it holds now; null if not yet. */
  private holds(c: Condition): LessonMoment | null {
    if ('leader' in c) {
      const leader = this.host.leader();
      if (leader === null || (c.not !== undefined && leader === this.node(c.not))) return null;
      const settled = !c.followedByAll || this.host.nodes().every((n) => !n.running || n.id === leader || (n.role === 'follower' && n.leader === leader));
      return settled ? moment([leader]) : null;
    }
    if ('leaders' in c) {
      const leaders = this.leaders();
      return leaders.length >= c.leaders ? moment(leaders) : null;
    }
    if ('event' in c) {
      const node = c.node && this.node(c.node);
      const fields = Object.entries(c.data ?? {}).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('$') ? this.node(v) : v] as const);
      const e = this.host
        .eventsSince(this.stepSeq)
        .find((e) => e.kind === c.event && (node === undefined || e.node === node) && fields.every(([k, v]) => (e.data as Record<string, unknown>)[k] === v));
      // An event a node said is about that node; one the supervisor or the registry said, about none.
      return e ? moment(e.node && isNodeId(e.node) ? [e.node] : [], e.seq) : null;
    }
    if ('applied' in c) {
      const id = this.node(c.applied);
      return (this.host.nodes().find((n) => n.id === id)?.applied ?? 0) >= c.atLeast ? moment([id]) : null;
    }
    const id = this.node(c.role);
    const n = this.host.nodes().find((x) => x.id === id);
    // A follower in the lesson's sense follows someone: the leader the cluster agrees on, not
    // the nobody a node that has just started "follows".
    const is = c.is === 'follower' ? n?.role === 'follower' && n.leader !== null && n.leader === this.host.leader() : n?.role === c.is;
    return is ? moment([id]) : null;
  }

  private async until(c: Condition, timeoutMs: number): Promise<void> {
    const found = await this.poll(() => this.holds(c), timeoutMs);
    if (found) this.found = found;
    else {
      throw new ScenarioFailure(`waited ${timeoutMs / 1000} s for ${this.words(c)}, and it did not come: ${this.picture()}`);
    }
  }

  private async expect(e: Expectation): Promise<void> {
    if ('leaders' in e) {
      const leaders = this.leaders();
      if (leaders.length !== e.leaders) throw new ScenarioFailure(`expected ${e.leaders} node${e.leaders === 1 ? '' : 's'} to say they lead, and ${leaders.length} do (${leaders.join(', ') || 'none'})`);
      if (leaders.length > 0) this.found = moment(leaders);
      return;
    }
    if ('leader' in e) {
      const id = this.node(e.leader);
      if (this.host.leader() !== id) throw new ScenarioFailure(`expected ${id} to lead: ${this.picture()}`);
      this.found = moment([id]);
      return;
    }
    if ('read' in e) {
      const got = this.reads.get(e.read);
      if (got === undefined) throw new ScenarioFailure(`no read named ${e.read} was made`);
      if (got?.value !== e.value) throw new ScenarioFailure(`expected the read ${e.read} to return ${show(e.value)}, and it returned ${got === null ? 'an error' : show(got.value)}`);
      return;
    }
    if ('write' in e) {
      const w = this.writes.get(e.write);
      if (!w) throw new ScenarioFailure(`no write named ${e.write} was made`);
      if (w.acknowledged !== e.acknowledged) throw new ScenarioFailure(`expected the write ${e.write} to be ${e.acknowledged ? 'acknowledged' : 'refused'}, and it was ${w.acknowledged ? 'acknowledged' : 'not'} (${w.told})`);
      return;
    }
    if ('checker' in e) return this.expectChecker(e.checker);
    const { key, value } = e.everyNode;
    let last: { node: NodeId; value: string | null | undefined }[] = [];
    const holds = async () => {
      last = await this.host.readEverywhere(key);
      return last.length > 0 && last.every((r) => r.value === value) ? true : null;
    };
    if (await this.poll(holds, e.withinMs ?? 0)) return;
    throw new ScenarioFailure(`expected every node to hold ${key} = ${show(value)}, and ${last.map((r) => `${r.node} holds ${r.value === undefined ? '(could not be asked)' : show(r.value)}`).join(', ')}`);
  }

  private async expectChecker(wanted: CheckerFinding): Promise<void> {
    const v = await this.judge();
    const clean = v.outcome === 'linearizable' && v.lostWrites === 0 && v.staleReads === 0 && v.divergentReplicas === 0;
    const ok = wanted === 'linearizable' ? clean : wanted === 'lost-write' ? v.lostWrites > 0 : v.staleReads > 0;
    if (ok) return;
    const expected = { linearizable: 'every read and write to have a valid order, with nothing lost', 'lost-write': 'a lost acknowledged write', 'stale-read': 'a stale read' }[wanted];
    throw new ScenarioFailure(`expected the checker to find ${expected}, and it says: ${v.summary}${v.sentences[0] ? ` (${v.sentences[0]})` : ''}`);
  }

  /**
   * Several clients at once, each taking the next operation of the workload as it finishes the
   * last; reads spread evenly among the writes, so the same workload makes the same operations.
   */
  private async workload(w: Extract<Action, { workload: unknown }>['workload']): Promise<void> {
    let next = 0;
    const client = async (name: string) => {
      for (let i = next++; i < w.ops; i = next++) {
        if (this.signal?.aborted) throw new ScenarioFailure('the lesson was stopped');
        const key = `${w.prefix}${(i % w.keys) + 1}`;
        const read = Math.floor((i + 1) * w.reads) > Math.floor(i * w.reads);
        if (read) await this.history.record('read', key, null, () => this.host.kv('get', key, {}), name);
        else {
          const value = `${name}-${i + 1}`;
          await this.history.record('write', key, value, () => this.host.kv('put', key, { value }), name);
        }
      }
    };
    await Promise.all(Array.from({ length: w.clients }, (_, c) => client(`w${c + 1}`)));
  }

  private leaders(): NodeId[] {
    return this.host.nodes().filter((n) => n.running && n.role === 'leader').map((n) => n.id);
  }

  private words(c: Condition): string {
    if ('leader' in c) return `${c.not ? `a leader other than ${this.node(c.not)}` : 'a leader'}${c.followedByAll ? ' that every running node follows' : ''}`;
    if ('leaders' in c) return `${c.leaders} nodes to say they lead at once`;
    if ('applied' in c) return `${this.node(c.applied)} to apply its log up to index ${c.atLeast}`;
    if ('event' in c) return `${c.event}${c.node ? ` from ${this.node(c.node)}` : ''}${c.data ? ` with ${JSON.stringify(c.data)}` : ''}`;
    return c.is === 'follower' ? `${this.node(c.role)} to follow the leader` : `${this.node(c.role)} to be ${c.is}`;
  }

  /** The cluster as it is, in a few words, for a failure's sentence. */
  private picture(): string {
    return this.host
      .nodes()
      .map((n) => `${n.id} ${n.running ? (n.role ?? 'unknown') : 'down'}`)
      .join(', ');
  }
}

function moment(nodes: NodeId[], eventSeq: number | null = null): LessonMoment {
  return { nodes, eventSeq };
}

function show(v: string | null): string {
  return v === null ? 'nothing (absent)' : JSON.stringify(v);
}

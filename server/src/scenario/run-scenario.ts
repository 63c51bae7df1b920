import { bindFault, DEFAULT_SETTINGS, expandStar, Fault, type Action, type ClusterSettings, type Condition, type Expectation, type NodeId, type Scenario } from '@clusterlab/shared';
import type { ScenarioHost } from './scenario-host';

/** One step of a run, as the API and the dashboard show it. */
export type StepReport = {
  index: number;
  title: string;
  state: 'pending' | 'running' | 'passed' | 'failed';
  /** Why it failed, in a sentence; null otherwise. */
  detail: string | null;
};

/** A step's moment did not come, or came otherwise than the lesson says: the lesson fails, loudly. */
export class ScenarioFailure extends Error {}

const DEFAULT_AWAIT_MS = 15_000;
const POLL_MS = 50;

/**
 * Runs a scenario's steps in order against a cluster, from a fresh start, and says how each
 * went. A lesson whose moment did not happen fails with a sentence saying what was waited for
 * and what the cluster was doing instead: flaky teaching is a bug.
 */
export async function runScenario(scenario: Scenario, host: ScenarioHost, onStep: (report: StepReport) => void, signal?: AbortSignal): Promise<StepReport[]> {
  const reports: StepReport[] = scenario.steps.map((s, index) => ({ index, title: s.title, state: 'pending', detail: null }));
  const run = new Run(host, scenario.nodes, { ...DEFAULT_SETTINGS, ...scenario.settings, algorithm: scenario.algorithm }, signal);
  await run.start();
  for (const [index, step] of scenario.steps.entries()) {
    const report = reports[index]!;
    report.state = 'running';
    onStep({ ...report });
    try {
      run.stepBegan();
      for (const action of step.do) await run.act(action);
      report.state = 'passed';
    } catch (err) {
      report.state = 'failed';
      report.detail = err instanceof ScenarioFailure ? err.message : `the step broke: ${(err as Error).message}`;
      onStep({ ...report });
      break;
    }
    onStep({ ...report });
  }
  return reports;
}

class Run {
  private readonly names = new Map<string, NodeId>();
  private readonly faults = new Map<string, string>();
  private readonly reads = new Map<string, string | null | undefined>();
  private readonly writes = new Map<string, boolean>();
  private stepSeq = 0;

  constructor(
    private readonly host: ScenarioHost,
    private readonly size: number,
    private settings: ClusterSettings,
    private readonly signal: AbortSignal | undefined,
  ) {}

  start(): Promise<void> {
    return this.host.start(this.size, this.settings);
  }

  stepBegan(): void {
    this.stepSeq = this.host.seq();
  }

  /** A fresh cluster with settings changed: what the names stood for is gone, and a host may number its events afresh. */
  private async restart(changes: Partial<ClusterSettings>): Promise<void> {
    this.settings = { ...this.settings, ...changes };
    this.names.clear();
    this.faults.clear();
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
      const r = await this.host.kv('put', a.write, { value: a.value, via: a.via && this.node(a.via) });
      if (a.name) this.writes.set(a.name, r.status === 200);
      return;
    }
    if ('read' in a) {
      const r = await this.host.kv('get', a.read, { via: a.via && this.node(a.via), mode: a.mode });
      if (a.name) this.reads.set(a.name, r.status === 200 ? (r.value ?? null) : r.status === 404 ? null : undefined);
      return;
    }
    if ('restart' in a) return this.restart(a.restart.settings);
    if ('registry' in a) return this.host.registry(a.registry);
    if ('await' in a) return this.until(a.await, a.timeoutMs ?? DEFAULT_AWAIT_MS);
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
    const id = await this.poll(find, DEFAULT_AWAIT_MS);
    if (!id) throw new ScenarioFailure(`there was no ${as} to remember as $${name} in ${DEFAULT_AWAIT_MS / 1000} s: ${this.picture()}`);
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

  private holds(c: Condition): boolean {
    if ('leader' in c) {
      const leader = this.host.leader();
      if (leader === null || (c.not !== undefined && leader === this.node(c.not))) return false;
      return !c.followedByAll || this.host.nodes().every((n) => !n.running || n.id === leader || (n.role === 'follower' && n.leader === leader));
    }
    if ('leaders' in c) return this.leaders().length >= c.leaders;
    if ('event' in c) {
      const node = c.node && this.node(c.node);
      const fields = Object.entries(c.data ?? {}).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('$') ? this.node(v) : v] as const);
      return this.host
        .eventsSince(this.stepSeq)
        .some((e) => e.kind === c.event && (node === undefined || e.node === node) && fields.every(([k, v]) => (e.data as Record<string, unknown>)[k] === v));
    }
    const id = this.node(c.role);
    const n = this.host.nodes().find((x) => x.id === id);
    // A follower in the lesson's sense follows someone: the leader the cluster agrees on, not
    // the nobody a node that has just started "follows".
    if (c.is === 'follower') return n?.role === 'follower' && n.leader !== null && n.leader === this.host.leader();
    return n?.role === c.is;
  }

  private async until(c: Condition, timeoutMs: number): Promise<void> {
    if ((await this.poll(() => this.holds(c) || null, timeoutMs)) === null) {
      throw new ScenarioFailure(`waited ${timeoutMs / 1000} s for ${this.words(c)}, and it did not come: ${this.picture()}`);
    }
  }

  private async expect(e: Expectation): Promise<void> {
    if ('leaders' in e) {
      const leaders = this.leaders();
      if (leaders.length !== e.leaders) throw new ScenarioFailure(`expected ${e.leaders} node${e.leaders === 1 ? '' : 's'} to say they lead, and ${leaders.length} do (${leaders.join(', ') || 'none'})`);
      return;
    }
    if ('leader' in e) {
      const id = this.node(e.leader);
      if (this.host.leader() !== id) throw new ScenarioFailure(`expected ${id} to lead: ${this.picture()}`);
      return;
    }
    if ('read' in e) {
      const got = this.reads.get(e.read);
      if (!this.reads.has(e.read)) throw new ScenarioFailure(`no read named ${e.read} was made`);
      if (got !== e.value) throw new ScenarioFailure(`expected the read ${e.read} to return ${show(e.value)}, and it returned ${got === undefined ? 'an error' : show(got)}`);
      return;
    }
    if ('write' in e) {
      if (this.writes.get(e.write) !== e.acknowledged) throw new ScenarioFailure(`expected the write ${e.write} to be ${e.acknowledged ? 'acknowledged' : 'refused'}, and it was ${this.writes.get(e.write) ? 'acknowledged' : 'not'}`);
      return;
    }
    const { key, value } = e.everyNode;
    let last: { node: NodeId; value: string | null | undefined }[] = [];
    const holds = async () => {
      last = await this.host.readEverywhere(key);
      return last.length > 0 && last.every((r) => r.value === value) ? true : null;
    };
    if (await this.poll(holds, e.withinMs ?? 0)) return;
    throw new ScenarioFailure(`expected every node to hold ${key} = ${show(value)}, and ${last.map((r) => `${r.node} holds ${r.value === undefined ? '(could not be asked)' : show(r.value)}`).join(', ')}`);
  }

  private leaders(): NodeId[] {
    return this.host.nodes().filter((n) => n.running && n.role === 'leader').map((n) => n.id);
  }

  private words(c: Condition): string {
    if ('leader' in c) return `${c.not ? `a leader other than ${this.node(c.not)}` : 'a leader'}${c.followedByAll ? ' that every running node follows' : ''}`;
    if ('leaders' in c) return `${c.leaders} nodes to say they lead at once`;
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

function show(v: string | null): string {
  return v === null ? 'nothing (absent)' : JSON.stringify(v);
}

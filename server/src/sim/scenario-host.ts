import { clusterLeader, type ClusterEvent, type ClusterSettings, type EmittedEvent, type Fault, type KvResult, type NodeId, type ProcessAction } from '@clusterlab/shared';
import type { ClientRequest, ReadMode } from '../node/core/types';
import { conditionalTxn, preconditionAt, preconditionFailed, type Precondition } from '../node/runtime/conditional-write';
import { hostNode, type HostNode, type ScenarioHost } from '../scenario/scenario-host';
import type { Answer } from './clients';
import { defaultOptions, defaultReadMode } from './options';
import { Simulation } from './simulation';

/** The lesson's own client: a party faults on `client` reach too. */
const CLIENT = 'c1';
// Fine enough that an answer's time is the time it came, not the end of a coarse tick.
const TICK_MS = 1;

/**
 * A scenario's cluster in the simulator: the same cores in virtual time, with every invariant
 * checked after every step. Waiting is letting virtual time pass, so a lesson runs in a
 * fraction of a second and, from the same seed, the same way every time.
 */
export class SimScenarioHost implements ScenarioHost {
  private sim: Simulation | null = null;

  constructor(private readonly seed: number) {}

  get simulation(): Simulation {
    if (!this.sim) throw new Error('the scenario has not started its cluster');
    return this.sim;
  }

  async start(nodes: number, settings: ClusterSettings): Promise<void> {
    this.sim = new Simulation(defaultOptions({ seed: this.seed, nodes, settings, clients: 0, faults: [], trace: true, check: false }));
    this.sim.startDriven();
  }

  leader(): NodeId | null {
    return clusterLeader(this.simulation.nodeViews()).leader;
  }

  nodes(): HostNode[] {
    return this.simulation.nodeViews().map(hostNode);
  }

  async fault(fault: Fault): Promise<string | null> {
    return this.simulation.applyNow(fault);
  }

  async addNode(): Promise<NodeId> {
    const id = this.simulation.addNodeNow();
    if (this.simulation.options.settings.algorithm === 'raft') this.changeMembership({ type: 'member.add', id });
    return id;
  }

  async removeNode(id: NodeId): Promise<void> {
    if (this.simulation.options.settings.algorithm === 'raft') this.changeMembership({ type: 'member.remove', id });
    this.simulation.removeNodeNow(id);
  }

  /** Raft: the leader changes the configuration through its log, as the supervisor asks it to, retrying while it cannot yet. */
  private changeMembership(request: Extract<ClientRequest, { type: 'member.add' | 'member.remove' }>): void {
    for (let tries = 0; tries < 20; tries++) {
      const leader = this.leader();
      const answer = leader ? this.ask(leader, request) : null;
      if (answer?.type === 'reply' && answer.reply.type === 'ok') return;
      this.simulation.advance(100);
    }
    throw new Error(`the configuration could not be changed (${request.type} ${request.id})`);
  }

  heal(id: string | 'all'): void {
    this.simulation.healNow(id);
  }

  async registry(action: ProcessAction): Promise<void> {
    this.simulation.registryActionNow(action);
  }

  async kv(op: 'put' | 'get', key: string, options: { value?: string; via?: NodeId; mode?: ReadMode; ifVersion?: number }): Promise<KvResult> {
    const sim = this.simulation;
    const value = options.value ?? '';
    // A conditional write is what a node makes of the same headers (conditional-write.ts).
    const precondition = op === 'put' && options.ifVersion !== undefined ? preconditionAt(key, options.ifVersion) : null;
    const request: ClientRequest =
      op === 'get'
        ? { type: 'get', key, read: options.mode ?? defaultReadMode(sim.options.settings) }
        : precondition
          ? { type: 'txn', txn: conditionalTxn(key, precondition, { put: key, value }) }
          : { type: 'put', key, value };
    let target = options.via ?? this.leader() ?? this.nodes().find((n) => n.running)?.id ?? null;
    let redirectedFrom: NodeId | null = null;
    for (let hop = 0; target !== null && hop <= 3; hop++) {
      const answer = this.ask(target, request);
      const result = resultOf(key, target, redirectedFrom, answer, precondition);
      if (answer?.type !== 'reply' || answer.reply.type !== 'redirect' || options.via) return result;
      redirectedFrom ??= target;
      target = answer.reply.leader;
    }
    return { key, servedBy: target, redirectedFrom, status: 503, error: 'no node to ask' };
  }

  async readEverywhere(key: string): Promise<{ node: NodeId; value: string | null | undefined }[]> {
    return this.nodes()
      .filter((n) => n.running)
      .map((n) => ({ node: n.id, value: this.simulation.localValue(n.id, key) }));
  }

  seq(): number {
    return this.simulation.trace.length;
  }

  eventsSince(seq: number): readonly ClusterEvent[] {
    return this.simulation.trace.slice(seq).map((e: EmittedEvent, i) => ({ ...e, seq: seq + i + 1 }) as ClusterEvent);
  }

  async sleep(ms: number): Promise<void> {
    this.simulation.advance(ms);
  }

  now(): number {
    return this.sim?.now ?? 0;
  }

  /** One request, and virtual time until its answer comes or the client's deadline passes. */
  private ask(to: NodeId, request: ClientRequest): Answer | null {
    const sim = this.simulation;
    let answer: Answer | null = null;
    sim.request(CLIENT, to, request, (a) => (answer = a));
    for (let waited = 0; answer === null && waited < sim.options.clientTimeoutMs; waited += TICK_MS) sim.advance(TICK_MS);
    return answer;
  }
}

function resultOf(key: string, node: NodeId, redirectedFrom: NodeId | null, answer: Answer | null, precondition: Precondition | null): KvResult {
  const base = { key, servedBy: node, redirectedFrom };
  if (answer === null) return { ...base, status: 504, error: 'no answer in time' };
  if (answer.type !== 'reply') return { ...base, status: 502, error: `${node} is down` };
  const r = answer.reply;
  switch (r.type) {
    case 'ok':
      // A conditional write whose compare failed was logged, and refused: a node answers 412, in these words.
      if (precondition && r.txn && !r.txn.succeeded) {
        const failed = preconditionFailed(key, precondition, r.txn, node);
        return { ...base, status: 412, index: r.index, version: failed.version, error: failed.error };
      }
      return { ...base, status: 200, index: r.index, version: r.index };
    case 'value':
      return r.value ? { ...base, status: 200, value: r.value.value, index: r.value.index, version: r.value.index } : { ...base, status: 404, value: null, version: 0 };
    case 'redirect':
      return { ...base, status: 307, error: `${node} is not the leader; ${r.leader} is` };
    case 'unavailable':
      return { ...base, status: 503, error: r.reason };
    case 'timeout':
      return { ...base, status: 504, error: `logged at ${r.index}, not acknowledged in time` };
    case 'invalid':
      return { ...base, status: 400, error: r.reason };
  }
}

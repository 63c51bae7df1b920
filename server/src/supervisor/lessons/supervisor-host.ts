import { isProcessFault, type ClusterEvent, type ClusterSettings, type Fault, type KvResult, type NodeId, type ProcessAction } from '@clusterlab/shared';
import type { ReadMode } from '../../node/core/types';
import { conditionHeaders } from '../../node/runtime/conditional-write';
import { hostNode, type HostNode, type ScenarioHost } from '../../scenario/scenario-host';
import { directoryOf, writeDeadlineMs, type ApiContext } from '../api/context';
import { addNode, nodeAction, removeNode } from '../api/lifecycle-routes';
import { clientLinks, proxyKv, readAll } from '../kv-proxy';

/** Events a lesson keeps to wait on: far more than one step makes. */
const MAX_EVENTS = 20_000;

/**
 * A scenario's cluster is the supervisor's own: the same reset, fault state, process actions and
 * key/value path as the dashboard's buttons, so a lesson does exactly what a learner could.
 */
export class SupervisorHost implements ScenarioHost {
  private readonly events: ClusterEvent[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ApiContext) {
    this.unsubscribe = ctx.state.onEvent((e) => {
      this.events.push(e);
      if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  start(nodes: number, settings: ClusterSettings): Promise<void> {
    return this.ctx.reset(nodes, settings);
  }

  leader(): NodeId | null {
    return this.ctx.view().leader;
  }

  nodes(): HostNode[] {
    return this.ctx.view().nodes.map(hostNode);
  }

  async fault(fault: Fault): Promise<string | null> {
    if (isProcessFault(fault)) {
      await nodeAction(this.ctx, fault.node, fault.kind);
      return null;
    }
    return this.ctx.faults.apply(fault).id;
  }

  addNode(): Promise<NodeId> {
    return addNode(this.ctx);
  }

  removeNode(id: NodeId): Promise<void> {
    return removeNode(this.ctx, id);
  }

  registry(action: ProcessAction): Promise<void> {
    return this.ctx.manager.registryAction(action);
  }

  heal(id: string | 'all'): void {
    this.ctx.faults.heal(id);
  }

  async kv(op: 'put' | 'get', key: string, options: { value?: string; via?: NodeId; mode?: ReadMode; ifVersion?: number }): Promise<KvResult> {
    const timeoutMs = op === 'get' ? this.ctx.kvTimeoutMs() : writeDeadlineMs(this.ctx);
    const condition = options.ifVersion === undefined ? {} : conditionHeaders(options.ifVersion);
    const call = { method: op === 'get' ? ('GET' as const) : ('PUT' as const), key, value: options.value, via: options.via, read: options.mode, ...condition };
    return (await proxyKv(directoryOf(this.ctx), call, { timeoutMs, maxHops: 3, links: clientLinks(this.ctx.faults.list()) })).result;
  }

  async readEverywhere(key: string): Promise<{ node: NodeId; value: string | null | undefined }[]> {
    const all = await readAll(directoryOf(this.ctx), key, { timeoutMs: this.ctx.kvTimeoutMs(), maxHops: 0 });
    return all.reads.map((r) => ({ node: r.servedBy ?? '?', value: r.status === 200 ? (r.value ?? null) : r.status === 404 ? null : undefined }));
  }

  seq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Asked every 50 ms while a lesson waits: only the events after `seq` are looked at, from the end. */
  eventsSince(seq: number): readonly ClusterEvent[] {
    let from = this.events.length;
    while (from > 0 && this.events[from - 1]!.seq > seq) from--;
    return this.events.slice(from);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Monotonic and finer than a millisecond: a request sent after an answer is always later than it. */
  now(): number {
    return performance.now();
  }
}

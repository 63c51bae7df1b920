import { DEFAULT_SETTINGS, type ClusterSettings, type NodeId, type RaftEntry, type RaftMessage } from '@clusterlab/shared';
import { TestCluster } from '../../core/test-cluster';
import type { Algorithm, ClientReply, ClientRequest, Core, CoreInput, CoreOutput } from '../../core/types';
import { RaftChecker } from './checker';
import { raft } from './index';
import type { RaftDisk, RaftRecord } from './records';

/** Shared by the Raft tests: clusters with the checker watching every step. */

export type RaftCluster = TestCluster<RaftMessage, RaftRecord, RaftDisk>;
export type Outputs = CoreOutput<RaftMessage, RaftRecord>[];

export function raftSettings(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return { ...DEFAULT_SETTINGS, algorithm: 'raft', ...overrides };
}

export function checkedCluster(ids: NodeId[], overrides: Partial<ClusterSettings> = {}): { c: RaftCluster; checker: RaftChecker } {
  const checker = new RaftChecker();
  const incarnations = new Map<NodeId, number>();
  let c: RaftCluster;
  const algorithm: Algorithm<RaftMessage, RaftRecord, RaftDisk> = {
    ...raft,
    create(config, restored) {
      const incarnation = (incarnations.get(config.id) ?? 0) + 1;
      incarnations.set(config.id, incarnation);
      const core = raft.create(config, restored);
      return {
        id: core.id,
        step(input) {
          const outputs = core.step(input);
          checker.afterStep(config.id, incarnation, input, outputs, core.status(), input.now);
          return outputs;
        },
        nextWakeAt: () => core.nextWakeAt(),
        status: () => core.status(),
        list: (limit, after) => core.list(limit, after),
        image: () => core.image(),
      };
    },
  };
  c = new TestCluster(algorithm, ids, raftSettings(overrides));
  return { c, checker };
}

export function cluster(ids: NodeId[], overrides: Partial<ClusterSettings> = {}): RaftCluster {
  return checkedCluster(ids, overrides).c;
}

/** Wait until exactly one node leads and every other live voter follows it. */
export function settle(c: RaftCluster, maxMs = 5000): NodeId {
  c.until(
    () => {
      const leaders = c.leaders();
      if (leaders.length !== 1) return false;
      const leader = leaders[0]!;
      const term = c.core(leader).status().term;
      if (c.core(leader).status().commitIndex < c.core(leader).status().lastIndex) return false;
      return c.up().every((id) => {
        const st = c.core(id).status();
        return id === leader || st.membership !== 'voter' || (st.leader === leader && st.term === term);
      });
    },
    maxMs,
    'one leader that everyone follows',
  );
  return c.leaders()[0]!;
}

export function reply(c: RaftCluster, requestId: number): ClientReply | undefined {
  return c.replies.get(requestId);
}

/** One core driven by hand, for scenarios a cluster cannot stage. */
export class Driven {
  now = 0;
  readonly core: Core<RaftMessage, RaftRecord, RaftDisk>;
  disk: RaftDisk;
  readonly log: Outputs[] = [];
  readonly settings: ClusterSettings;
  /** Off: the test reports durability itself (`durable`), to stage a disk slower than the network. */
  instantDisk = true;

  constructor(
    readonly id: NodeId,
    readonly voters: NodeId[],
    settings: Partial<ClusterSettings> = {},
    restored?: RaftDisk,
    seed = 1,
  ) {
    this.disk = restored ?? raft.emptyDisk();
    this.settings = raftSettings(settings);
    this.core = raft.create({ id, settings: this.settings, seed, initialVoters: voters }, restored);
    this.step({ type: 'start', now: this.now });
  }

  /** Steps the core; its disk is instant, so what the core asks to hear is durable is reported at once. */
  step(input: CoreInput<RaftMessage>): Outputs {
    const outputs = this.core.step(input);
    for (const o of outputs) if (o.type === 'persist') this.disk = raft.fold(this.disk, structuredClone(o.record));
    this.log.push(outputs);
    if (!this.instantDisk) return outputs;
    for (const o of [...outputs]) {
      if (o.type === 'persist' && o.whenDurable) outputs.push(...this.durable(o.whenDurable));
    }
    return outputs;
  }

  /** The disk reports this position written. */
  durable(position: { index: number; term: number }): Outputs {
    return this.step({ type: 'durable', now: this.now, position });
  }

  deliver(from: NodeId, msg: RaftMessage): Outputs {
    return this.step({ type: 'message', now: this.now, from, msg });
  }

  client(requestId: number, request: ClientRequest): Outputs {
    return this.step({ type: 'client', now: this.now, requestId, request });
  }

  /** Tick until `condition` holds on the outputs of a step (1 ms at a time). */
  tickUntil(condition: (outputs: Outputs) => boolean, maxMs = 5000): Outputs {
    const end = this.now + maxMs;
    while (this.now < end) {
      this.now += 1;
      if (this.core.nextWakeAt() > this.now) continue;
      const out = this.step({ type: 'tick', now: this.now });
      if (condition(out)) return out;
    }
    throw new Error(`${this.id}: condition not met within ${maxMs} ms`);
  }

  advance(ms: number): Outputs {
    const all: Outputs = [];
    const end = this.now + ms;
    while (this.now < end) {
      this.now += 1;
      if (this.core.nextWakeAt() <= this.now) all.push(...this.step({ type: 'tick', now: this.now }));
    }
    return all;
  }

  /** Become leader of the next term with the votes of `voters` (pre-votes first, if on). */
  elect(grantors: NodeId[]): Outputs {
    const st = () => this.core.status();
    this.tickUntil((out) => out.some((o) => o.type === 'send' && o.msg.type === 'request_vote'));
    if (st().role === 'pre-candidate') {
      for (const g of grantors) this.deliver(g, { type: 'request_vote.reply', term: st().term + 1, pre: true, granted: true, reason: null });
    }
    const out: Outputs = [];
    for (const g of grantors) {
      if (st().role === 'leader') break;
      out.push(...this.deliver(g, { type: 'request_vote.reply', term: st().term, pre: false, granted: true, reason: null }));
    }
    if (st().role !== 'leader') throw new Error(`${this.id} did not become leader: ${st().role}`);
    return out;
  }
}

export function sends<T extends RaftMessage['type']>(outputs: Outputs, type: T, to?: NodeId): { to: NodeId; msg: Extract<RaftMessage, { type: T }> }[] {
  return outputs.flatMap((o) =>
    o.type === 'send' && o.msg.type === type && (to === undefined || o.to === to) ? [{ to: o.to, msg: o.msg as Extract<RaftMessage, { type: T }> }] : [],
  );
}

export function records(outputs: Outputs): RaftRecord[] {
  return outputs.flatMap((o) => (o.type === 'persist' ? [o.record] : []));
}

export function replies(outputs: Outputs): { requestId: number; reply: ClientReply }[] {
  return outputs.flatMap((o) => (o.type === 'reply' ? [{ requestId: o.requestId, reply: o.reply }] : []));
}

export function put(index: number, term: number, key: string, value = `${key}@${index}`): RaftEntry {
  return { index, term, command: { type: 'put', key, value } };
}

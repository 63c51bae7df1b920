import { describe, expect, it } from 'vitest';
import { Rng, type NodeId, type RaftMessage } from '@clusterlab/shared';
import type { ClientReply, ClientRequest, Core, CoreInput } from '../../core/types';
import { RaftChecker } from './checker';
import { raft } from './index';
import type { RaftDisk, RaftRecord } from './records';
import { raftSettings } from './testing';

type Node = { core: Core<RaftMessage, RaftRecord, RaftDisk>; disk: RaftDisk; up: boolean; incarnation: number; voters: NodeId[] };
type Flight = { at: number; seq: number; from: NodeId; to: NodeId; msg: RaftMessage };

/**
 * A harsher network than TestCluster's: messages are delayed, reordered, duplicated and lost,
 * nodes crash and restart from their disks, and membership changes under way — all while the
 * checker watches every step. Then everything heals and the cluster must converge.
 */
class ShakyCluster {
  now = 0;
  readonly nodes = new Map<NodeId, Node>();
  readonly checker = new RaftChecker();
  readonly replies = new Map<number, ClientReply>();
  private flights: Flight[] = [];
  private seq = 0;
  private requestId = 1;
  loss = 0;
  dupes = 0;
  maxDelay = 12;
  cut = new Set<string>();

  constructor(
    readonly rng: Rng,
    initial: NodeId[],
    private readonly settings = raftSettings({ snapshotThresholdEntries: 12 }),
  ) {
    for (const id of initial) this.boot(id, initial);
  }

  boot(id: NodeId, voters: NodeId[]): void {
    const old = this.nodes.get(id);
    const disk = old?.disk ?? raft.emptyDisk();
    const core = raft.create({ id, settings: this.settings, seed: this.rng.int(1 << 30), initialVoters: voters }, old ? disk : undefined);
    this.nodes.set(id, { core, disk, up: true, incarnation: (old?.incarnation ?? 0) + 1, voters });
    this.step(id, { type: 'start', now: this.now });
  }

  crash(id: NodeId): void {
    this.nodes.get(id)!.up = false;
  }

  restart(id: NodeId): void {
    this.boot(id, this.nodes.get(id)!.voters);
  }

  up(): NodeId[] {
    return [...this.nodes].filter(([, n]) => n.up).map(([id]) => id);
  }

  request(via: NodeId, request: ClientRequest): number {
    const id = this.requestId++;
    this.step(via, { type: 'client', now: this.now, requestId: id, request });
    return id;
  }

  step(id: NodeId, input: CoreInput<RaftMessage>): void {
    const n = this.nodes.get(id)!;
    if (!n.up) return;
    const outputs = n.core.step(input);
    for (const o of outputs) {
      if (o.type === 'persist') n.disk = raft.fold(n.disk, structuredClone(o.record));
      else if (o.type === 'reply') this.replies.set(o.requestId, o.reply);
      else if (o.type === 'send') {
        if (this.cut.has(`${id}>${o.to}`) || this.rng.chance(this.loss)) continue;
        const copies = this.rng.chance(this.dupes) ? 2 : 1;
        for (let i = 0; i < copies; i++) this.flights.push({ at: this.now + this.rng.int(this.maxDelay + 1), seq: this.seq++, from: id, to: o.to, msg: o.msg });
      }
    }
    this.checker.afterStep(id, n.incarnation, input, outputs, n.core.status(), this.now);
  }

  advance(ms: number): void {
    for (let end = this.now + ms; this.now < end; ) {
      this.now++;
      const due = this.flights.filter((f) => f.at <= this.now);
      this.flights = this.flights.filter((f) => f.at > this.now);
      for (const f of this.rng.shuffled(due)) {
        const to = this.nodes.get(f.to);
        if (!to?.up) continue;
        this.step(f.to, { type: 'message', now: this.now, from: f.from, msg: structuredClone(f.msg) });
      }
      for (const id of this.up()) if (this.nodes.get(id)!.core.nextWakeAt() <= this.now) this.step(id, { type: 'tick', now: this.now });
    }
  }

  leader(): NodeId | undefined {
    const leaders = this.up().filter((id) => this.nodes.get(id)!.core.status().role === 'leader');
    return leaders.sort((a, b) => this.nodes.get(b)!.core.status().term - this.nodes.get(a)!.core.status().term)[0];
  }
}

function run(seed: number, opts: { preVote: boolean; checkQuorum: boolean }): ShakyCluster {
  const rng = new Rng(seed);
  const all = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const c = new ShakyCluster(rng, ['n1', 'n2', 'n3'], raftSettings({ ...opts, snapshotThresholdEntries: 12 }));
  c.boot('n4', []);
  c.boot('n5', []);
  let value = 0;
  for (let t = 0; t < 5000; t += 5) {
    c.advance(5);
    const leader = c.leader();
    for (let k = rng.int(3); k > 0 && leader; k--) {
      const op = rng.next();
      if (op < 0.8) c.request(leader, { type: 'put', key: `k${rng.int(25)}`, value: `v${value++}` });
      else if (op < 0.9) c.request(leader, { type: 'delete', key: `k${rng.int(25)}` });
      else c.request(rng.pick(c.up()), { type: 'get', key: `k${rng.int(25)}`, read: 'linearizable' });
    }
    if (leader && rng.chance(0.01)) {
      const voters = c.nodes.get(leader)!.core.status().voters ?? [];
      const id = rng.pick(all);
      // Without PreVote or the lease, a removed node that never hears of its removal keeps
      // deposing leaders with ever higher terms (§4.2.3): safe, but the cluster may not settle.
      const removals = opts.preVote || opts.checkQuorum;
      if (voters.includes(id) && voters.length > 2 && removals) c.request(leader, { type: 'member.remove', id });
      else if (!voters.includes(id)) c.request(leader, { type: 'member.add', id });
    }
    if (!rng.chance(0.03)) continue;
    const roll = rng.next();
    const up = c.up();
    if (roll < 0.2 && up.length > 2) c.crash(leader && rng.chance(0.5) ? leader : rng.pick(up));
    else if (roll < 0.45) {
      const down = all.filter((id) => !c.nodes.get(id)!.up);
      if (down.length) c.restart(rng.pick(down));
    } else if (roll < 0.6) {
      const s = rng.shuffled(all);
      const k = rng.between(1, 2);
      c.cut.clear();
      for (const a of s.slice(0, k)) for (const b of s.slice(k)) c.cut.add(`${a}>${b}`).add(`${b}>${a}`);
    } else if (roll < 0.8) c.cut.clear();
    else if (roll < 0.9) c.loss = c.loss > 0 ? 0 : 0.15;
    else c.dupes = c.dupes > 0 ? 0 : 0.2;
  }
  // Heal everything; the cluster must converge on one state.
  c.cut.clear();
  c.loss = 0;
  c.dupes = 0;
  for (const id of all) if (!c.nodes.get(id)!.up) c.restart(id);
  c.advance(3000);
  const leader = c.leader();
  expect(leader, `seed ${seed}: a leader after healing`).toBeDefined();
  c.request(leader!, { type: 'put', key: 'final', value: 'x' });
  c.advance(1500);
  const members = c.nodes.get(leader!)!.core.status().voters!;
  const want = c.nodes.get(leader!)!.core.list(1000);
  for (const id of members) expect(c.nodes.get(id)!.core.list(1000), `seed ${seed}: ${id} vs ${leader}`).toEqual(want);
  return c;
}

describe('Raft safety under delay, reordering, duplication, loss, crashes and membership changes', () => {
  for (const opts of [
    { preVote: true, checkQuorum: true },
    { preVote: false, checkQuorum: false },
  ]) {
    it(`the checker finds no violation, and the healed cluster converges (preVote ${opts.preVote}, checkQuorum ${opts.checkQuorum})`, () => {
      let acked = 0;
      for (let seed = 1; seed <= 8; seed++) {
        const c = run(seed * 7 + (opts.preVote ? 1 : 0), opts);
        acked += [...c.replies.values()].filter((r) => r.type === 'ok').length;
      }
      expect(acked).toBeGreaterThan(500);
    });
  }
});

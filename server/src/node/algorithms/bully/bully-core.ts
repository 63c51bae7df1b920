import { compareNodeIds, type BullyMessage, type NodeStatus } from '@clusterlab/shared';
import { commitUpTo } from './apply';
import { electionTick, onAnswer, onPing, onPingUndeliverable, onStale } from './election';
import { onAppend, onHeartbeat } from './follower';
import { leaderPeersChanged, leaderTick, leaderWrite, onAck, onHello, onSyncRequest } from './leader';
import { onSnapshot, onSnapshotAck } from './snapshot';
import { CoreState } from './state';
import type { ClientRequest, Core, ReadMode, CoreConfig, CoreInput, CoreOutput } from '../../core/types';
import type { BullyDisk, BullyRecord } from './types';

/** Why bully cannot offer a linearizable read, in the words a 400 answer gives. */
export const NO_LINEARIZABLE_READS =
  'bully cannot promise a linearizable read: a leader never learns it has been replaced until it hears a newer epoch, ' +
  'and a new leader may lack writes the old one acknowledged; use read=local or read=leader, or run Raft';

/**
 * A bully node as a pure state machine: `step(input)` returns what to do.
 * Adapters (HTTP, timers, disk, the registry client) or the simulator carry the outputs out.
 * The voters a host names are ignored: bully's cluster is whoever the registry lists.
 */
export class BullyCore implements Core<BullyMessage, BullyRecord, BullyDisk> {
  private readonly s: CoreState;

  constructor(config: CoreConfig, restored?: BullyDisk) {
    this.s = new CoreState(config);
    if (restored) this.restore(restored);
  }

  get id(): string {
    return this.s.id;
  }

  step(input: CoreInput<BullyMessage>): CoreOutput<BullyMessage, BullyRecord>[] {
    const s = this.s;
    switch (input.type) {
      case 'start':
        // No election clock yet: a node that has not heard from the registry knows nobody to
        // lead or follow. The clock starts with the first peer list (see onPeers).
        s.startedAt = input.now;
        break;
      case 'tick':
        electionTick(s, input.now);
        leaderTick(s, input.now);
        break;
      case 'peers':
        this.onPeers(input.peers, input.now);
        break;
      case 'message':
        this.onMessage(input);
        break;
      case 'undeliverable':
        if (input.msg.type === 'election.ping') onPingUndeliverable(s, input.to, input.msg.epoch, input.now);
        break;
      case 'client':
        this.onClient(input.requestId, input.request, input.now);
        break;
      case 'durable':
        break; // bully never asks: everything it persists is waited for
      default: {
        const never: never = input;
        throw new Error(`unknown input ${JSON.stringify(never)}`);
      }
    }
    return s.drain();
  }

  /** The earliest time at which a tick could change anything: the adapter's next timer. */
  nextWakeAt(): number {
    const s = this.s;
    switch (s.role) {
      case 'leader': {
        const firstPending = s.pending.values().next();
        return Math.min(s.nextHeartbeatAt, firstPending.done ? Infinity : firstPending.value.deadline);
      }
      case 'candidate':
        return s.election?.deadline ?? s.electionDeadline;
      case 'follower':
        return s.electionDeadline;
    }
  }

  status(): NodeStatus {
    const s = this.s;
    return {
      id: s.id,
      algorithm: 'bully',
      role: s.role,
      term: s.epoch,
      leader: s.leader,
      peers: [...s.peers],
      lastIndex: s.log.lastIndex,
      commitIndex: s.commitIndex,
      appliedIndex: s.appliedIndex,
      keyCount: s.kv.size,
      writeAck: s.settings.writeAck,
    };
  }

  list(limit: number, after?: string) {
    return this.s.kv.list(limit, after);
  }

  image(): BullyDisk {
    const s = this.s;
    return {
      epoch: s.epoch,
      snapshot: { index: s.appliedIndex, epoch: s.log.epochAt(s.appliedIndex) ?? 0, data: s.kv.entries() },
      entries: s.log.range(s.appliedIndex, s.log.lastIndex),
      commitIndex: s.commitIndex,
      // The chunks received so far: the image replaces the records that held them, and the
      // chunks still to come (and their install) are folded onto it.
      incoming: s.incoming ? { index: s.incoming.index, epoch: s.incoming.indexEpoch, data: s.incoming.pairs } : null,
    };
  }

  private onMessage(input: Extract<CoreInput<BullyMessage>, { type: 'message' }>): void {
    const { from, msg, now } = input;
    const s = this.s;
    if (from === s.id) return;
    switch (msg.type) {
      case 'heartbeat':
      case 'election.victory':
        onHeartbeat(s, from, msg, now);
        break;
      case 'append':
        onAppend(s, from, msg, now);
        break;
      case 'snapshot':
        onSnapshot(s, from, msg, now);
        break;
      case 'snapshot.ack':
        onSnapshotAck(s, from, msg, now);
        break;
      case 'append.ack':
        onAck(s, from, msg, now);
        break;
      case 'sync.request':
        onSyncRequest(s, from, msg, now);
        break;
      case 'election.ping':
        onPing(s, from, msg, now);
        break;
      case 'election.answer':
        onAnswer(s, from, msg, now);
        break;
      case 'epoch.stale':
        onStale(s, msg, now);
        break;
      case 'hello':
        onHello(s, from, now);
        break;
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  private onPeers(peers: string[], now: number): void {
    const s = this.s;
    if (!s.heardFromRegistry) {
      s.heardFromRegistry = true;
      // The hello below reaches a sitting leader, which answers at once. In a fresh cluster
      // everyone registers at about the same time, so wait one more registry round before
      // the first election: by then each node knows every peer, and the highest one wins.
      if (s.role === 'follower' && !s.leader) s.resetElectionTimer(now, s.settings.registryIntervalMs);
    }
    const next = [...new Set(peers)].filter((p) => p !== s.id).sort(compareNodeIds);
    const before = new Set(s.peers);
    const after = new Set(next);
    const added = next.filter((p) => !before.has(p));
    const removed = s.peers.filter((p) => !after.has(p));
    if (added.length === 0 && removed.length === 0) return;
    s.peers = next;
    s.emit({ kind: 'node.peers', data: { peers: next } });
    if (s.role === 'leader') {
      leaderPeersChanged(s, added, removed, now);
      return;
    }
    for (const peer of added) s.send(peer, { type: 'hello', epoch: s.epoch });
    for (const peer of removed) if (s.election) onPingUndeliverable(s, peer, s.election.epoch, now);
  }

  private onClient(requestId: number, request: ClientRequest, now: number): void {
    const s = this.s;
    if (request.type === 'get') {
      this.onRead(requestId, request.key, request.read);
      return;
    }
    if (request.type === 'member.add' || request.type === 'member.remove') {
      s.reply(requestId, { type: 'invalid', reason: "bully keeps no membership of its own: the registry's list of live nodes is the cluster" });
      return;
    }
    if (s.role === 'leader') {
      leaderWrite(s, requestId, request, now);
      return;
    }
    if (s.leader) {
      s.reply(requestId, { type: 'redirect', leader: s.leader });
      return;
    }
    const why = s.role === 'candidate' ? 'an election is in progress' : 'this node knows of no leader yet';
    s.reply(requestId, { type: 'unavailable', reason: `no leader: ${why}`, maybeApplied: false });
  }

  /** `leader` reads the leader's copy (a follower redirects); a linearizable read bully cannot promise. */
  private onRead(requestId: number, key: string, read: ReadMode): void {
    const s = this.s;
    if (read === 'linearizable') {
      s.reply(requestId, { type: 'invalid', reason: NO_LINEARIZABLE_READS });
      return;
    }
    if (read === 'leader' && s.role !== 'leader') {
      if (s.leader) s.reply(requestId, { type: 'redirect', leader: s.leader });
      else s.reply(requestId, { type: 'unavailable', reason: 'no leader: this node knows of no leader to read from', maybeApplied: false });
      return;
    }
    s.reply(requestId, { type: 'value', value: s.kv.get(key) ?? null });
  }

  private restore(r: BullyDisk): void {
    const s = this.s;
    s.epoch = r.epoch;
    s.maxSeenEpoch = r.epoch;
    if (r.snapshot) {
      s.kv.replace(r.snapshot.data);
      s.log.reset(r.snapshot.index, r.snapshot.epoch);
      s.commitIndex = s.appliedIndex = r.snapshot.index;
    }
    for (const entry of r.entries) if (entry.index > s.log.lastIndex) s.log.append(entry);
    commitUpTo(s, r.commitIndex);
    s.drain(); // replaying our own disk is not news
  }
}

import { jsonPairBytes, type BullyMessageOf, type NodeId } from '@clusterlab/shared';
import { commitUpTo } from './apply';
import { acceptLeader } from './election';
import type { CoreState, FollowerProgress, FrozenSnapshot } from './state';

/**
 * Snapshots, in chunks. A follower too far behind (or holding entries the leader never had)
 * is sent the leader's key space as of its applied index — once a whole 21 MiB snapshot went
 * as one message, and writing, sending and parsing it stalled both nodes for longer than an
 * election timeout, so the heartbeats queued behind it came too late and elections stormed.
 *
 * Now, as Raft's InstallSnapshot does: the leader freezes its state once, sends it in chunks
 * of at most `snapshotChunkBytes` of JSON (a single larger pair alone), and sends the next
 * chunk only when the follower has acknowledged the one before, so heartbeats interleave. The
 * follower keeps the chunks of one (epoch, index) in order and installs only on the last.
 */

/** Copy the key space as of the applied index, with each pair's size, once for every transfer that starts meanwhile. */
function freeze(s: CoreState): FrozenSnapshot {
  const pairs = s.kv.entries();
  const sizes = pairs.map(([key, value]) => jsonPairBytes(key, value));
  let chunks = 0;
  for (let offset = 0; offset < pairs.length || chunks === 0; offset = chunkEnd(sizes, offset, s.snapshotChunkBytes)) chunks++;
  return {
    index: s.appliedIndex,
    indexEpoch: s.log.epochAt(s.appliedIndex)!,
    pairs,
    sizes,
    chunks,
    bytes: sizes.reduce((a, b) => a + b, 0),
  };
}

/** Where the chunk that starts at `offset` ends: as many pairs as fit in `maxBytes`, at least one. */
function chunkEnd(sizes: readonly number[], offset: number, maxBytes: number): number {
  let end = offset;
  let bytes = 0;
  while (end < sizes.length) {
    bytes += sizes[end]!;
    if (bytes > maxBytes && end > offset) break;
    end++;
  }
  return end;
}

export function startSnapshot(s: CoreState, to: NodeId, f: FollowerProgress, now: number): void {
  // A frozen copy still serves as long as the log continues from it; otherwise the follower
  // would need entries that are gone once it has installed it.
  if (!s.frozen || s.frozen.index < s.log.base.index) s.frozen = freeze(s);
  const frozen = s.frozen;
  f.snapshot = { frozen, offset: 0, sentAt: null };
  f.inflight = null;
  f.nextIndex = frozen.index + 1;
  s.emit({
    kind: 'replication.sync_sent',
    data: { to, mode: 'snapshot', fromIndex: 1, toIndex: frozen.index, chunks: frozen.chunks, bytes: frozen.bytes },
  });
  sendSnapshotChunk(s, to, f, now);
}

/** The chunk at the transfer's offset, unless one is in flight and not yet due for a retry. */
export function sendSnapshotChunk(s: CoreState, to: NodeId, f: FollowerProgress, now: number): void {
  const t = f.snapshot;
  if (!t || (t.sentAt !== null && now - t.sentAt < s.retryMs)) return;
  const { frozen, offset } = t;
  const end = chunkEnd(frozen.sizes, offset, s.snapshotChunkBytes);
  s.send(to, {
    type: 'snapshot',
    epoch: s.epoch,
    index: frozen.index,
    indexEpoch: frozen.indexEpoch,
    offset,
    data: frozen.pairs.slice(offset, end),
    done: end >= frozen.pairs.length,
    commitIndex: s.commitIndex,
  });
  t.sentAt = now;
}

/** The follower holds the pairs before `nextOffset`: send on from there. */
export function onSnapshotAck(s: CoreState, from: NodeId, msg: BullyMessageOf<'snapshot.ack'>, now: number): void {
  if (s.role !== 'leader' || msg.epoch !== s.epoch) return;
  const f = s.followers.get(from);
  const t = f?.snapshot;
  if (!f || !t || msg.index !== t.frozen.index) return;
  const nextOffset = Math.min(msg.nextOffset, t.frozen.pairs.length);
  // A duplicated answer names the chunk already in flight: sending it again would double the traffic for good.
  if (nextOffset === t.offset && t.sentAt !== null) return;
  t.offset = nextOffset;
  t.sentAt = null;
  sendSnapshotChunk(s, from, f, now);
}

/** The follower installed the snapshot (or no longer needs it): forget the transfer, and the frozen copy once nobody reads it. */
export function endTransfer(s: CoreState, f: FollowerProgress): void {
  f.snapshot = null;
  releaseFrozen(s);
}

export function releaseFrozen(s: CoreState): void {
  if (s.frozen && ![...s.followers.values()].some((f) => f.snapshot?.frozen === s.frozen)) s.frozen = null;
}

/**
 * A chunk of the leader's snapshot. It is kept only if it continues the chunks received so far
 * of the same snapshot (a chunk at offset 0 starts one afresh); anything else is answered with
 * where this node stands, so a restarted follower or a lost chunk makes the leader resend.
 */
export function onSnapshot(s: CoreState, from: NodeId, msg: BullyMessageOf<'snapshot'>, now: number): void {
  if (!acceptLeader(s, from, msg.epoch, now)) return;
  if (s.syncedEpoch === msg.epoch && msg.index <= s.log.lastIndex) {
    // Once this leader has confirmed our log is a prefix of its own, a snapshot of its state at
    // an index we already hold is old news — delayed, duplicated or overtaken by the appends
    // that followed it. Installing it would cut our log back behind what the leader believes
    // we hold, and nothing would ever send the cut entries again.
    s.incoming = null;
    commitUpTo(s, msg.commitIndex);
    s.send(from, { type: 'append.ack', epoch: msg.epoch, matchIndex: s.log.lastIndex });
    return;
  }
  const ack = (nextOffset: number) => s.send(from, { type: 'snapshot.ack', epoch: msg.epoch, index: msg.index, nextOffset });
  let inc = s.incoming;
  if (!inc || inc.epoch !== msg.epoch || inc.index !== msg.index || inc.indexEpoch !== msg.indexEpoch) {
    if (msg.offset !== 0) return ack(0);
    inc = s.incoming = { epoch: msg.epoch, index: msg.index, indexEpoch: msg.indexEpoch, pairs: [], lastChunkAt: now };
  }
  // Any chunk of it, even one sent again, says the leader is still at it.
  inc.lastChunkAt = now;
  if (msg.offset !== inc.pairs.length) return ack(inc.pairs.length);
  for (const pair of msg.data) inc.pairs.push(pair);
  // Lazy: losing a chunk loses no promise (the leader sends it again), and the install record
  // that does matter is synced with every chunk written before it.
  s.persist({ type: 'snapshot.chunk', index: msg.index, epoch: msg.indexEpoch, offset: msg.offset, data: msg.data }, true);
  if (!msg.done) return ack(inc.pairs.length);
  install(s, from, msg.commitIndex);
}

function install(s: CoreState, from: NodeId, commitIndex: number): void {
  const inc = s.incoming!;
  s.incoming = null;
  const previous = { applied: s.appliedIndex, last: s.log.lastIndex };
  s.kv.replace(inc.pairs);
  s.log.reset(inc.index, inc.indexEpoch);
  s.commitIndex = inc.index;
  s.appliedIndex = inc.index;
  s.syncedEpoch = inc.epoch;
  s.persist({ type: 'snapshot.install', index: inc.index, epoch: inc.indexEpoch, pairs: inc.pairs.length });
  if (previous.last > inc.index) {
    s.emit({
      kind: 'replication.truncated',
      data: { fromIndex: inc.index + 1, toIndex: previous.last, reason: "replaced by the leader's snapshot" },
    });
  }
  s.emit({ kind: 'replication.synced', data: { mode: 'snapshot', fromIndex: previous.applied, toIndex: inc.index, leader: from } });
  s.emit({ kind: 'replication.applied', data: { index: inc.index, keyCount: s.kv.size } });
  commitUpTo(s, commitIndex);
  s.send(from, { type: 'append.ack', epoch: inc.epoch, matchIndex: s.log.lastIndex });
}

/** Whether the current leader is sending us a snapshot right now (so asking it to sync us again is noise). */
export function receivingSnapshot(s: CoreState, now: number): boolean {
  // An unanswered chunk is sent again every retryMs: two of those missed and the transfer has stalled.
  return s.incoming !== null && s.incoming.epoch === s.epoch && now - s.incoming.lastChunkAt <= 2 * s.retryMs;
}

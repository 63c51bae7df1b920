import { epochOwner, formatEpoch, type BullyMessage, type KvCommand, type NodeId, type NodeStatus } from '@clusterlab/shared';
import type { CoreInput, CoreOutput, StepChecker } from '../../core/types';
import type { BullyRecord } from './types';
import { BrokenRule } from '../../core/broken-rule';

/**
 * Bully's own promises, checked by the simulator after every step (the common ones — one
 * leader per term, applying in order, keeping what was applied — are the simulator's own):
 *
 * 1. Only the owner of an epoch leads it: epochs are round·100 + rank and persisted before use.
 * 2. One entry per (index, epoch). A leader gives each index out once per epoch, so two logs
 *    holding the same (index, epoch) hold the same write — the log-matching property that lets
 *    a follower trust a single check.
 * 3. A snapshot is installed whole: only on its last chunk, after every chunk before it, in
 *    order, with nothing missing — a follower that applied part of one would serve a state
 *    that never was.
 *
 * Losing an acknowledged write on failover is not among them: bully does not promise it, and
 * the checker's finding it is the lesson.
 */
export class BullyChecker implements StepChecker<BullyMessage, BullyRecord> {
  /** index → epoch → the write logged there. */
  private readonly entries = new Map<number, Map<number, KvCommand>>();
  /** Per node, the snapshot whose chunks its disk holds since the last offset 0, and how many pairs. */
  private readonly receiving = new Map<NodeId, { index: number; epoch: number; pairs: number }>();

  afterStep(id: NodeId, _incarnation: number, input: CoreInput<BullyMessage>, outputs: readonly CoreOutput<BullyMessage, BullyRecord>[], status: NodeStatus): void {
    for (const out of outputs) {
      if (out.type === 'persist' && out.record.type === 'entries') this.logged(id, out.record.entries);
      if (out.type === 'persist' && (out.record.type === 'snapshot.chunk' || out.record.type === 'snapshot.install')) this.snapshotRecord(id, out.record, input, status);
      if (out.type === 'event' && out.event.kind === 'leader.elected' && epochOwner(out.event.data.term) !== id) {
        throw new BrokenRule('one leader per epoch', `${id} leads epoch ${formatEpoch(out.event.data.term)}, which it does not own`);
      }
    }
  }

  private snapshotRecord(id: NodeId, record: Extract<BullyRecord, { type: 'snapshot.chunk' | 'snapshot.install' }>, input: CoreInput<BullyMessage>, status: NodeStatus): void {
    const broken = (detail: string) => new BrokenRule('a snapshot is installed whole', `${id} ${detail}`);
    const r = this.receiving.get(id);
    const same = r !== undefined && r.index === record.index && r.epoch === record.epoch;
    if (record.type === 'snapshot.chunk') {
      if (record.offset === 0) this.receiving.set(id, { index: record.index, epoch: record.epoch, pairs: record.data.length });
      else if (!same || r.pairs !== record.offset) throw broken(`kept a chunk at offset ${record.offset} of the snapshot at index ${record.index}, after ${same ? r.pairs : 0} of its pairs`);
      else r.pairs += record.data.length;
      return;
    }
    const last = input.type === 'message' && input.msg.type === 'snapshot' && input.msg.done;
    if (!last) throw broken(`installed the snapshot at index ${record.index} on something other than its last chunk`);
    if (!same || r.pairs !== record.pairs) throw broken(`installed the snapshot at index ${record.index} as ${record.pairs} pairs, holding ${same ? r.pairs : 0}`);
    // Keys are unique in a snapshot, and nothing is applied after an install within its step.
    if (status.keyCount !== record.pairs) throw broken(`installed a snapshot of ${record.pairs} pairs and holds ${status.keyCount} keys`);
    this.receiving.delete(id);
  }

  private logged(id: NodeId, entries: readonly { index: number; epoch: number; op: KvCommand }[]): void {
    for (const entry of entries) {
      let byEpoch = this.entries.get(entry.index);
      if (!byEpoch) this.entries.set(entry.index, (byEpoch = new Map()));
      const known = byEpoch.get(entry.epoch);
      if (known === undefined) byEpoch.set(entry.epoch, entry.op);
      else if (!sameWrite(known, entry.op)) {
        throw new BrokenRule(
          'one entry per (index, epoch)',
          `${id} logged ${JSON.stringify(entry.op)} at index ${entry.index}, epoch ${formatEpoch(entry.epoch)}, where another node logged ${JSON.stringify(known)}`,
        );
      }
    }
  }
}

function sameWrite(a: KvCommand, b: KvCommand): boolean {
  if (a.type === 'txn' || b.type === 'txn') return JSON.stringify(a) === JSON.stringify(b);
  return a.type === b.type && a.key === b.key && (a.type === 'delete' || (b.type === 'put' && a.value === b.value));
}

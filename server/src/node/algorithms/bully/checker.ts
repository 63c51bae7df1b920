import { epochOwner, formatEpoch, type BullyMessage, type KvWrite, type NodeId } from '@clusterlab/shared';
import type { CoreOutput, StepChecker } from '../../core/types';
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
 *
 * Losing an acknowledged write on failover is not among them: bully does not promise it, and
 * the checker's finding it is the lesson.
 */
export class BullyChecker implements StepChecker<BullyMessage, BullyRecord> {
  /** index → epoch → the write logged there. */
  private readonly entries = new Map<number, Map<number, KvWrite>>();

  afterStep(id: NodeId, _incarnation: number, _input: unknown, outputs: readonly CoreOutput<BullyMessage, BullyRecord>[]): void {
    for (const out of outputs) {
      if (out.type === 'persist' && out.record.type === 'entries') this.logged(id, out.record.entries);
      if (out.type === 'event' && out.event.kind === 'leader.elected' && epochOwner(out.event.data.term) !== id) {
        throw new BrokenRule('one leader per epoch', `${id} leads epoch ${formatEpoch(out.event.data.term)}, which it does not own`);
      }
    }
  }

  private logged(id: NodeId, entries: readonly { index: number; epoch: number; op: KvWrite }[]): void {
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

function sameWrite(a: KvWrite, b: KvWrite): boolean {
  return a.type === b.type && a.key === b.key && (a.type === 'delete' || (b.type === 'put' && a.value === b.value));
}

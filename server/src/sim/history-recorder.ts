import type { History, HistoryOp } from '@clusterlab/shared';

/**
 * The client-observed history, as the linearizability checker wants it: one entry per
 * operation a client asked for, however many requests it took, with virtual times.
 */
export class HistoryRecorder {
  private readonly ops: HistoryOp[] = [];
  /** Where each acknowledged write landed (op id → log index and term), for explanations. */
  readonly acks = new Map<number, { index: number; term: number }>();

  /** `expected`: a cas's condition, the value the key must hold (null: absent). */
  invoke(client: string, kind: HistoryOp['kind'], key: string, value: string | null, now: number, expected?: string | null): HistoryOp {
    const op: HistoryOp = { id: this.ops.length + 1, client, kind, key, value, ...(kind === 'cas' && { expected: expected ?? null }), invokeMs: now, completeMs: null, outcome: 'unknown' };
    this.ops.push(op);
    return op;
  }

  /**
   * - ok: acknowledged (a read's value is what the node returned);
   * - fail: definitely not applied;
   * - unknown: may or may not have been applied; it has no completion time.
   */
  complete(op: HistoryOp, outcome: HistoryOp['outcome'], now: number, node: string | null, readValue?: string | null): void {
    op.outcome = outcome;
    op.completeMs = outcome === 'unknown' ? null : now;
    if (node) op.node = node;
    if (op.kind === 'read') op.value = outcome === 'ok' ? (readValue ?? null) : null;
  }

  acknowledgedAt(op: HistoryOp, index: number, term: number): void {
    this.acks.set(op.id, { index, term });
  }

  history(): History {
    return this.ops.map((op) => ({ ...op }));
  }

  /** The ops as recorded, not copied: for reading while more are recorded. */
  get recorded(): readonly HistoryOp[] {
    return this.ops;
  }

  get size(): number {
    return this.ops.length;
  }
}

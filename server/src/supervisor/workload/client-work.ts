import type { HistoryOp } from '@clusterlab/shared';
import type { OpCall, OpResult, TxnCall } from './send-op';

/** One op a call is recorded as, on its own key (a transaction is one op per key it touches). */
export type RecordedOp = { kind: HistoryOp['kind']; key: string; value: string | null; expected?: string | null };

/** What a workload client does next, and how each recorded op of it ended. */
export interface RunClientWork {
  next(): { call: OpCall | TxnCall; ops: RecordedOp[]; latency: 'read' | 'write' };
  /** For each op of the last call, in order: its outcome and, for a read, the value it found. */
  settle(result: OpResult): { outcome: HistoryOp['outcome']; value?: string | null }[];
}

import type { KeysTable, KvReadAll, KvResult } from '@clusterlab/shared';
import type { TxnAnswer, TxnBody } from '../lib/txnForm';

export type KvOp = 'put' | 'delete' | 'get';

/** The last transaction run: what was sent, and the answer or why there is none. */
export type TxnRun = { sent: TxnBody; latencyMs: number } & ({ answer: TxnAnswer; error: null } | { answer: null; error: { status: number; reason: string } });

export type KeysState = {
  table: KeysTable | null;
  tableAt: number | null;
  tableError: string | null;
  /** The last single-node request and its answer (`ifVersion`: the version it was conditional on). */
  last: { op: KvOp; via: string; key: string; value?: string; ifVersion?: number; result: KvResult; latencyMs: number } | null;
  readAll: KvReadAll | null;
  pending: KvOp | 'get-all' | null;
  txn: TxnRun | null;
  txnPending: boolean;
};

export const initialKeys: KeysState = {
  table: null,
  tableAt: null,
  tableError: null,
  last: null,
  readAll: null,
  pending: null,
  txn: null,
  txnPending: false,
};

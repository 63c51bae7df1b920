import type { KeysTable, KvReadAll, KvResult } from '@clusterlab/shared';

export type KvOp = 'put' | 'delete' | 'get';

export type KeysState = {
  table: KeysTable | null;
  tableAt: number | null;
  tableError: string | null;
  /** The last single-node request and its answer (`ifVersion`: the version it was conditional on). */
  last: { op: KvOp; via: string; key: string; value?: string; ifVersion?: number; result: KvResult; latencyMs: number } | null;
  readAll: KvReadAll | null;
  pending: KvOp | 'get-all' | null;
};

export const initialKeys: KeysState = {
  table: null,
  tableAt: null,
  tableError: null,
  last: null,
  readAll: null,
  pending: null,
};

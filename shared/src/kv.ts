import { z } from 'zod';
import { Txn } from './txn';

/** A write a client asks of the leader; the unit of the replication log. Values are UTF-8 text. */
export const KvWrite = z.discriminatedUnion('type', [
  z.object({ type: z.literal('put'), key: z.string(), value: z.string() }),
  z.object({ type: z.literal('delete'), key: z.string() }),
]);
export type KvWrite = z.infer<typeof KvWrite>;

/** What a log entry asks of the key/value state: a write, or a transaction (shared/src/txn.ts). */
export const KvCommand = z.discriminatedUnion('type', [...KvWrite.options, z.object({ type: z.literal('txn'), txn: Txn })]);
export type KvCommand = z.infer<typeof KvCommand>;

/** A key's value on one node, with the log index that last wrote it. */
export const StoredValue = z.object({ value: z.string(), index: z.number().int().nonnegative() });
export type StoredValue = z.infer<typeof StoredValue>;

import { z } from 'zod';
import { jsonEntryBytes, jsonStringBytes } from './json-size';
import type { KvCommand } from './kv';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits';

/**
 * Transactions, as etcd's Txn has them: compares, then the ops of the branch they choose, the
 * whole of it one log entry applied atomically on every replica, in log order. A conditional
 * write (PUT with If-Match) is a transaction too, of one compare and one op.
 *
 * A key's version is the log index of the write that last set it (the ETag of reads and
 * writes); a key that does not exist has version 0.
 */

/** Keys one transaction may name, across its compares and both branches. */
export const MAX_TXN_KEYS = 64;
/** Bytes of JSON one transaction may take (POST /txn's body). */
export const MAX_TXN_BYTES = 1024 * 1024;

const utf8 = new TextEncoder();

const Key = z
  .string()
  .min(1, 'a key cannot be empty')
  .refine((k) => utf8.encode(k).length <= MAX_KEY_BYTES, `a key is at most ${MAX_KEY_BYTES} bytes`)
  .refine((k) => !k.includes('\u0000'), 'a key cannot contain a NUL character');

const Value = z.string().refine((v) => utf8.encode(v).length <= MAX_VALUE_BYTES, `a value is at most ${MAX_VALUE_BYTES} bytes`);

export const TXN_TARGETS = ['version', 'value', 'exists'] as const;
export const TXN_OPERATORS = ['=', '!=', '<', '>'] as const;

/**
 * One condition on the state a transaction finds. `version` compares a key's version (0 when
 * absent) with a whole number; `value` its value with a string (in UTF-16 code-unit order, as
 * JavaScript compares strings), and fails whatever the operator when the key is absent, as
 * etcd's does; `exists` asks `=` or `!=` of true or false.
 */
export const TxnCompare = z
  .object({
    key: Key,
    target: z.enum(TXN_TARGETS, { message: `target must be one of ${TXN_TARGETS.join(', ')}` }),
    op: z.enum(TXN_OPERATORS, { message: `op must be one of ${TXN_OPERATORS.join(' ')}` }),
    value: z.union([z.string(), z.number(), z.boolean()]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem =
      c.target === 'version'
        ? Number.isSafeInteger(c.value) && (c.value as number) >= 0
          ? null
          : `a version compare needs a whole number of 0 or more (0: the key is absent), not ${JSON.stringify(c.value)}`
        : c.target === 'value'
          ? typeof c.value === 'string'
            ? utf8.encode(c.value).length <= MAX_VALUE_BYTES
              ? null
              : `a value is at most ${MAX_VALUE_BYTES} bytes`
            : `a value compare needs a string, not ${JSON.stringify(c.value)}`
          : typeof c.value !== 'boolean'
            ? `an exists compare needs true or false, not ${JSON.stringify(c.value)}`
            : c.op === '=' || c.op === '!='
              ? null
              : `an exists compare can only be = or !=, not ${c.op}`;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
  });
export type TxnCompare = z.infer<typeof TxnCompare>;

export const TxnOp = z.union(
  [z.object({ put: Key, value: Value }).strict(), z.object({ delete: Key }).strict(), z.object({ get: Key }).strict()],
  { message: 'an op is { "put": key, "value": text }, { "delete": key } or { "get": key }' },
);
export type TxnOp = z.infer<typeof TxnOp>;

export const Txn = z
  .object({
    compare: z.array(TxnCompare).default([]),
    success: z.array(TxnOp).default([]),
    failure: z.array(TxnOp).default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    const keys = txnKeys(t);
    if (keys.length > MAX_TXN_KEYS) ctx.addIssue({ code: 'custom', message: `a transaction names at most ${MAX_TXN_KEYS} keys; this one names ${keys.length}` });
    for (const branch of ['success', 'failure'] as const) {
      const written = new Set<string>();
      for (const op of t[branch]) {
        const key = 'put' in op ? op.put : 'delete' in op ? op.delete : null;
        if (key === null) continue;
        if (written.has(key)) ctx.addIssue({ code: 'custom', message: `the ${branch} branch writes ${JSON.stringify(key)} twice; a transaction writes each key at most once`, path: [branch] });
        written.add(key);
      }
    }
  });
export type Txn = z.infer<typeof Txn>;

/** What one op of the branch that ran gave: a get sees the writes before it in the same branch. */
export type TxnOpResult =
  | { type: 'get'; key: string; value: string | null; version: number }
  | { type: 'put'; key: string; version: number }
  | { type: 'delete'; key: string; deleted: boolean };

/** Which branch ran, and what each of its ops gave. */
export type TxnOutcome = { succeeded: boolean; results: TxnOpResult[] };

/** POST /txn's answer. */
export type TxnReply = TxnOutcome & { index: number; term: number; node: string };

/** Every key a transaction names, once each, in the order it names them. */
export function txnKeys(t: Pick<Txn, 'compare' | 'success' | 'failure'>): string[] {
  const keys = new Set<string>();
  for (const c of t.compare) keys.add(c.key);
  for (const op of [...t.success, ...t.failure]) keys.add(opKey(op));
  return [...keys];
}

export function opKey(op: TxnOp): string {
  return 'put' in op ? op.put : 'delete' in op ? op.delete : op.get;
}

/** An upper bound on a transaction's JSON in a log entry, so an append batch keeps to its byte bound. */
export function txnJsonBytes(t: Txn): number {
  let n = 64;
  for (const c of t.compare) n += jsonStringBytes(c.key) + (typeof c.value === 'string' ? jsonStringBytes(c.value) : 16) + 48;
  for (const op of [...t.success, ...t.failure]) n += jsonStringBytes(opKey(op)) + ('value' in op ? jsonStringBytes(op.value) : 0) + 24;
  return n;
}

/** The keys a log entry's command names: a write's one key, a transaction's every key. */
export function commandKeys(op: KvCommand): string[] {
  return op.type === 'txn' ? txnKeys(op.txn) : [op.key];
}

/** An upper bound on the JSON of one log entry holding `op`, and the comma after it (see jsonEntryBytes). */
export function commandJsonBytes(op: KvCommand): number {
  switch (op.type) {
    case 'put':
      return jsonEntryBytes(op.key, op.value);
    case 'delete':
      return jsonEntryBytes(op.key, null);
    case 'txn':
      return jsonEntryBytes('', null) + txnJsonBytes(op.txn);
  }
}

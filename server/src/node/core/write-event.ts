import { commandKeys, type EventBody, type KvCommand } from '@clusterlab/shared';

/**
 * What a leader says of a write it has just logged, and the key its pending write is filed
 * under: a transaction is named by the first key it touches, with all of them in `keys`.
 */
export function loggedWrite(op: KvCommand, index: number, term: number): { key: string; event: EventBody } {
  const keys = commandKeys(op);
  const key = keys[0] ?? '';
  return { key, event: { kind: 'kv.write', data: { key, op: op.type, index, term, ...(op.type === 'txn' && { keys }) } } };
}

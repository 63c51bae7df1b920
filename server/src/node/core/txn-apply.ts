import type { StoredValue, Txn, TxnCompare, TxnOpResult, TxnOutcome } from '@clusterlab/shared';

/** The part of the key/value state a transaction reads and writes. */
export interface TxnState {
  get(key: string): StoredValue | undefined;
  set(key: string, value: StoredValue): void;
  delete(key: string): boolean;
}

/**
 * Applies a transaction logged at `index`: its compares judged against the state as it is when
 * the entry is applied — on every replica the same, since entries apply in log order — then
 * the ops of the branch they chose, one after another, so a get sees the writes before it.
 * Every key the branch writes gets version `index`.
 */
export function applyTxn(state: TxnState, index: number, txn: Txn): TxnOutcome {
  const succeeded = txn.compare.every((c) => holds(c, state.get(c.key)));
  const results: TxnOpResult[] = [];
  for (const op of succeeded ? txn.success : txn.failure) {
    if ('put' in op) {
      state.set(op.put, { value: op.value, index });
      results.push({ type: 'put', key: op.put, version: index });
    } else if ('delete' in op) {
      results.push({ type: 'delete', key: op.delete, deleted: state.delete(op.delete) });
    } else {
      const stored = state.get(op.get);
      results.push({ type: 'get', key: op.get, value: stored?.value ?? null, version: stored?.index ?? 0 });
    }
  }
  return { succeeded, results };
}

function holds(c: TxnCompare, stored: StoredValue | undefined): boolean {
  switch (c.target) {
    case 'version':
      return compare(stored?.index ?? 0, c.op, c.value as number);
    case 'value':
      // As etcd: a value compare on an absent key fails, whatever its operator.
      return stored !== undefined && compare(stored.value, c.op, c.value as string);
    case 'exists':
      return (stored !== undefined) === c.value ? c.op === '=' : c.op === '!=';
  }
}

function compare<T extends number | string>(a: T, op: TxnCompare['op'], b: T): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
  }
}

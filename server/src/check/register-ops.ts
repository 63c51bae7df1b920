import type { History, HistoryOp } from '@clusterlab/shared';

/** What a key holds: a string, or null when the key is absent. Every key starts absent. */
export type RegisterValue = string | null;

interface RegisterOpBase {
  /** What the op wrote (write, cas) or returned (read). */
  readonly value: RegisterValue;
  readonly invokeMs: number;
  readonly returnMs: number;
  /** The operation as the client recorded it, for explanations. */
  readonly source: HistoryOp;
}

/**
 * One operation on a single register, reduced to what the linearizability search needs.
 * A delete is a write of null. A cas writes `value` only where the register holds `expected`:
 * one that took effect is a read of `expected` and a write of `value` at one instant.
 * `returnMs` is +Infinity when the outcome is unknown: the op may take effect at any moment
 * after its invocation, so it has no deadline.
 */
export type RegisterOp =
  | (RegisterOpBase & { readonly kind: 'read' | 'write' })
  | (RegisterOpBase & { readonly kind: 'cas'; readonly expected: RegisterValue });

/** True for the ops that set the register: writes, deletes and cas. */
export function setsValue(op: RegisterOp): boolean {
  return op.kind !== 'read';
}

/**
 * The value the op found in the register, if it looked: what a read returned, what a cas
 * expected (it took effect only if the register held that). Undefined for plain writes.
 */
export function observedValue(op: RegisterOp): RegisterValue | undefined {
  return op.kind === 'read' ? op.value : op.kind === 'cas' ? op.expected : undefined;
}

/**
 * Splits a history into one register history per key (linearizability is compositional: a
 * history is linearizable exactly when each key's sub-history is), keeping only the ops that
 * carry information:
 *
 * - `fail` ops definitely did not take effect, so they are dropped;
 * - `unknown` reads returned nothing we can trust, so they are dropped too;
 * - `unknown` writes, deletes and cas stay, with no deadline (returnMs = +Infinity).
 *
 * Every key that appears in the history gets an entry, even if none of its ops survive, so a
 * report can list it. Keys come out sorted; ops keep their history order.
 */
export function registerOpsByKey(history: History): Map<string, RegisterOp[]> {
  const byKey = new Map<string, RegisterOp[]>();
  for (const op of history) {
    let ops = byKey.get(op.key);
    if (!ops) {
      ops = [];
      byKey.set(op.key, ops);
    }
    const registerOp = toRegisterOp(op);
    if (registerOp) ops.push(registerOp);
  }
  return new Map([...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The register view of one op, or undefined when the op tells us nothing. */
export function toRegisterOp(op: HistoryOp): RegisterOp | undefined {
  if (op.outcome === 'fail') return undefined;
  if (op.kind === 'read' && op.outcome !== 'ok') return undefined;
  const returnMs = op.outcome === 'ok' && op.completeMs !== null ? op.completeMs : Infinity;
  const base = { value: op.kind === 'delete' ? null : op.value, invokeMs: op.invokeMs, returnMs, source: op };
  if (op.kind === 'cas') return { ...base, kind: 'cas', expected: op.expected ?? null };
  return { ...base, kind: op.kind === 'read' ? 'read' : 'write' };
}

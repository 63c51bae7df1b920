import { OPENING_BALANCE, type BankOp, type History } from '@clusterlab/shared';
import { Describer } from './describe';

/** A read that saw a bank no correct store could show: money made or lost, a debt, half an opening. */
export type BankViolation = { kind: 'total' | 'negative' | 'partial'; opId: number; sentence: string };

export type BankCheck = {
  /** Reads that answered, all of which were checked. */
  reads: number;
  /** Transfers acknowledged as done. */
  transfers: number;
  violations: BankViolation[];
  /** The final balances the nodes agree on, checked the same way (null when there were none to check). */
  final: BankViolation | null;
  sentences: string[];
};

/**
 * Checks every read of a bank history, and the final state: the balances must add up to what
 * the bank opened with, and none may be below zero. A read of no account at all is one from
 * before the bank opened; a read that found some accounts and not others saw half of the one
 * transaction that opened them all.
 */
export function checkBank(ops: readonly BankOp[], accounts: readonly string[], finalBalances: Record<string, number | null> | null, options: { originMs?: number } = {}): BankCheck {
  const total = OPENING_BALANCE * accounts.length;
  let origin = options.originMs ?? Infinity;
  if (options.originMs === undefined) for (const op of ops) origin = Math.min(origin, op.invokeMs);
  const words = new Describer(Number.isFinite(origin) ? origin : 0);
  const violations: BankViolation[] = [];
  let reads = 0;
  for (const op of ops) {
    if (op.kind !== 'read' || op.outcome !== 'ok' || !op.balances) continue;
    reads++;
    const problem = judge(op.balances, accounts, total);
    if (problem) violations.push({ ...problem, opId: op.id, sentence: `${op.client}'s read at ${words.at(op.invokeMs)} (op ${op.id}${op.node ? `, on ${op.node}` : ''}) ${problem.sentence}` });
  }
  const finalProblem = finalBalances ? judge(finalBalances, accounts, total) : null;
  const final = finalProblem ? { ...finalProblem, opId: -1, sentence: `The final balances the nodes agree on ${finalProblem.sentence}` } : null;
  const transfers = ops.filter((o) => o.kind === 'transfer' && o.outcome === 'ok').length;
  const sentences =
    violations.length === 0 && !final
      ? [`Every one of ${reads} reads of all ${accounts.length} balances added up to ${total}, none below zero, after ${transfers} transfers.`]
      : [...violations.slice(0, 5).map((v) => v.sentence), ...(violations.length > 5 ? [`…and ${violations.length - 5} more reads like these.`] : []), ...(final ? [final.sentence] : [])];
  return { reads, transfers, violations, final, sentences };
}

function judge(balances: Record<string, number | null>, accounts: readonly string[], total: number): Omit<BankViolation, 'opId'> | null {
  const present = accounts.filter((a) => balances[a] !== null && balances[a] !== undefined);
  if (present.length === 0) return null; // before the bank opened
  if (present.length < accounts.length) {
    const missing = accounts.filter((a) => !present.includes(a));
    return { kind: 'partial', sentence: `found ${present.join(', ')} but not ${missing.join(', ')}: half of the one transaction that opened every account` };
  }
  const sum = accounts.reduce((n, a) => n + balances[a]!, 0);
  const list = accounts.map((a) => `${a} ${balances[a]}`).join(', ');
  if (sum !== total) return { kind: 'total', sentence: `saw ${sum} in all, not ${total}: ${sum > total ? `${sum - total} made` : `${total - sum} lost`} (${list})` };
  const negative = accounts.filter((a) => balances[a]! < 0);
  if (negative.length > 0) return { kind: 'negative', sentence: `saw ${negative.map((a) => `${a} at ${balances[a]}`).join(' and ')}: below zero (${list})` };
  return null;
}

/**
 * A bank's reads, from a history that records each transaction as one op per account (the
 * workload runner's, server/src/supervisor/workload/bank-client.ts): the reads of one
 * transaction put back together, each value's balance its leading number ("70 c3-17"). Only
 * reads of every account that all answered count.
 */
export function bankReadsFromHistory(history: History, accounts: readonly string[]): BankOp[] {
  const byTxn = new Map<number, History>();
  for (const op of history) {
    if (op.kind !== 'read' || op.txn === undefined) continue;
    const ops = byTxn.get(op.txn) ?? [];
    ops.push(op);
    byTxn.set(op.txn, ops);
  }
  const reads: BankOp[] = [];
  for (const [txn, ops] of byTxn) {
    if (ops.length !== accounts.length || ops.some((o) => o.outcome !== 'ok')) continue;
    const first = ops[0]!;
    const balances = Object.fromEntries(ops.map((o) => [o.key, o.value === null ? null : Number.parseInt(o.value, 10)]));
    reads.push({ id: first.id, client: first.client, kind: 'read', invokeMs: first.invokeMs, completeMs: first.completeMs, outcome: 'ok', balances, ...(first.node && { node: first.node }), index: txn });
  }
  return reads.sort((a, b) => a.id - b.id);
}

/**
 * The balances every node ended with, when they all hold the same for each account (null
 * otherwise): an account's balance is its value's leading number ("70 c3-17" or "70").
 */
export function agreedBalances(finalStates: Record<string, Record<string, string | null>> | undefined, accounts: readonly string[]): Record<string, number | null> | null {
  const nodes = Object.values(finalStates ?? {});
  if (nodes.length === 0) return null;
  const out: Record<string, number | null> = {};
  for (const a of accounts) {
    const values = new Set(nodes.map((n) => n[a] ?? null));
    if (values.size !== 1) return null;
    const [v] = values;
    out[a] = v === null || v === undefined ? null : Number.parseInt(v, 10);
  }
  return out;
}

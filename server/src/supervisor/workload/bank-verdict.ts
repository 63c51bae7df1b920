import type { History, WorkloadVerdict } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import { bankReadsFromHistory, checkBank } from '../../check/bank';

/**
 * A bank run's verdict: the checker's, on every account as a key of its own, with the bank's
 * rule across the accounts on top — every read of all balances adds up to what the bank opened
 * with, none below zero, and so do the final balances the nodes agree on.
 */
export function withBankVerdict(verdict: WorkloadVerdict, history: History, accounts: readonly string[], finalStates: FinalStates | undefined): WorkloadVerdict {
  const transfers = new Set(history.filter((op) => op.kind === 'cas' && op.outcome === 'ok' && op.txn !== undefined && op.expected !== null).map((op) => op.txn)).size;
  const b = checkBank(bankReadsFromHistory(history, accounts), accounts, agreed(finalStates, accounts), { originMs: 0 });
  const broken = b.violations.length + (b.final ? 1 : 0);
  const sentences = broken === 0 ? [`Every one of ${b.reads} reads of all ${accounts.length} balances added up, none below zero, after ${transfers} transfers.`] : b.sentences;
  const headline = broken === 0 ? 'Bank: every read added up' : `Bank broken: ${broken} ${broken === 1 ? 'read' : 'reads'} saw money made or lost, or a debt`;
  return { ...verdict, summary: `${headline} · ${verdict.summary}`, sentences: [...sentences, ...verdict.sentences], bank: { reads: b.reads, transfers, broken, sentences } };
}

/** The balances when every node that answered holds the same for each account; null otherwise. */
function agreed(finalStates: FinalStates | undefined, accounts: readonly string[]): Record<string, number | null> | null {
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

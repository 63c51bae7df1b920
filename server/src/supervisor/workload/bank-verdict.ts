import type { History, WorkloadVerdict } from '@clusterlab/shared';
import type { FinalStates } from '../../check';
import { agreedBalances, bankReadsFromHistory, checkBank } from '../../check/bank';

/**
 * A bank run's verdict: the checker's, on every account as a key of its own, with the bank's
 * rule across the accounts on top — every read of all balances adds up to what the bank opened
 * with, none below zero, and so do the final balances the nodes agree on.
 */
export function withBankVerdict(verdict: WorkloadVerdict, history: History, accounts: readonly string[], finalStates: FinalStates | undefined): WorkloadVerdict {
  const transfers = new Set(history.filter((op) => op.kind === 'cas' && op.outcome === 'ok' && op.txn !== undefined && op.expected !== null).map((op) => op.txn)).size;
  const b = checkBank(bankReadsFromHistory(history, accounts), accounts, agreedBalances(finalStates, accounts), { originMs: 0 });
  const broken = b.violations.length + (b.final ? 1 : 0);
  const sentences = broken === 0 ? [`Every one of ${b.reads} reads of all ${accounts.length} balances added up, none below zero, after ${transfers} transfers.`] : b.sentences;
  const headline = broken === 0 ? 'Bank: every read added up' : `Bank broken: ${broken} ${broken === 1 ? 'read' : 'reads'} saw money made or lost, or a debt`;
  return { ...verdict, summary: `${headline} · ${verdict.summary}`, sentences: [...sentences, ...verdict.sentences], bank: { reads: b.reads, transfers, broken, sentences } };
}


/**
 * The bank workload, as Jepsen checks transactional stores: a few accounts, clients moving
 * money between them in transactions and reading every balance in one transaction. Whatever
 * the faults, no read may see money created or destroyed, nor a balance below zero.
 *
 * Accounts are keys holding whole numbers as text. The bank is opened by one transaction that
 * creates every account with OPENING_BALANCE; before it commits, a read finds no account at all.
 */
export const OPENING_BALANCE = 100;

export type BankOp = {
  id: number;
  client: string;
  /** open: create every account; transfer: move `amount` from one to another; read: every balance. */
  kind: 'open' | 'transfer' | 'read';
  invokeMs: number;
  completeMs: number | null;
  /**
   * ok: done (a transfer whose versions still held; a read that answered). fail: definitely not
   * done (a transfer refused because an account changed since it was read is one). unknown:
   * no answer; it may have been done.
   */
  outcome: 'ok' | 'fail' | 'unknown';
  from?: string;
  to?: string;
  amount?: number;
  /** What a read saw: each account's balance, null for one that does not exist. */
  balances?: Record<string, number | null>;
  /** Where an acknowledged open or transfer landed in the log. */
  index?: number;
  node?: string;
};

export const bankAccounts = (n: number): string[] => Array.from({ length: n }, (_, i) => `acct-${i + 1}`);

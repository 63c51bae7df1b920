import { OPENING_BALANCE, type Txn } from '@clusterlab/shared';
import type { RecordedOp, RunClientWork } from './client-work';
import type { OpResult, TxnCall } from './send-op';

/** Share of ops that only read every balance; the rest read in order to transfer. */
const READ_SHARE = 0.3;
const MAX_AMOUNT = 30;

type Step = { kind: 'open' | 'read' | 'transfer'; call: TxnCall; ops: RecordedOp[] };
type Plan = { from: string; to: string; amount: number; raw: [string, string]; versions: [number, number] };

/** An account's value: its balance, then the open or transfer that set it, so every value is written once ("70 c3-17"). */
export const balanceOf = (raw: string | null): number | null => (raw === null ? null : Number.parseInt(raw, 10));

/**
 * A client of the bank workload (shared/src/bank.ts) on the real cluster: it opens the bank
 * unless another client has, then reads every balance in one transaction, and most reads are
 * the first half of a transfer that applies only if both accounts are still at the versions it
 * read. Each transaction is recorded as one op per account it touches (reads; a transfer's two
 * compare-and-sets; the opening's), with the transaction's number, so every account is checked
 * for linearizability like any key and the bank's rule across them (check/bank.ts).
 */
export class BankClient implements RunClientWork {
  private opened = false;
  private plan: Plan | null = null;
  private planning = false;
  private transfers = 0;
  private step: Step | null = null;

  constructor(
    private readonly client: string,
    private readonly accounts: readonly string[],
    private readonly draw: () => number,
  ) {}

  next(): { call: TxnCall; ops: RecordedOp[]; latency: 'read' | 'write' } {
    this.step = this.opened ? (this.plan ? this.transfer(this.plan) : this.readAll()) : this.open();
    return { call: this.step.call, ops: this.step.ops, latency: this.step.kind === 'read' ? 'read' : 'write' };
  }

  settle(result: OpResult): { outcome: OpResult['outcome']; value?: string | null }[] {
    const step = this.step!;
    const txn = result.txn;
    if (step.kind === 'read') {
      if (result.outcome !== 'ok' || !txn) return step.ops.map(() => ({ outcome: result.outcome === 'ok' ? 'unknown' : result.outcome }));
      const found = new Map(txn.results.flatMap((r) => (r.type === 'get' ? [[r.key, r] as const] : [])));
      this.afterRead(found);
      return step.ops.map((op) => ({ outcome: 'ok', value: found.get(op.key)?.value ?? null }));
    }
    if (step.kind === 'transfer') this.plan = null;
    // Compares that did not hold: nothing was written. For the opening, another client's was first.
    const refused = result.outcome === 'ok' && txn !== undefined && !txn.succeeded;
    if (step.kind === 'open' && result.outcome === 'ok') this.opened = true;
    return step.ops.map(() => ({ outcome: refused ? 'fail' : result.outcome }));
  }

  private open(): Step {
    const value = `${OPENING_BALANCE} open-${this.client}`;
    const txn: Txn = { compare: this.accounts.map((key) => ({ key, target: 'exists', op: '=', value: false })), success: this.accounts.map((put) => ({ put, value })), failure: [] };
    return { kind: 'open', call: { kind: 'txn', txn }, ops: this.accounts.map((key) => ({ kind: 'cas', key, value, expected: null })) };
  }

  private readAll(): Step {
    this.planning = this.draw() >= READ_SHARE;
    return { kind: 'read', call: { kind: 'txn', txn: { compare: [], success: this.accounts.map((get) => ({ get })), failure: [] } }, ops: this.accounts.map((key) => ({ kind: 'read', key, value: null })) };
  }

  private transfer({ from, to, amount, raw, versions }: Plan): Step {
    const tag = `${this.client}-${++this.transfers}`;
    const after: [string, string] = [`${balanceOf(raw[0])! - amount} ${tag}`, `${balanceOf(raw[1])! + amount} ${tag}`];
    const txn: Txn = {
      compare: [
        { key: from, target: 'version', op: '=', value: versions[0] },
        { key: to, target: 'version', op: '=', value: versions[1] },
      ],
      success: [
        { put: from, value: after[0] },
        { put: to, value: after[1] },
      ],
      failure: [],
    };
    return {
      kind: 'transfer',
      call: { kind: 'txn', txn },
      ops: [
        { kind: 'cas', key: from, value: after[0], expected: raw[0] },
        { kind: 'cas', key: to, value: after[1], expected: raw[1] },
      ],
    };
  }

  private afterRead(found: ReadonlyMap<string, { value: string | null; version: number }>): void {
    if (this.accounts.every((a) => found.get(a)?.value != null)) this.opened = true;
    if (!this.planning || !this.opened) return;
    const from = this.accounts[Math.floor(this.draw() * this.accounts.length)]!;
    const others = this.accounts.filter((a) => a !== from);
    const to = others[Math.floor(this.draw() * others.length)]!;
    const amount = 1 + Math.floor(this.draw() * MAX_AMOUNT);
    const f = found.get(from)!;
    const t = found.get(to)!;
    if (balanceOf(f.value)! >= amount) this.plan = { from, to, amount, raw: [f.value!, t.value!], versions: [f.version, t.version] };
  }
}

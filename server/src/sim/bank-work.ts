import { OPENING_BALANCE, type BankOp, type NodeId, type Rng, type Txn } from '@clusterlab/shared';
import type { ClientReply, ClientRequest } from '../node/core/types';
import type { ClientWork } from './clients';

/** Every bank op of a run, in the order they were invoked, and where the acknowledged ones landed. */
export class BankRecorder {
  readonly ops: BankOp[] = [];
  /** op id → log index and term of each acknowledged open or transfer, to find the ones a failover lost. */
  readonly acks = new Map<number, { index: number; term: number }>();

  invoke(client: string, kind: BankOp['kind'], now: number, extra: Partial<BankOp> = {}): BankOp {
    const op: BankOp = { id: this.ops.length + 1, client, kind, invokeMs: now, completeMs: null, outcome: 'unknown', ...extra };
    this.ops.push(op);
    return op;
  }
}

/** A transfer planned from a read: the balances and versions it read, which must still hold. */
type Plan = { from: string; to: string; amount: number; balances: [number, number]; versions: [number, number] };

/** Share of ops that only read every balance; the rest read in order to transfer. */
const READ_SHARE = 0.3;
const MAX_AMOUNT = 30;

/**
 * One bank client (shared/src/bank.ts). Until it has seen the bank open it tries to open it
 * (a transaction that creates every account only if none exists, so of many tries one wins).
 * Then each op reads every balance in one transaction; most reads are the first half of a
 * transfer: if the account to pay from holds enough, the next op moves the money in a
 * transaction that applies only if neither account's version changed since the read — an
 * optimistic transfer, refused (412-like) when another got there first.
 */
export class BankWork implements ClientWork {
  private op: BankOp | null = null;
  private opened = false;
  private plan: Plan | null = null;
  private planning = false;

  constructor(
    private readonly client: string,
    private readonly rng: Rng,
    private readonly recorder: BankRecorder,
    private readonly accounts: readonly string[],
  ) {}

  next(now: number): ClientRequest {
    if (!this.opened) {
      this.op = this.recorder.invoke(this.client, 'open', now);
      const txn: Txn = { compare: this.accounts.map((key) => ({ key, target: 'exists', op: '=', value: false })), success: this.accounts.map((put) => ({ put, value: String(OPENING_BALANCE) })), failure: [] };
      return { type: 'txn', txn };
    }
    if (this.plan) {
      const { from, to, amount, balances, versions } = this.plan;
      this.op = this.recorder.invoke(this.client, 'transfer', now, { from, to, amount });
      const txn: Txn = {
        compare: [
          { key: from, target: 'version', op: '=', value: versions[0] },
          { key: to, target: 'version', op: '=', value: versions[1] },
        ],
        success: [
          { put: from, value: String(balances[0] - amount) },
          { put: to, value: String(balances[1] + amount) },
        ],
        failure: [],
      };
      return { type: 'txn', txn };
    }
    this.planning = this.rng.next() >= READ_SHARE;
    this.op = this.recorder.invoke(this.client, 'read', now);
    return { type: 'txn', txn: { compare: [], success: this.accounts.map((get) => ({ get })), failure: [] } };
  }

  ended(outcome: BankOp['outcome'], node: NodeId, reply: ClientReply | null, now: number): void {
    const op = this.op!;
    this.op = null;
    op.node = node;
    const done = reply?.type === 'ok' ? reply : null;
    // A transaction whose compares failed did nothing: for a transfer, a definite failure.
    op.outcome = op.kind === 'transfer' && done && !done.txn?.succeeded ? 'fail' : outcome;
    op.completeMs = op.outcome === 'unknown' ? null : now;
    if (done && op.outcome === 'ok') {
      op.index = done.index;
      if (op.kind !== 'read') this.recorder.acks.set(op.id, { index: done.index, term: done.term });
    }
    if (op.kind === 'open') this.opened = outcome === 'ok'; // done by this one or by another client's
    else if (op.kind === 'transfer') this.plan = null;
    else if (done?.txn && op.outcome === 'ok') this.read(op, done.txn.results);
  }

  private read(op: BankOp, results: NonNullable<Extract<ClientReply, { type: 'ok' }>['txn']>['results']): void {
    const balances: Record<string, number | null> = {};
    const versions: Record<string, number> = {};
    for (const r of results) {
      if (r.type !== 'get') continue;
      balances[r.key] = r.value === null ? null : Number(r.value);
      versions[r.key] = r.version;
    }
    op.balances = balances;
    if (this.accounts.every((a) => balances[a] !== null)) this.opened = true;
    if (!this.planning || !this.opened) return;
    const from = this.rng.pick(this.accounts);
    const to = this.rng.pick(this.accounts.filter((a) => a !== from));
    const amount = 1 + this.rng.int(MAX_AMOUNT);
    const have = balances[from]!;
    if (have >= amount) this.plan = { from, to, amount, balances: [have, balances[to]!], versions: [versions[from]!, versions[to]!] };
  }
}

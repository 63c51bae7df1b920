import { describe, expect, it } from 'vitest';
import type { KvReadAll, WorkloadHistoryFile } from '@clusterlab/shared';
import { call } from '../../test-utils/http';
import { useSupervisor } from '../../test-utils/test-supervisor';
import { startWorkload, waitForVerdict } from './workload-test-helpers';

/**
 * The bank workload on real processes (kind bank): transfers between accounts as transactions
 * that apply only if both accounts are still at the versions read, and reads of every balance
 * in one transaction, while faults strike. Each account is checked for linearizability like
 * any key, and the bank's rule holds across them: every read adds up, none below zero.
 */
describe('the bank on a Raft cluster whose leader is killed', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft', writeTimeoutMs: 1000 } });

  it('keeps every read adding up and every account linearizable, and ends with the money it opened with', { timeout: 90_000 }, async () => {
    const { leader } = await lab.waitForLeader();
    const id = await startWorkload(lab, {
      kind: 'bank',
      clients: 5,
      durationMs: 6000,
      keys: 4,
      faults: [
        { at: 2000, fault: { kind: 'kill', node: leader! } },
        { at: 3500, fault: { kind: 'restart', node: leader! } },
      ],
    });
    const view = await waitForVerdict(lab, id);
    const bank = view.verdict.bank!;
    expect(bank.broken, bank.sentences.join('\n')).toBe(0);
    expect(bank.transfers, 'transfers done').toBeGreaterThan(10);
    expect(bank.reads, 'reads of every balance').toBeGreaterThan(10);
    expect(view.verdict.outcome, view.verdict.sentences.join('\n')).toBe('linearizable');
    expect(view.verdict.summary).toBe('Bank: every read added up · Linearizable');
    expect(view.verdict.sentences[0]).toMatch(/^Every one of \d+ reads of all 4 balances added up, none below zero, after \d+ transfers\.$/);

    // Every op of a transaction carries its number; a transfer is two compare-and-sets on its accounts.
    const history = (await call<WorkloadHistoryFile>(lab.api(`/workloads/${id}/history`))).body.history;
    const transfer = history.find((op) => op.kind === 'cas' && op.outcome === 'ok' && op.expected !== null)!;
    const pair = history.filter((op) => op.txn === transfer.txn);
    expect(pair.map((op) => op.kind)).toEqual(['cas', 'cas']);
    expect(new Set(pair.map((op) => op.key)).size).toBe(2);

    // What every node holds afterwards: four accounts, 400 in all.
    const accounts = [1, 2, 3, 4].map((i) => `${id}-acct-${i}`);
    const totals = await Promise.all(
      accounts.map(async (a) => {
        const all = (await call<KvReadAll>(lab.api(`/kv/${a}?via=all`))).body;
        const values = new Set(all.reads.map((r) => r.value));
        expect(values.size, `${a} is the same on every node`).toBe(1);
        return Number.parseInt(all.reads[0]!.value!, 10);
      }),
    );
    expect(totals.reduce((n, b) => n + b, 0)).toBe(400);
    expect(Math.min(...totals)).toBeGreaterThanOrEqual(0);
  });

  it('refuses a bank of one account, or of more than a transaction can read at once', async () => {
    for (const keys of [1, 65]) {
      const answer = await call<{ error: string }>(lab.api('/workloads'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'bank', clients: 2, durationMs: 1000, keys }) });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(/a bank needs from 2 to 64 accounts/);
    }
  });
});

describe('the bank on a bully cluster split by a partition', () => {
  // As in workload-verdicts.test.ts: n1, cut off, makes itself leader of a newer epoch while n3
  // goes on with n2; when the partition heals n1's epoch wins and n3's acknowledged transfers go.
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'bully', writeTimeoutMs: 1000, electionTimeoutMinMs: 800, electionTimeoutMaxMs: 1000 } });

  it('undoes transfers it acknowledged, while every read of the balances still adds up', { timeout: 90_000 }, async () => {
    await lab.waitForCluster((v) => v.leader === 'n3', { what: 'n3, the highest id, leading', timeoutMs: 15_000 });
    const id = await startWorkload(lab, {
      kind: 'bank',
      clients: 5,
      durationMs: 4500,
      keys: 3,
      faults: [{ at: 1000, id: 'isolate-n1', fault: { kind: 'partition', groups: [['n1'], ['n2', 'n3']] } }],
    });
    const view = await waitForVerdict(lab, id);
    const bank = view.verdict.bank!;
    // Each transfer is one entry and every replica holds one leader's history: the money adds up.
    expect(bank.broken, bank.sentences.join('\n')).toBe(0);
    // But the bank's word does not: transfers it acknowledged are gone, which the accounts' histories show.
    expect(view.verdict.outcome, view.verdict.sentences.join('\n')).toBe('not-linearizable');
    expect(view.verdict.summary).toMatch(/^Bank: every read added up · Not linearizable: \d of 3 keys/);
  });
});

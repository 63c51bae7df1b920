import { describe, expect, it } from 'vitest';
import type { BankOp } from '@clusterlab/shared';
import { checkBank } from './bank';

const accounts = ['acct-1', 'acct-2', 'acct-3'];
let id = 0;
const read = (balances: Record<string, number | null>, invokeMs = 1000): BankOp => ({ id: ++id, client: 'c1', kind: 'read', invokeMs, completeMs: invokeMs + 5, outcome: 'ok', balances, node: 'n2' });

describe('the bank check', () => {
  it('passes reads before the bank opened and reads that add up, and says how many it checked', () => {
    const c = checkBank([read({ 'acct-1': null, 'acct-2': null, 'acct-3': null }), read({ 'acct-1': 150, 'acct-2': 0, 'acct-3': 150 })], accounts, { 'acct-1': 100, 'acct-2': 100, 'acct-3': 100 });
    expect(c.violations).toEqual([]);
    expect(c.final).toBeNull();
    expect(c.sentences).toEqual(['Every one of 2 reads of all 3 balances added up to 300, none below zero, after 0 transfers.']);
  });

  it('names a read that saw money made or lost, a balance below zero, or half the opening', () => {
    const ops = [read({ 'acct-1': 100, 'acct-2': 70, 'acct-3': 100 }, 1500), read({ 'acct-1': 310, 'acct-2': -10, 'acct-3': 0 }, 2000), read({ 'acct-1': 100, 'acct-2': null, 'acct-3': 100 }, 2500)];
    const c = checkBank(ops, accounts, null, { originMs: 0 });
    expect(c.violations.map((v) => v.kind)).toEqual(['total', 'negative', 'partial']);
    expect(c.sentences[0]).toBe("c1's read at t=1.50 s (op " + ops[0]!.id + ', on n2) saw 270 in all, not 300: 30 lost (acct-1 100, acct-2 70, acct-3 100)');
    expect(c.sentences[1]).toMatch(/saw acct-2 at -10: below zero/);
    expect(c.sentences[2]).toMatch(/found acct-1, acct-3 but not acct-2: half of the one transaction that opened every account/);
  });

  it('checks the final balances the same way, and ignores reads that did not answer', () => {
    const unanswered: BankOp = { ...read({ 'acct-1': 0, 'acct-2': 0, 'acct-3': 0 }), outcome: 'unknown', completeMs: null };
    const c = checkBank([unanswered], accounts, { 'acct-1': 100, 'acct-2': 100, 'acct-3': 101 });
    expect(c.reads).toBe(0);
    expect(c.final?.sentence).toBe('The final balances the nodes agree on saw 301 in all, not 300: 1 made (acct-1 100, acct-2 100, acct-3 101)');
  });
});

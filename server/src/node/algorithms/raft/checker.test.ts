import { describe, expect, it } from 'vitest';
import type { NodeStatus, RaftMessage } from '@clusterlab/shared';
import type { CoreOutput } from '../../core/types';
import { raft } from './index';
import type { RaftRecord } from './records';
import { put } from './testing';
import { nodeStatus } from '../../../test-utils/node-status';

type Out = CoreOutput<RaftMessage, RaftRecord>;
const status = (id: string, over: Partial<NodeStatus> = {}): NodeStatus => nodeStatus({ id, algorithm: 'raft', term: 1, ...over });
const tick = { type: 'tick', now: 0 } as const;
const persist = (record: RaftRecord): Out => ({ type: 'persist', record });
const term = (t: number, votedFor: string | null = null) => persist({ type: 'hard_state', term: t, votedFor });

/** The checker must catch each violation it claims to: feed it one and see it throw, naming the rule. */
describe('the Raft checker', () => {
  it('election safety: two leaders in one term', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [term(2, 'n1')], status('n1', { role: 'leader', term: 2 }), 0);
    k.afterStep('n1', 1, tick, [], status('n1', { role: 'leader', term: 2 }), 1); // still the same leader: fine
    expect(() => k.afterStep('n2', 1, tick, [term(2, 'n2')], status('n2', { role: 'leader', term: 2 }), 2)).toThrow(/election safety.*n1 and n2.*term 2/);
  });

  it('election safety: two votes in one term, even across a restart', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [term(3, 'n2')], status('n1', { term: 3 }), 0);
    expect(() => k.afterStep('n1', 2, tick, [term(3, 'n3')], status('n1', { term: 3 }), 1)).toThrow(/voted for n2 and then n3 in term 3/);
  });

  it('log matching: the same index and term holding different commands', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [persist({ type: 'entries', entries: [put(1, 1, 'a')] })], status('n1'), 0);
    expect(() => k.afterStep('n2', 1, tick, [persist({ type: 'entries', entries: [put(1, 1, 'b')] })], status('n2'), 1)).toThrow(/log matching: index 1 term 1/);
  });

  it('state machine safety: two nodes committing different entries at one index', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [persist({ type: 'entries', entries: [put(1, 1, 'a')] })], status('n1', { commitIndex: 1, appliedIndex: 1 }), 0);
    k.afterStep('n2', 1, tick, [term(2), persist({ type: 'entries', entries: [put(1, 2, 'b')] })], status('n2', { term: 2 }), 1);
    expect(() => k.afterStep('n2', 1, tick, [], status('n2', { term: 2, commitIndex: 1, appliedIndex: 1 }), 2)).toThrow(/state machine safety: index 1/);
  });

  it('leader completeness: a leader elected without a committed entry', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [persist({ type: 'entries', entries: [put(1, 1, 'a')] })], status('n1', { commitIndex: 1 }), 0);
    expect(() => k.afterStep('n2', 1, tick, [term(2, 'n2')], status('n2', { role: 'leader', term: 2 }), 1)).toThrow(/leader completeness: n2 .* index 1 term 1/);
  });

  it('leader completeness binds leaders of later terms only: a node that wins an older term late need not hold newer commits', () => {
    const k = raft.checker();
    // n1 commits index 1 in term 3; n3, paused mid-election, later wins term 2 with the votes it had.
    k.afterStep('n1', 1, tick, [term(3, 'n1'), persist({ type: 'entries', entries: [put(1, 3, 'a')] })], status('n1', { role: 'leader', term: 3, commitIndex: 1 }), 0);
    expect(() => k.afterStep('n3', 1, tick, [term(2, 'n3')], status('n3', { role: 'leader', term: 2 }), 1)).not.toThrow();
    expect(() => k.afterStep('n2', 1, tick, [term(4, 'n2')], status('n2', { role: 'leader', term: 4 }), 2)).toThrow(/leader completeness: n2 .* index 1 term 3/);
  });

  it('no acknowledged write lost: a leader elected without an entry that was acknowledged', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [persist({ type: 'entries', entries: [put(1, 1, 'a')] }), { type: 'reply', requestId: 1, reply: { type: 'ok', index: 1, term: 1 } }], status('n1'), 0);
    expect(() => k.afterStep('n2', 1, tick, [term(2, 'n2')], status('n2', { role: 'leader', term: 2 }), 1)).toThrow(/no acknowledged write lost/);
  });

  it('persist before send: a vote request, a granted vote or an ack ahead of the disk', () => {
    const k = raft.checker();
    const ask: Out = { type: 'send', to: 'n2', msg: { type: 'request_vote', term: 1, pre: false, lastLogIndex: 0, lastLogTerm: 0 } };
    expect(() => k.afterStep('n1', 1, tick, [ask, term(1, 'n1')], status('n1'), 0)).toThrow(/persist before send: n1 sent request_vote in term 1/);
    const k2 = raft.checker();
    const grant: Out = { type: 'send', to: 'n3', msg: { type: 'request_vote.reply', term: 1, pre: false, granted: true, reason: null } };
    expect(() => k2.afterStep('n2', 1, tick, [term(1), grant], status('n2'), 0)).toThrow(/granted n3 its vote/);
    const k3 = raft.checker();
    const ack: Out = { type: 'send', to: 'n1', msg: { type: 'append_entries.reply', term: 0, success: true, matchIndex: 1, conflictTerm: null, conflictIndex: 0, round: 1 } };
    expect(() => k3.afterStep('n2', 1, tick, [ack, persist({ type: 'entries', entries: [put(1, 0, 'a')] })], status('n2', { term: 0 }), 0)).toThrow(/acknowledged index 1/);
    // Pre-votes ask about a future term and persist nothing: fine.
    const k4 = raft.checker();
    k4.afterStep('n1', 1, tick, [{ type: 'send', to: 'n2', msg: { type: 'request_vote', term: 1, pre: true, lastLogIndex: 0, lastLogTerm: 0 } }], status('n1', { term: 0 }), 0);
  });

  it('a committed entry is never truncated', () => {
    const k = raft.checker();
    k.afterStep('n1', 1, tick, [persist({ type: 'entries', entries: [put(1, 1, 'a'), put(2, 1, 'b')] })], status('n1', { commitIndex: 2 }), 0);
    expect(() => k.afterStep('n1', 1, tick, [persist({ type: 'truncate', afterIndex: 1 })], status('n1', { commitIndex: 2 }), 1)).toThrow(/truncated/);
  });
});

import { describe, expect, it } from 'vitest';
import type { History } from '@clusterlab/shared';
import { FINAL_STATE_CLIENT, withFinalReads } from './final-reads';
import { judgeHistory } from './verdict';

/** The verdict's words and what the final state adds to the check. */

const w = (id: number, value: string, invokeMs: number, completeMs: number | null, outcome: 'ok' | 'unknown' = 'ok') =>
  ({ id, client: 'c1', kind: 'write', key: 'k', value, invokeMs, completeMs, outcome }) as History[number];

describe('a workload verdict', () => {
  it('makes a write the final state lost a violation, not only an anomaly', () => {
    const history = [w(1, 'a', 0, 10), w(2, 'b', 20, 30)];
    const lost = judgeHistory(history, { n1: { k: 'a' }, n2: { k: 'a' } });
    expect(lost.outcome).toBe('not-linearizable');
    expect(lost.summary).toBe('Not linearizable: 1 of 1 keys · 1 acknowledged write lost');
    expect(lost.keys[0]!.witnessOpIds).toContain(3);
    expect(lost.finalReads).toEqual([expect.objectContaining({ id: 3, client: FINAL_STATE_CLIENT, kind: 'read', key: 'k', value: 'a', invokeMs: 31 })]);

    const kept = judgeHistory(history, { n1: { k: 'b' }, n2: { k: 'b' } });
    expect(kept).toMatchObject({ outcome: 'linearizable', summary: 'Linearizable', lostWrites: 0 });
  });

  it('reads no final value of a key the replicas disagree on, and names the divergence', () => {
    const history = [w(1, 'a', 0, 10), w(2, 'b', 20, 30)];
    expect(withFinalReads(history, { n1: { k: 'a' }, n2: { k: 'b' } })).toEqual(history);
    const v = judgeHistory(history, { n1: { k: 'a' }, n2: { k: 'b' } });
    expect(v.outcome).toBe('linearizable');
    expect(v.summary).toBe('Linearizable · 1 key on divergent replicas');
  });

  it('lets a write of unknown outcome explain the final value, however late it took effect', () => {
    const history = [w(1, 'a', 0, 10), w(2, 'b', 20, null, 'unknown')];
    expect(judgeHistory(history, { n1: { k: 'b' } }).outcome).toBe('linearizable');
    expect(judgeHistory(history, { n1: { k: 'a' } }).outcome).toBe('linearizable');
  });

  it('without final states, judges the history alone and says lost writes could not be told', () => {
    const v = judgeHistory([w(1, 'a', 0, 10)], undefined);
    expect(v.finalReads).toEqual([]);
    expect(v.notes.join(' ')).toMatch(/final state/i);
  });
});

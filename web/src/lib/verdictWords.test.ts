import { describe, expect, it } from 'vitest';
import { anomalyCounts, totals } from './verdictWords';

describe('verdict counts in words', () => {
  it('name only what was found, in the singular when there is one', () => {
    expect(anomalyCounts({ lostWrites: 3, staleReads: 1, divergentReplicas: 0 })).toEqual(['3 acknowledged writes lost', '1 stale read']);
    expect(anomalyCounts({ lostWrites: 1, staleReads: 1200, divergentReplicas: 2 })).toEqual(['1 acknowledged write lost', '1,200 stale reads', '2 keys whose replicas diverge']);
    expect(anomalyCounts({ lostWrites: 0, staleReads: 0, divergentReplicas: 0 })).toEqual([]);
  });
  it('add up the operations by outcome', () => {
    const c = { ok: 5, fail: 1, unknown: 2 };
    expect(totals({ read: c, write: c, delete: { ok: 0, fail: 0, unknown: 1 }, cas: { ok: 0, fail: 0, unknown: 0 } })).toEqual({ ok: 10, fail: 2, unknown: 5, all: 17 });
  });
});

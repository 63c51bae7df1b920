import { describe, expect, it } from 'vitest';
import type { Txn } from '@clusterlab/shared';
import { KvStore } from './kv-store';

/** A store with a=1 (version 3) and b=2 (version 5). */
function store(): KvStore {
  const kv = new KvStore();
  kv.apply(3, { type: 'put', key: 'a', value: '1' });
  kv.apply(5, { type: 'put', key: 'b', value: '2' });
  return kv;
}

const txn = (t: Partial<Txn>): { type: 'txn'; txn: Txn } => ({ type: 'txn', txn: { compare: [], success: [], failure: [], ...t } });

describe('a transaction applied to the key/value state', () => {
  it('runs the success branch when every compare holds, giving each written key the entry’s index as its version', () => {
    const kv = store();
    const outcome = kv.apply(9, txn({ compare: [{ key: 'a', target: 'version', op: '=', value: 3 }], success: [{ put: 'a', value: '0' }, { put: 'b', value: '3' }], failure: [{ get: 'a' }] }));
    expect(outcome).toEqual({ succeeded: true, results: [{ type: 'put', key: 'a', version: 9 }, { type: 'put', key: 'b', version: 9 }] });
    expect(kv.get('a')).toEqual({ value: '0', index: 9 });
    expect(kv.get('b')).toEqual({ value: '3', index: 9 });
  });

  it('runs the failure branch, and changes nothing else, when one compare fails', () => {
    const kv = store();
    const outcome = kv.apply(9, txn({ compare: [{ key: 'a', target: 'version', op: '=', value: 3 }, { key: 'b', target: 'value', op: '=', value: 'x' }], success: [{ put: 'a', value: '0' }], failure: [{ get: 'a' }, { get: 'zz' }] }));
    expect(outcome).toEqual({ succeeded: false, results: [{ type: 'get', key: 'a', value: '1', version: 3 }, { type: 'get', key: 'zz', value: null, version: 0 }] });
    expect(kv.get('a')).toEqual({ value: '1', index: 3 });
  });

  it('lets a get see the writes before it in the same branch, and says whether a delete found its key', () => {
    const kv = store();
    const outcome = kv.apply(9, txn({ success: [{ put: 'c', value: 'new' }, { get: 'c' }, { delete: 'a' }, { delete: 'nope' }, { get: 'a' }] }));
    expect(outcome!.results).toEqual([
      { type: 'put', key: 'c', version: 9 },
      { type: 'get', key: 'c', value: 'new', version: 9 },
      { type: 'delete', key: 'a', deleted: true },
      { type: 'delete', key: 'nope', deleted: false },
      { type: 'get', key: 'a', value: null, version: 0 },
    ]);
  });

  it('compares versions (0 when absent) and values as etcd does: a value compare on an absent key fails whatever its operator', () => {
    const holds = (compare: Txn['compare']) => store().apply(9, txn({ compare }))!.succeeded;
    expect(holds([{ key: 'b', target: 'version', op: '>', value: 4 }])).toBe(true);
    expect(holds([{ key: 'b', target: 'version', op: '<', value: 5 }])).toBe(false);
    expect(holds([{ key: 'zz', target: 'version', op: '=', value: 0 }])).toBe(true);
    expect(holds([{ key: 'a', target: 'value', op: '<', value: '2' }])).toBe(true);
    expect(holds([{ key: 'a', target: 'value', op: '!=', value: '1' }])).toBe(false);
    expect(holds([{ key: 'zz', target: 'value', op: '!=', value: 'anything' }])).toBe(false);
    expect(holds([{ key: 'zz', target: 'value', op: '<', value: 'zzz' }])).toBe(false);
    expect(holds([{ key: 'a', target: 'exists', op: '=', value: true }])).toBe(true);
    expect(holds([{ key: 'zz', target: 'exists', op: '=', value: false }])).toBe(true);
    expect(holds([{ key: 'zz', target: 'exists', op: '!=', value: false }])).toBe(false);
    expect(holds([])).toBe(true);
  });

  it('ends the same on every replica that applies the same entries in the same order', () => {
    const entries = [txn({ compare: [{ key: 'n', target: 'exists', op: '=', value: false }], success: [{ put: 'n', value: '1' }] }), txn({ compare: [{ key: 'n', target: 'value', op: '=', value: '1' }], success: [{ put: 'n', value: '2' }] }), txn({ compare: [{ key: 'n', target: 'value', op: '=', value: '1' }], success: [{ put: 'n', value: 'lost race' }] })];
    const replicas = [new KvStore(), new KvStore()];
    const outcomes = replicas.map((kv) => entries.map((e, i) => kv.apply(i + 1, e)!.succeeded));
    expect(outcomes).toEqual([
      [true, true, false],
      [true, true, false],
    ]);
    expect(replicas.map((kv) => kv.entries())).toEqual([[['n', { value: '2', index: 2 }]], [['n', { value: '2', index: 2 }]]]);
  });
});

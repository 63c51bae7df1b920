import { describe, expect, it } from 'vitest';
import { MAX_TXN_KEYS, Txn, TXN_OPERATORS, TXN_TARGETS } from '@clusterlab/shared';
import {
  answerWhere,
  branchHeadline,
  checkTxnForm,
  describeResult,
  EXAMPLES,
  MAX_KEYS,
  newCompare,
  newOp,
  OPERATORS,
  problemKey,
  rowName,
  TARGETS,
  txnErrorSentence,
  withTarget,
  type TxnFormValues,
} from './txnForm';

const example = (id: string) => EXAMPLES.find((e) => e.id === id)!.values();
const empty: TxnFormValues = { compare: [], success: [], failure: [] };

describe('the transaction form', () => {
  it('keeps the shapes and limits the server enforces', () => {
    expect(TARGETS).toEqual(TXN_TARGETS);
    expect(OPERATORS).toEqual(TXN_OPERATORS);
    expect(MAX_KEYS).toBe(MAX_TXN_KEYS);
  });

  it('turns the transfer example into the body a learner would write by hand', () => {
    expect(checkTxnForm(example('transfer')).body).toEqual({
      compare: [{ key: 'alice', target: 'value', op: '=', value: '100' }],
      success: [{ put: 'alice', value: '70' }, { put: 'bob', value: '30' }],
      failure: [{ get: 'alice' }],
    });
    expect(checkTxnForm(example('open')).body).toEqual({ compare: [], success: [{ put: 'alice', value: '100' }, { put: 'bob', value: '0' }], failure: [] });
  });

  it('sends a version as a number and exists as a boolean, and every body it makes is one the server accepts', () => {
    const values: TxnFormValues = {
      compare: [newCompare({ key: 'k', target: 'version', op: '<', value: ' 12 ' }), newCompare({ key: 'k', target: 'exists', op: '!=', value: 'false' })],
      success: [newOp({ type: 'delete', key: 'k' }), newOp({ type: 'get', key: 'k' })],
      failure: [newOp({ key: 'k', value: '' })],
    };
    const { body } = checkTxnForm(values);
    expect(body?.compare).toEqual([
      { key: 'k', target: 'version', op: '<', value: 12 },
      { key: 'k', target: 'exists', op: '!=', value: false },
    ]);
    for (const b of [body, checkTxnForm(example('transfer')).body, checkTxnForm(example('open')).body, checkTxnForm(empty).body]) expect(Txn.safeParse(b).success, JSON.stringify(b)).toBe(true);
  });

  it('names each bad control, by the name it has on screen', () => {
    const c = newCompare({ key: '', target: 'version', value: '1.5' });
    const o = newOp({ key: '' });
    const r = checkTxnForm({ compare: [c], success: [], failure: [newOp({ type: 'get', key: 'x' }), o] });
    expect(r.body).toBeNull();
    expect(r.problems).toEqual([
      { field: problemKey('compare', c.id, 'key'), text: 'Compare 1 key: type the key to compare' },
      { field: problemKey('compare', c.id, 'value'), text: 'Compare 1 value: a version is a whole number of 0 or more (0: the key is absent)' },
      { field: problemKey('failure', o.id, 'key'), text: 'Failure op 2 key: type the key' },
    ]);
    expect(rowName('success', 0)).toBe('Success op 1');
  });

  it('refuses an exists compare with < or >, and more keys than a transaction may name', () => {
    const c = { ...newCompare({ key: 'k', target: 'exists', value: 'true' }), op: '<' as const };
    expect(checkTxnForm({ ...empty, compare: [c] }).problems).toEqual([{ field: problemKey('compare', c.id, 'op'), text: 'Compare 1 operator: an exists compare is = or !=, not <' }]);
    const many = Array.from({ length: 65 }, (_, i) => newOp({ type: 'get', key: `k${i}` }));
    expect(checkTxnForm({ ...empty, success: many }).problems).toEqual([{ field: 'form', text: 'a transaction names at most 64 keys; this one names 65' }]);
  });

  it('keeps a compare sensible when its target changes', () => {
    const byValue = newCompare({ key: 'k', target: 'value', op: '>', value: 'abc' });
    expect(withTarget(byValue, 'exists')).toMatchObject({ target: 'exists', op: '=', value: 'true' });
    expect(withTarget(byValue, 'version')).toMatchObject({ target: 'version', op: '>', value: '' });
    expect(withTarget({ ...byValue, value: '7' }, 'version')).toMatchObject({ value: '7' });
    expect(withTarget(withTarget(byValue, 'exists'), 'value')).toMatchObject({ target: 'value', value: '' });
  });

  it('says which branch ran and why, where, and what each op gave', () => {
    expect(branchHeadline({ succeeded: true }, 1)).toBe('Success branch ran: the compare held');
    expect(branchHeadline({ succeeded: true }, 0)).toBe('Success branch ran: there was no compare to fail');
    expect(branchHeadline({ succeeded: false }, 2)).toBe('Failure branch ran: a compare did not hold');
    expect(answerWhere({ index: 14, servedBy: 'n2', redirectedFrom: null, node: 'n2' })).toBe('One log entry at index 14, served by n2');
    expect(describeResult({ type: 'get', key: 'alice', value: '70', version: 14 })).toEqual({ op: 'get', key: 'alice', result: '"70" (version 14)' });
    expect(describeResult({ type: 'get', key: 'carol', value: null, version: 0 }).result).toBe('absent (version 0)');
    expect(describeResult({ type: 'put', key: 'bob', version: 14 }, { put: 'bob', value: '30' }).result).toBe('"30" written (version 14)');
    expect(describeResult({ type: 'put', key: 'bob', version: 14 }).result).toBe('written (version 14)');
    expect(describeResult({ type: 'delete', key: 'bob', deleted: false }).result).toBe('was absent: nothing to delete');
  });

  it('says a refusal with the names the rows have on screen, not the JSON path', () => {
    expect(txnErrorSentence(400, 'not a transaction: compare.1.value: a version compare needs a whole number of 0 or more (0: the key is absent), not "x"')).toBe(
      'Not run, nothing applied (400): Compare 2 value: a version compare needs a whole number of 0 or more (0: the key is absent), not "x"',
    );
    expect(txnErrorSentence(400, 'not a transaction: success: the success branch writes "alice" twice; a transaction writes each key at most once')).toBe(
      'Not run, nothing applied (400): the success branch writes "alice" twice; a transaction writes each key at most once',
    );
    expect(txnErrorSentence(400, 'not a transaction: failure.0: an op is { "put": key, "value": text }, { "delete": key } or { "get": key }')).toMatch(/\(400\): Failure op 1: an op is/);
    expect(txnErrorSentence(400, 'the transaction is 2000000 bytes of JSON, over the limit of 1048576 bytes')).toBe(
      'Not run, nothing applied (400): the transaction is 2000000 bytes of JSON, over the limit of 1048576 bytes',
    );
  });

  it('puts a refusal in a sentence that says whether anything was applied', () => {
    expect(txnErrorSentence(400, 'the success branch writes "a" twice')).toBe('Not run, nothing applied (400): the success branch writes "a" twice');
    expect(txnErrorSentence(503, 'no leader')).toBe('Not run (503): no leader');
    expect(txnErrorSentence(504, 'logged at index 9 but not committed in time')).toBe('No answer in time (504): logged at index 9 but not committed in time');
    expect(txnErrorSentence(0, 'cannot reach the supervisor')).toBe('Not sent: cannot reach the supervisor');
  });
});

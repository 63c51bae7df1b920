import { describe, expect, it } from 'vitest';
import { MAX_TXN_KEYS, Txn } from './txn';

/** The first problem zod finds, as the 400 would say it. */
function problem(body: unknown): string {
  const parsed = Txn.safeParse(body);
  if (parsed.success) return 'valid';
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('the transaction schema', () => {
  it('takes compares and both branches, and leaves out what is not given', () => {
    expect(Txn.parse({ success: [{ get: 'k' }] })).toEqual({ compare: [], success: [{ get: 'k' }], failure: [] });
    expect(problem({ compare: [{ key: 'k', target: 'version', op: '=', value: 0 }], success: [{ put: 'k', value: 'v' }], failure: [{ delete: 'j' }] })).toBe('valid');
  });

  it('names each malformed compare', () => {
    expect(problem({ compare: [{ key: 'k', target: 'size', op: '=', value: 1 }] })).toMatch(/^compare\.0\.target: target must be one of version, value, exists/);
    expect(problem({ compare: [{ key: 'k', target: 'value', op: '>=', value: 'a' }] })).toMatch(/^compare\.0\.op: op must be one of = != < >/);
    expect(problem({ compare: [{ key: 'k', target: 'version', op: '=', value: 'seven' }] })).toMatch(/a version compare needs a whole number/);
    expect(problem({ compare: [{ key: 'k', target: 'version', op: '=', value: -1 }] })).toMatch(/a version compare needs a whole number/);
    expect(problem({ compare: [{ key: 'k', target: 'value', op: '=', value: 7 }] })).toMatch(/a value compare needs a string/);
    expect(problem({ compare: [{ key: 'k', target: 'exists', op: '<', value: true }] })).toMatch(/an exists compare can only be = or !=/);
    expect(problem({ compare: [{ key: '', target: 'exists', op: '=', value: true }] })).toMatch(/a key cannot be empty/);
  });

  it('names a malformed op, an unknown field, too many keys, and a key written twice in one branch', () => {
    expect(problem({ success: [{ put: 'k' }] })).toMatch(/an op is \{ "put": key, "value": text \}/);
    expect(problem({ success: [{ increment: 'k' }] })).toMatch(/an op is/);
    expect(problem({ sucess: [] })).toMatch(/sucess/);
    const many = Array.from({ length: MAX_TXN_KEYS + 1 }, (_, i) => ({ get: `k${i}` }));
    expect(problem({ success: many })).toMatch(new RegExp(`at most ${MAX_TXN_KEYS} keys; this one names ${MAX_TXN_KEYS + 1}`));
    expect(problem({ success: [{ put: 'k', value: '1' }, { delete: 'k' }] })).toMatch(/the success branch writes "k" twice/);
    // The two branches are alternatives: each may write the same key once.
    expect(problem({ success: [{ put: 'k', value: '1' }], failure: [{ put: 'k', value: '2' }] })).toBe('valid');
  });
});

import type { HistoryOp } from '@clusterlab/shared';
import { describe, expect, it } from 'vitest';
import { historyProblems, InvalidHistoryError, assertValidHistory } from './history-validation';

const op = (over: Partial<HistoryOp>): HistoryOp => ({
  id: 1, client: 'c1', kind: 'write', key: 'k', value: '1', invokeMs: 0, completeMs: 10, outcome: 'ok', ...over,
});

describe('history validation', () => {
  it('a well-formed history has no problems', () => {
    expect(historyProblems([op({}), op({ id: 2, kind: 'read', completeMs: null, outcome: 'unknown' })])).toEqual([]);
  });

  it('an acknowledged op must say when it was acknowledged', () => {
    expect(historyProblems([op({ completeMs: null })])).toEqual(['op 1: an ok op needs a completeMs (when was it acknowledged?)']);
  });

  it('an op cannot complete before it is invoked', () => {
    expect(historyProblems([op({ invokeMs: 50, completeMs: 10 })])).toEqual(['op 1: completes (10 ms) before it is invoked (50 ms)']);
  });

  it('ids are unique', () => {
    expect(historyProblems([op({}), op({})])).toEqual(['op 1: the id is used by another op too']);
  });

  it('a delete carries no value and a write carries one', () => {
    expect(historyProblems([op({ kind: 'delete' }), op({ id: 2, value: null })])).toEqual([
      'op 1: a delete carries value null, not "1"',
      'op 2: a write needs a value (use a delete to remove a key)',
    ]);
  });

  it('a cas says what it expected, and nothing else does', () => {
    expect(historyProblems([op({ kind: 'cas', expected: null }), op({ id: 2, kind: 'cas', value: null, expected: '1' })])).toEqual([]);
    expect(historyProblems([op({ kind: 'cas' }), op({ id: 2, kind: 'read', expected: null }), op({ id: 3, expected: '1' })])).toEqual([
      'op 1: a cas needs an expected value (null when the key must be absent)',
      'op 2: only a cas carries an expected value, not a read',
      'op 3: only a cas carries an expected value, not a write',
    ]);
  });

  it('times are finite numbers', () => {
    expect(historyProblems([op({ invokeMs: Number.NaN })])).toContain('op 1: invokeMs must be a finite number');
  });

  it('lists at most a few problems, so a broken recording does not flood the screen', () => {
    const broken = Array.from({ length: 50 }, (_, i) => op({ id: i, completeMs: null }));
    expect(historyProblems(broken, 3)).toHaveLength(3);
  });

  it('the checker refuses a broken history with every problem in the error', () => {
    try {
      assertValidHistory([op({ completeMs: null })]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidHistoryError);
      expect((error as InvalidHistoryError).problems).toHaveLength(1);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { compareNodeIds } from './ids';

describe('node ids', () => {
  it('orders nodes by rank, not alphabetically', () => {
    expect(['n10', 'n2', 'n1'].sort(compareNodeIds)).toEqual(['n1', 'n2', 'n10']);
  });
});

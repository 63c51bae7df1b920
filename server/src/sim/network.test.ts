import { describe, expect, it } from 'vitest';
import { Network } from './network';
import { Rng } from '@clusterlab/shared';

const net = () => new Network(new Rng(1));

describe('the network', () => {
  it('a partition cuts links between groups only', () => {
    const n = net();
    n.apply({ kind: 'partition', groups: [['n1'], ['n2', 'n3']] });
    expect(n.connected('n2', 'n3')).toBe(true);
    expect(n.connected('n1', 'n2')).toBe(false);
    expect(n.fate('n1', 'n3', 'peer')).toEqual({ lost: 'partitioned' });
    n.apply({ kind: 'heal' });
    expect(n.connected('n1', 'n2')).toBe(true);
  });

  it('nodes a partition does not name form one more group together', () => {
    const n = net();
    n.apply({ kind: 'partition', groups: [['n1']] });
    expect(n.connected('n2', 'n3')).toBe(true);
    expect(n.connected('n1', 'n3')).toBe(false);
  });

  it('clients and the registry reach every node unless a partition names them', () => {
    const n = net();
    n.apply({ kind: 'partition', groups: [['n1', 'c1'], ['n2', 'registry']] });
    expect(n.connected('c2', 'n1')).toBe(true);
    expect(n.connected('c2', 'n2')).toBe(true);
    expect(n.connected('c1', 'n2')).toBe(false);
    expect(n.connected('n1', 'registry')).toBe(false);
    expect(n.connected('n2', 'registry')).toBe(true);
    expect(n.connected('n3', 'registry')).toBe(false);
  });

  it('drops and duplicates touch peer messages only; client requests are delayed, never lost', () => {
    const n = net();
    n.apply({ kind: 'drop', rate: 1 });
    expect(n.fate('n1', 'n2', 'peer')).toHaveProperty('lost');
    expect(n.fate('c1', 'n2', 'client')).toHaveProperty('delaysMs');
    n.apply({ kind: 'drop', rate: 0 });
    n.apply({ kind: 'duplicate', rate: 1 });
    const fate = n.fate('n1', 'n2', 'peer');
    expect('delaysMs' in fate && fate.delaysMs.length).toBe(2);
    expect(n.fate('c1', 'n2', 'client')).toMatchObject({ delaysMs: [expect.any(Number)] });
  });

  it('every message takes at least 1 ms, and a delay fault adds to that', () => {
    const n = net();
    const base = Array.from({ length: 200 }, () => n.delayMs());
    expect(Math.min(...base)).toBeGreaterThanOrEqual(1);
    n.apply({ kind: 'delay', extraMs: 100, jitterMs: 50 });
    const slow = Array.from({ length: 200 }, () => n.delayMs());
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...slow)).toBeGreaterThan(Math.min(...slow)); // jitter: messages overtake each other
  });
});

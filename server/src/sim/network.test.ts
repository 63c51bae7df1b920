import { describe, expect, it } from 'vitest';
import { Rng } from '@clusterlab/shared';
import { ActiveFaults } from '../net/active-faults';
import { Network } from './network';

const net = () => {
  const faults = new ActiveFaults();
  return { faults, n: new Network(new Rng(1), undefined, faults) };
};
const delays = (n: Network, from: string, to: string, count = 200) =>
  Array.from({ length: count }, () => {
    const fate = n.fate(from, to);
    if ('lost' in fate) throw new Error(`lost: ${fate.lost}`);
    return fate.delaysMs[0]!;
  });

describe('the simulated network', () => {
  it('obeys the faults in force, and works again once they are healed', () => {
    const { faults, n } = net();
    faults.apply('p', { kind: 'partition', groups: [['n1'], ['n2', 'n3']] });
    expect(n.fate('n1', 'n3')).toEqual({ lost: 'cut by p' });
    expect(n.connected('n2', 'n3')).toBe(true);
    faults.heal('p');
    expect(n.connected('n1', 'n3')).toBe(true);
  });

  it('a one-way cut loses what goes one way only', () => {
    const { faults, n } = net();
    faults.apply('c', { kind: 'cut', from: 'n3', to: 'n1' });
    expect(n.fate('n3', 'n1')).toHaveProperty('lost');
    expect(n.fate('n1', 'n3')).toHaveProperty('delaysMs');
  });

  it('every message takes at least 1 ms; a delay on a link adds to that link alone, with jitter that lets messages overtake', () => {
    const { faults, n } = net();
    expect(Math.min(...delays(n, 'n1', 'n2'))).toBeGreaterThanOrEqual(1);
    faults.apply('d', { kind: 'delay', from: 'n1', ms: 100, jitterMs: 50 });
    const slow = delays(n, 'n1', 'n2');
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...slow)).toBeGreaterThan(Math.min(...slow));
    expect(Math.max(...delays(n, 'n2', 'n1'))).toBeLessThan(50);
  });

  it('a duplicate fault sends a second copy between nodes, never of a client request', () => {
    const { faults, n } = net();
    faults.apply('x', { kind: 'duplicate', rate: 1 });
    expect(n.fate('n1', 'n2')).toMatchObject({ delaysMs: [expect.any(Number), expect.any(Number)] });
    expect(n.fate('c1', 'n2')).toMatchObject({ delaysMs: [expect.any(Number)] });
  });
});

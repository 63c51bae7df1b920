import { describe, expect, it } from 'vitest';
import type { ActiveFault, LastingFault } from '@clusterlab/shared';
import { isCut, linkKind, linkRules, messageFate } from './link-rules';

let next = 0;
const active = (...faults: LastingFault[]): ActiveFault[] => faults.map((fault) => ({ id: `${fault.kind}-${++next}`, fault }));
const cut = (faults: ActiveFault[], from: string, to: string) => isCut(linkRules(faults, from, to));
/** Draws that come from a list, and fail the test if more are asked for. */
const draws = (...values: number[]) => () => {
  const v = values.shift();
  if (v === undefined) throw new Error('drew more than expected');
  return v;
};

describe('partitions', () => {
  const faults = active({ kind: 'partition', groups: [['n1'], ['n2', 'n3', 'registry']] });

  it('cut the links between groups both ways, and keep the links inside a group', () => {
    expect(cut(faults, 'n1', 'n2')).toBe(true);
    expect(cut(faults, 'n3', 'n1')).toBe(true);
    expect(cut(faults, 'n1', 'registry')).toBe(true);
    expect(cut(faults, 'registry', 'n1')).toBe(true);
    expect(cut(faults, 'n2', 'n3')).toBe(false);
    expect(cut(faults, 'n2', 'registry')).toBe(false);
  });

  it('leave a party in no group all its links: an unnamed node, and the clients', () => {
    for (const other of ['n1', 'n2', 'registry']) {
      expect(cut(faults, 'n4', other)).toBe(false);
      expect(cut(faults, other, 'n4')).toBe(false);
    }
    expect(cut(faults, 'c1', 'n1')).toBe(false);
    expect(cut(faults, 'client', 'n2')).toBe(false);
    expect(cut(faults, 'n1', 'client')).toBe(false);
  });

  it('put a client where its own id is, else where "client" is', () => {
    const f = active({ kind: 'partition', groups: [['n1', 'c1'], ['n2', 'client']] });
    expect(cut(f, 'c1', 'n2')).toBe(true);
    expect(cut(f, 'c1', 'n1')).toBe(false);
    expect(cut(f, 'c2', 'n1')).toBe(true);
    expect(cut(f, 'client', 'n1')).toBe(true);
    expect(cut(f, 'c2', 'n2')).toBe(false);
  });
});

describe('one-way cuts', () => {
  it('lose what from sends to to; the other way works', () => {
    const f = active({ kind: 'cut', from: 'n1', to: 'n2' });
    expect(cut(f, 'n1', 'n2')).toBe(true);
    expect(cut(f, 'n2', 'n1')).toBe(false);
    expect(cut(f, 'n1', 'n3')).toBe(false);
  });

  it('"client" stands for every client', () => {
    const f = active({ kind: 'cut', from: 'client', to: 'n1' });
    expect(cut(f, 'c7', 'n1')).toBe(true);
    expect(cut(f, 'client', 'n1')).toBe(true);
    expect(cut(f, 'n1', 'c7')).toBe(false);
  });

  it('compose with partitions: either cuts, and the message is lost to the first one applied', () => {
    const f = active({ kind: 'cut', from: 'n1', to: 'n2' }, { kind: 'partition', groups: [['n1'], ['n2']] });
    expect(linkRules(f, 'n1', 'n2').cutBy).toEqual([f[0]!.id, f[1]!.id]);
    expect(messageFate(linkRules(f, 'n1', 'n2'), draws())).toEqual({ lost: true, by: f[0]!.id, reason: `cut by ${f[0]!.id}` });
    expect(linkRules(f, 'n2', 'n1').cutBy).toEqual([f[1]!.id]);
  });
});

describe('delays, losses and duplicates', () => {
  it('apply to matching links; a side left out matches everyone, the registry and clients too', () => {
    const f = active({ kind: 'delay', from: 'n2', ms: 200, jitterMs: 50 });
    expect(linkRules(f, 'n2', 'n1')).toMatchObject({ delayMs: 200, jitterMs: 50 });
    expect(linkRules(f, 'n2', 'registry')).toMatchObject({ delayMs: 200 });
    expect(linkRules(f, 'n2', 'c1')).toMatchObject({ delayMs: 200 });
    expect(linkRules(f, 'n1', 'n2')).toMatchObject({ delayMs: 0 });
  });

  it('several delays add, ms and jitter alike', () => {
    const f = active({ kind: 'delay', ms: 100, jitterMs: 10 }, { kind: 'delay', to: 'n1', ms: 50, jitterMs: 20 });
    expect(linkRules(f, 'n2', 'n1')).toMatchObject({ delayMs: 150, jitterMs: 30 });
    expect(linkRules(f, 'n1', 'n2')).toMatchObject({ delayMs: 100, jitterMs: 10 });
  });

  it('a message is delayed by ms ± jitter, never by less than nothing', () => {
    const rules = linkRules(active({ kind: 'delay', ms: 200, jitterMs: 50 }), 'n1', 'n2');
    expect(messageFate(rules, draws(0))).toEqual({ lost: false, extraMs: [150] });
    expect(messageFate(rules, draws(0.5))).toEqual({ lost: false, extraMs: [200] });
    expect(messageFate(rules, draws(0.999))).toMatchObject({ extraMs: [expect.closeTo(250, 0)] });
  });

  it('losses combine as 1 − Π(1 − rate), and a lost message names the loss that took it', () => {
    const f = active({ kind: 'loss', rate: 0.5 }, { kind: 'loss', from: 'n1', rate: 0.2 });
    const rules = linkRules(f, 'n1', 'n2');
    expect(rules.lossRate).toBeCloseTo(0.6);
    expect(messageFate(rules, draws(0.7, 0.1))).toEqual({ lost: true, by: f[1]!.id, reason: `lost to ${f[1]!.id} (20% of messages)` });
    expect(messageFate(rules, draws(0.7, 0.9))).toEqual({ lost: false, extraMs: [0] });
    expect(linkRules(f, 'n2', 'n1').lossRate).toBeCloseTo(0.5);
  });

  it('losses reach client requests and the registry; duplicates only messages between nodes', () => {
    const f = active({ kind: 'loss', rate: 0.3 }, { kind: 'duplicate', rate: 0.4 });
    expect(linkRules(f, 'client', 'n1')).toMatchObject({ kind: 'client', lossRate: 0.3, duplicateRate: 0 });
    expect(linkRules(f, 'n1', 'registry')).toMatchObject({ kind: 'registry', lossRate: 0.3, duplicateRate: 0 });
    expect(linkRules(f, 'n1', 'n2')).toMatchObject({ kind: 'peer', duplicateRate: 0.4 });
  });

  it('a duplicated message arrives twice, each copy delayed on its own', () => {
    const rules = linkRules(active({ kind: 'duplicate', rate: 0.5 }, { kind: 'delay', ms: 10, jitterMs: 10 }), 'n1', 'n2');
    expect(messageFate(rules, draws(0.2, 0, 0.5))).toEqual({ lost: false, extraMs: [0, 10] });
    expect(messageFate(rules, draws(0.8, 1))).toMatchObject({ extraMs: [expect.any(Number)] });
  });

  it('a link no fault touches draws no randomness, so a seeded run stays the same where faults are not', () => {
    const f = active({ kind: 'loss', from: 'n1', rate: 0.5 }, { kind: 'delay', to: 'n1', ms: 5, jitterMs: 5 });
    expect(messageFate(linkRules(f, 'n2', 'n3'), draws())).toEqual({ lost: false, extraMs: [0] });
    expect(messageFate(linkRules([], 'n2', 'n3'), draws())).toEqual({ lost: false, extraMs: [0] });
  });
});

describe('links', () => {
  it('are between nodes, a client and a node, or the registry and a node', () => {
    expect(linkKind('n1', 'n2')).toBe('peer');
    expect(linkKind('c3', 'n2')).toBe('client');
    expect(linkKind('n2', 'client')).toBe('client');
    expect(linkKind('n2', 'registry')).toBe('registry');
  });
});

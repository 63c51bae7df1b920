import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '@clusterlab/shared/history';
import { compareClients, timeScale, laneLayout, nextOp, opDetails, opShortLabel, tickStep } from './historyDiagram';

let nextId = 0;
const op = (o: Partial<HistoryOp>): HistoryOp => ({ id: nextId++, client: 'c1', kind: 'write', key: 'k0', value: 'v', invokeMs: 0, completeMs: 10, outcome: 'ok', ...o });


describe('the diagram’s time axis', () => {
  const a = op({ client: 'c1', invokeMs: 0, completeMs: 3 });
  const b = op({ client: 'c2', invokeMs: 2, completeMs: 3000 });
  const c = op({ client: 'c1', invokeMs: 2990, completeMs: 2995 });
  const layout = laneLayout([a, b, c]);
  it('in real time, is proportional', () => {
    const x = timeScale(layout, 'time');
    expect([x(0), x(1500), x(3000)]).toEqual([0, 0.5, 1]);
  });
  it('in event order, gives each invocation and answer the same room, keeping their order', () => {
    const x = timeScale(layout, 'order');
    // Instants 0, 2, 3, 2990, 2995, 3000: five equal steps.
    expect([0, 2, 3, 2990, 2995, 3000].map(x)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(x(2.5)).toBeCloseTo(0.3);
    // A 3 ms op among seconds is as wide as any other step.
    expect(x(3) - x(0)).toBeCloseTo(0.4);
  });
});

describe('lane layout', () => {
  it('gives each client a lane, in counting order', () => {
    expect(['c10', 'c2', 'c1'].sort(compareClients)).toEqual(['c1', 'c2', 'c10']);
    const layout = laneLayout([op({ client: 'c10' }), op({ client: 'c2' }), op({ client: 'c2', invokeMs: 20, completeMs: 30 })]);
    expect(layout.lanes.map((l) => l.client)).toEqual(['c2', 'c10']);
    expect(layout.totalRows).toBe(2);
  });

  it('runs an unanswered op to the end of the view, in a row of its own while the client goes on', () => {
    const lost = op({ client: 'c1', invokeMs: 0, completeMs: null, outcome: 'unknown' });
    const next = op({ client: 'c1', invokeMs: 100, completeMs: 150 });
    const then = op({ client: 'c1', invokeMs: 200, completeMs: 250 });
    const other = op({ client: 'c2', invokeMs: 0, completeMs: 40 });
    const layout = laneLayout([lost, next, then, other]);
    const where = Object.fromEntries(layout.ops.map((p) => [p.op.id, [p.lane, p.row, p.toMs, p.open]]));
    expect(where[lost.id]).toEqual([0, 0, 250, true]);
    expect(where[next.id]).toEqual([0, 1, 150, false]);
    expect(where[then.id]).toEqual([0, 1, 250, false]);
    expect(layout.lanes).toEqual([
      { client: 'c1', rows: 2, firstRow: 0 },
      { client: 'c2', rows: 1, firstRow: 2 },
    ]);
  });

  it('moves between ops with the arrow keys', () => {
    const a = op({ client: 'c1', invokeMs: 0, completeMs: 10 });
    const b = op({ client: 'c1', invokeMs: 20, completeMs: 30 });
    const c = op({ client: 'c2', invokeMs: 18, completeMs: 25 });
    const layout = laneLayout([a, b, c]);
    expect(nextOp(layout, a.id, 'ArrowRight')).toBe(c.id);
    expect(nextOp(layout, c.id, 'ArrowRight')).toBe(b.id);
    expect(nextOp(layout, b.id, 'ArrowDown')).toBe(c.id);
    expect(nextOp(layout, c.id, 'ArrowDown')).toBe(c.id);
    expect(nextOp(layout, null, 'ArrowLeft')).toBe(a.id);
    expect(nextOp(layout, a.id, 'x')).toBeNull();
  });
});

describe('an op in words', () => {
  it('says what it did, how it ended and when', () => {
    const read = op({ id: 7, client: 'c3', kind: 'read', key: 'k1', value: 'v2', invokeMs: 1200, completeMs: 1265, node: 'n2', reply: '200 from n2' });
    expect(opDetails(read)).toEqual([
      ['Operation', '#7 by c3: read k1 → "v2"'],
      ['Outcome', 'ok: acknowledged'],
      ['Invoked', '1.200 s'],
      ['Completed', '1.265 s (65 ms later)'],
      ['Node', 'n2'],
      ['Reply', '200 from n2'],
    ]);
    expect(opShortLabel(read)).toBe('R v2');
    expect(opShortLabel(op({ kind: 'read', value: null }))).toBe('R ∅');
    expect(opShortLabel(op({ kind: 'cas', value: 'v3', expected: 'v2' }))).toBe('C v3');
    expect(opDetails(op({ id: 8, client: 'c1', kind: 'cas', key: 'k1', value: 'v3', expected: null }))[0]).toEqual(['Operation', '#8 by c1: cas k1 absent → "v3"']);
    expect(opDetails(op({ completeMs: null, outcome: 'unknown' }))[3]).toEqual(['Completed', 'never answered']);
  });
  it('ticks at round steps', () => {
    expect(tickStep(1000)).toBe(200);
    expect(tickStep(30_000)).toBe(5000);
  });
});

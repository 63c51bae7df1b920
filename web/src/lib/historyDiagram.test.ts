import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '@clusterlab/shared/history';
import type { WorkloadVerdict } from '@clusterlab/shared/workloads';
import { compareClients, findings, timeScale, laneLayout, MAX_DIAGRAM_OPS, neighbourhood, nextOp, opDetails, opShortLabel, opsForFinding, sampleFinding, tickStep } from './historyDiagram';

let nextId = 0;
const op = (o: Partial<HistoryOp>): HistoryOp => ({ id: nextId++, client: 'c1', kind: 'write', key: 'k0', value: 'v', invokeMs: 0, completeMs: 10, outcome: 'ok', ...o });

const verdict = (v: Partial<WorkloadVerdict>): WorkloadVerdict => ({
  linearizable: false,
  outcome: 'not-linearizable',
  lostWrites: 0,
  staleReads: 0,
  divergentReplicas: 0,
  summary: '',
  sentences: [],
  keys: [],
  anomalies: [],
  notes: [],
  finalReads: [],
  checkMs: 1,
  ...v,
});

describe('findings', () => {
  it('list the violated keys first, then each anomaly, with the operations each names', () => {
    const list = findings(
      verdict({
        keys: [
          { key: 'k1', verdict: 'linearizable', ops: 9, ms: 1 },
          { key: 'k2', verdict: 'not-linearizable', ops: 9, ms: 1, explanation: 'read v1 after v2 was acknowledged', witnessOpIds: [4, 7], culpritOpId: 9 },
        ],
        anomalies: [
          { kind: 'lost-write', key: 'k3', opId: 12, relatedOpIds: [], sentence: 'the write of v5 was acknowledged, then lost' },
          { kind: 'divergent-replicas', key: 'k4', opId: null, relatedOpIds: [20, 21], sentence: 'n1 and n2 disagree' },
        ],
      }),
    );
    expect(list.map((f) => [f.title, f.opIds, f.primaryOpId])).toEqual([
      ['k2: not linearizable', [4, 7, 9], 9],
      ['k3: acknowledged write lost', [12], 12],
      ['k4: replicas diverge', [20, 21], null],
    ]);
    expect(list[0]!.sentence).toBe('read v1 after v2 was acknowledged');
  });
  it('are none for a clean verdict', () => {
    expect(findings(verdict({ linearizable: true, keys: [{ key: 'k1', verdict: 'linearizable', ops: 3, ms: 1 }] }))).toEqual([]);
  });
});

describe('the neighbourhood of a witness', () => {
  it('holds the witness and the same key’s ops that overlap its span, not other keys or far ops', () => {
    const w1 = op({ invokeMs: 100, completeMs: 120 });
    const w2 = op({ invokeMs: 200, completeMs: 230 });
    const overlapping = op({ invokeMs: 110, completeMs: 300 });
    const before = op({ invokeMs: 0, completeMs: 50 });
    const after = op({ invokeMs: 400, completeMs: 410 });
    const otherKey = op({ key: 'k9', invokeMs: 150, completeMs: 160 });
    const unanswered = op({ invokeMs: 10, completeMs: null, outcome: 'unknown' });
    const shown = neighbourhood([before, w1, overlapping, w2, after, otherKey, unanswered], [w2.id, w1.id]);
    expect(shown.map((o) => o.id)).toEqual([unanswered.id, w1.id, overlapping.id, w2.id]);
  });

  it('under its cap, keeps what surrounds each witness op rather than the start of their span', () => {
    const history = Array.from({ length: 1000 }, (_, i) => op({ invokeMs: i * 10, completeMs: i * 10 + 5 }));
    const shown = neighbourhood(history, [history[0]!.id, history[999]!.id], 10);
    expect(shown.map((o) => o.invokeMs)).toEqual([0, 10, 20, 30, 40, 9950, 9960, 9970, 9980, 9990]);
  });

  it('stays within its cap for a long history, keeping every witness op', () => {
    const history = Array.from({ length: 20_000 }, (_, i) => op({ client: `c${i % 10}`, invokeMs: i, completeMs: i + 50 }));
    const witness = [history[5000]!.id, history[9000]!.id];
    const shown = neighbourhood(history, witness);
    expect(shown.length).toBe(MAX_DIAGRAM_OPS);
    expect(shown.map((o) => o.id)).toEqual(expect.arrayContaining(witness));
  });

  it('is empty when the ids are not in the history', () => {
    expect(neighbourhood([op({})], [123456])).toEqual([]);
  });

  it('for a clean run, samples the busiest key around the first fault', () => {
    const history = Array.from({ length: 100 }, (_, i) => op({ key: i % 3 === 0 ? 'k1' : 'k2', invokeMs: i * 100, completeMs: i * 100 + 20 }));
    const sample = sampleFinding(history, [{ fromMs: 5000, toMs: 6000 }], 10)!;
    const ops = opsForFinding(history, sample);
    expect(sample.key).toBe('k2');
    expect(ops).toHaveLength(10);
    expect(ops.every((o) => o.key === 'k2')).toBe(true);
    expect(ops[0]!.invokeMs).toBeLessThan(5000);
    expect(ops.at(-1)!.invokeMs).toBeGreaterThan(5000);
  });
});

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

describe('a finding that names no operation', () => {
  it('draws its key’s last operations', () => {
    const history = Array.from({ length: 100 }, (_, i) => op({ key: i % 2 ? 'k1' : 'k2', invokeMs: i, completeMs: i + 1 }));
    const ops = opsForFinding(history, { id: 'anomaly:0', kind: 'divergent-replicas', key: 'k1', title: '', sentence: '', opIds: [], primaryOpId: null });
    expect(ops).toHaveLength(40);
    expect(ops.every((o) => o.key === 'k1')).toBe(true);
    expect(ops.at(-1)!.invokeMs).toBe(99);
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
    expect(opDetails(op({ completeMs: null, outcome: 'unknown' }))[3]).toEqual(['Completed', 'never answered']);
  });
  it('ticks at round steps', () => {
    expect(tickStep(1000)).toBe(200);
    expect(tickStep(30_000)).toBe(5000);
  });
});

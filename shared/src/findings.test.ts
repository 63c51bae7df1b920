import { describe, expect, it } from 'vitest';
import type { HistoryOp } from './history';
import type { WorkloadVerdict } from './workloads';
import { findings, MAX_DIAGRAM_OPS, neighbourhood, opsForFinding, sampleFinding } from './findings';

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

describe('a finding that names no operation', () => {
  it('draws its key’s last operations', () => {
    const history = Array.from({ length: 100 }, (_, i) => op({ key: i % 2 ? 'k1' : 'k2', invokeMs: i, completeMs: i + 1 }));
    const ops = opsForFinding(history, { id: 'anomaly:0', kind: 'divergent-replicas', key: 'k1', title: '', sentence: '', opIds: [], primaryOpId: null });
    expect(ops).toHaveLength(40);
    expect(ops.every((o) => o.key === 'k1')).toBe(true);
    expect(ops.at(-1)!.invokeMs).toBe(99);
  });
});


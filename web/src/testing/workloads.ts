import type { HistoryOp } from '@clusterlab/shared/history';
import type { WorkloadFault, WorkloadSample, WorkloadVerdict, WorkloadView } from '@clusterlab/shared/workloads';

/*
 * A made-up but plausible workload run for trying the panel without a cluster: 10 clients for
 * 30 s on 10 keys, the leader killed at 8 s and restarted at 14 s, a loss fault that did not
 * bite, and a verdict with a non-linearizable key, a lost write and a stale read.
 * Deterministic (a fixed PRNG), so screenshots of it compare.
 */

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function fixtureRun(opts: { id?: string; state?: WorkloadView['state']; untilMs?: number } = {}): { view: WorkloadView; history: HistoryOp[] } {
  const id = opts.id ?? 'w1';
  const durationMs = 30_000;
  const until = opts.untilMs ?? durationMs;
  const rand = prng(7);
  const killFrom = 8000;
  const killTo = 14_000;
  const history: HistoryOp[] = [];
  let nextId = 1;
  const lastValue = new Map<string, string>();
  for (let c = 1; c <= 10; c++) {
    let t = rand() * 20;
    let n = 0;
    while (t < until) {
      const key = `${id}-k${Math.floor(rand() * 10)}`;
      const write = rand() < 0.5;
      const inOutage = t >= killFrom && t < killFrom + 900;
      const latency = inOutage ? 600 + rand() * 400 : 2 + rand() * 6 + (rand() < 0.02 ? 40 : 0);
      const unknown = inOutage && rand() < 0.3;
      const fail = !unknown && inOutage;
      const value = write ? `c${c}-${++n}` : (lastValue.get(key) ?? null);
      if (write && !fail && !unknown) lastValue.set(key, value!);
      history.push({
        id: nextId++,
        client: `c${c}`,
        kind: write ? 'write' : 'read',
        key,
        value,
        invokeMs: Math.round(t * 10) / 10,
        completeMs: unknown ? null : Math.round((t + latency) * 10) / 10,
        outcome: unknown ? 'unknown' : fail ? 'fail' : 'ok',
        node: t < killFrom ? 'n1' : 'n3',
        reply: unknown ? 'no answer in 1000 ms' : fail ? '503: no leader' : write ? `200 at index ${nextId * 2}` : '200',
      });
      t += latency + (unknown ? 1000 : 0) + rand() * 3;
    }
  }
  history.sort((a, b) => a.invokeMs - b.invokeMs);

  const series: WorkloadSample[] = [];
  for (let s = 1; s * 1000 <= until; s++) {
    const inSecond = history.filter((op) => op.completeMs !== null && op.completeMs > (s - 1) * 1000 && op.completeMs <= s * 1000);
    const lat = inSecond.map((op) => op.completeMs! - op.invokeMs).sort((a, b) => a - b);
    const q = (p: number) => (lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! * 10) / 10 : null);
    const unknownNow = history.filter((op) => op.outcome === 'unknown' && op.invokeMs > (s - 1) * 1000 && op.invokeMs <= s * 1000).length;
    series.push({ t: s * 1000, ok: inSecond.filter((op) => op.outcome === 'ok').length, errors: inSecond.filter((op) => op.outcome === 'fail').length + unknownNow, p50: q(0.5), p99: q(0.99) });
  }

  const faults: WorkloadFault[] = [
    { id: null, fault: { kind: 'kill', node: 'n1' }, description: 'n1 (the leader) killed', fromMs: killFrom, toMs: until >= killTo ? killTo : null, bit: true, effect: '212 operations failed or went unanswered until n3 took over, 0.9 s later.' },
    { id: 'loss-1', fault: { kind: 'loss', rate: 0.2, from: 'n2', to: 'n4' }, description: '20% of what n2 sends n4 is lost', fromMs: 18_000, toMs: until >= 24_000 ? 24_000 : null, bit: false, effect: 'n2 and n4 exchanged no message while it held: it touched nothing.' },
  ];

  const k3 = history.filter((op) => op.key === `${id}-k3` && op.invokeMs > killFrom - 300 && op.invokeMs < killFrom + 1500);
  const witness = k3.filter((op) => op.outcome !== 'fail').slice(0, 4).map((op) => op.id);
  const lost = history.find((op) => op.kind === 'write' && op.outcome === 'ok' && op.invokeMs > killFrom - 50)!;
  const stale = history.find((op) => op.kind === 'read' && op.outcome === 'ok' && op.invokeMs > killFrom + 950)!;
  const overwrote = history.find((op) => op.kind === 'write' && op.key === stale.key && op.outcome === 'ok' && op.invokeMs < stale.invokeMs && op.invokeMs > killFrom - 2000);
  const verdict: WorkloadVerdict = {
    linearizable: false,
    outcome: 'not-linearizable',
    lostWrites: 1,
    staleReads: 1,
    divergentReplicas: 0,
    summary: 'Not linearizable: 1 of 10 keys, 1 acknowledged write lost, 1 stale read',
    sentences: [
      `${id}-k3: no order of its ${k3.length} operations around the failover fits what the clients saw: a read returned a value written after a later write was acknowledged.`,
      `The write of ${JSON.stringify(lost.value)} to ${lost.key} by ${lost.client} was acknowledged at ${(lost.completeMs! / 1000).toFixed(3)} s, but no node holds it after the run.`,
      `${stale.client} read ${JSON.stringify(stale.value)} from ${stale.key} at ${(stale.invokeMs / 1000).toFixed(3)} s, after a newer write had been acknowledged.`,
    ],
    keys: Array.from({ length: 10 }, (_, i) => ({
      key: `${id}-k${i}`,
      verdict: i === 3 ? ('not-linearizable' as const) : ('linearizable' as const),
      ops: history.filter((op) => op.key === `${id}-k${i}`).length,
      ms: 3 + i,
      ...(i === 3 ? { explanation: `No order of these ${witness.length} operations on ${id}-k3 fits what the clients saw.`, witnessOpIds: witness, culpritOpId: witness.at(-1)! } : {}),
    })),
    anomalies: [
      { kind: 'lost-write', key: lost.key, opId: lost.id, relatedOpIds: [], sentence: `The acknowledged write of ${JSON.stringify(lost.value)} to ${lost.key} is on no node after the run.` },
      { kind: 'stale-read', key: stale.key, opId: stale.id, relatedOpIds: overwrote ? [overwrote.id] : [], sentence: `${stale.client}'s read of ${stale.key} returned ${JSON.stringify(stale.value)}, older than an acknowledged write.` },
    ],
    notes: [],
    finalReads: [],
    checkMs: 84,
  };
  const count = (kind: HistoryOp['kind'], outcome: HistoryOp['outcome']) => history.filter((op) => op.kind === kind && op.outcome === outcome).length;
  const counts = Object.fromEntries((['read', 'write', 'delete', 'cas'] as const).map((k) => [k, { ok: count(k, 'ok'), fail: count(k, 'fail'), unknown: count(k, 'unknown') }])) as WorkloadView['counts'];
  const state = opts.state ?? 'done';
  const view: WorkloadView = {
    id,
    spec: { kind: 'registers', clients: 10, durationMs, keys: 10, mix: { read: 1, write: 1, delete: 0, cas: 0 }, read: 'local', through: 'leader' },
    state,
    startedAt: 1_780_000_000_000,
    endedAt: state === 'running' ? null : 1_780_000_000_000 + until,
    stopReason: null,
    counts,
    latency: { all: { p50: 4.1, p90: 7.2, p99: 48, max: 1003, count: history.length }, read: null, write: null },
    series,
    faults,
    interim: null,
    verdict: state === 'done' || state === 'stopped' ? verdict : null,
    error: null,
  };
  return { view, history };
}

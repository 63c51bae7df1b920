import type { History, LatencySummary, WorkloadCounts, WorkloadSample } from '@clusterlab/shared';

/**
 * A run's figures as it goes: completions per second (ok, and failed or unknown) with that
 * second's latency percentiles, for the chart and the stream. A second is closed once, when
 * the clock passes it; only its latencies are held until then, so memory is one second's worth.
 */
export class ProgressMeter {
  readonly series: WorkloadSample[] = [];
  private open = { second: 0, ok: 0, errors: 0, latencies: [] as number[] };

  /** `atMs` is ms since the run began; `latencyMs` is null for an op that ended unknown (it never completed). */
  record(atMs: number, ok: boolean, latencyMs: number | null): void {
    this.closeUpTo(atMs);
    if (ok) this.open.ok++;
    else this.open.errors++;
    if (latencyMs !== null) this.open.latencies.push(latencyMs);
  }

  /** Closes every second that ended by `nowMs`. */
  closeUpTo(nowMs: number): void {
    while (nowMs >= (this.open.second + 1) * 1000) {
      const { second, ok, errors, latencies } = this.open;
      const sorted = latencies.sort((a, b) => a - b);
      const sample: WorkloadSample = { t: (second + 1) * 1000, ok, errors, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
      this.series.push(sample);
      this.open = { second: second + 1, ok: 0, errors: 0, latencies: [] };
    }
  }

  /** The part-second at the end of a run, if anything completed in it, stamped at `endMs`. */
  finish(endMs: number): void {
    this.closeUpTo(endMs);
    const { ok, errors, latencies } = this.open;
    if (ok + errors === 0) return;
    const sorted = latencies.sort((a, b) => a - b);
    this.series.push({ t: Math.round(endMs), ok, errors, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) });
    this.open = { second: Number.POSITIVE_INFINITY, ok: 0, errors: 0, latencies: [] };
  }
}

export function countHistory(history: History): WorkloadCounts {
  const zero = () => ({ ok: 0, fail: 0, unknown: 0 });
  const counts: WorkloadCounts = { read: zero(), write: zero(), delete: zero() };
  for (const op of history) counts[op.kind][op.outcome]++;
  return counts;
}

/** Latency of the ops that completed (ok or fail), overall and for reads and for writes and deletes. */
export function latencyOf(history: History): { all: LatencySummary; read: LatencySummary; write: LatencySummary } {
  const all: number[] = [];
  const read: number[] = [];
  const write: number[] = [];
  for (const op of history) {
    if (op.completeMs === null) continue;
    const ms = op.completeMs - op.invokeMs;
    all.push(ms);
    (op.kind === 'read' ? read : write).push(ms);
  }
  return { all: summary(all), read: summary(read), write: summary(write) };
}

function summary(latencies: number[]): LatencySummary {
  if (latencies.length === 0) return null;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5)!,
    p90: percentile(sorted, 0.9)!,
    p99: percentile(sorted, 0.99)!,
    max: Math.round(sorted[sorted.length - 1]! * 10) / 10,
    count: sorted.length,
  };
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms; null for none. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return Math.round(value * 10) / 10;
}

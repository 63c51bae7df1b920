import type { HistoryOp, LatencySummary, WorkloadSample } from '@clusterlab/shared';

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


/**
 * Latency of completed ops, kept as it comes in buckets 1% wide (log-scale), so a view of a run
 * of a million ops costs the same as one of ten: percentiles are read to within 1%, and the
 * maximum exactly. A page asks once a second while the run goes on; sorting every latency
 * each time would not scale.
 */
export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  private count = 0;
  private max = 0;

  add(ms: number): void {
    const bucket = Math.floor(Math.log1p(Math.max(0, ms)) / LOG_STEP);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    this.count++;
    this.max = Math.max(this.max, ms);
  }

  summary(): LatencySummary {
    if (this.count === 0) return null;
    const order = [...this.buckets.keys()].sort((a, b) => a - b);
    const at = (p: number): number => {
      const rank = Math.max(1, Math.ceil(p * this.count));
      let seen = 0;
      for (const bucket of order) {
        seen += this.buckets.get(bucket)!;
        // The bucket's middle, and never above the largest latency seen.
        if (seen >= rank) return round(Math.min(this.max, Math.expm1((bucket + 0.5) * LOG_STEP)));
      }
      return round(this.max);
    };
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(this.max), count: this.count };
  }
}

const LOG_STEP = Math.log(1.01);

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Overall, reads, and writes with deletes. */
export class LatencyBook {
  private readonly all = new LatencyHistogram();
  private readonly read = new LatencyHistogram();
  private readonly write = new LatencyHistogram();

  add(kind: HistoryOp['kind'], ms: number): void {
    this.all.add(ms);
    (kind === 'read' ? this.read : this.write).add(ms);
  }

  summary(): { all: LatencySummary; read: LatencySummary; write: LatencySummary } {
    return { all: this.all.summary(), read: this.read.summary(), write: this.write.summary() };
  }
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms; null for none. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return Math.round(value * 10) / 10;
}

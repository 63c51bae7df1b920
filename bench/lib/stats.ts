import type autocannon from 'autocannon';

/** Summaries for repeated measurements; medians because these machines are shared and noisy. */
export type Summary = { n: number; min: number; median: number; max: number };

export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new Error('nothing to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: sorted.length, min: sorted[0]!, median, max: sorted.at(-1)! };
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function fmtSummary(s: Summary, unit: (v: number) => string = fmtMs): string {
  return `min ${unit(s.min)} · median ${unit(s.median)} · max ${unit(s.max)} (n=${s.n})`;
}

/** Poll `fn` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function poll<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 5): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** What one autocannon run of writes measured, in the figures every table here prints. */
export type WriteFigures = { writesPerSec: number; acknowledged: number; non2xx: number; errors: number; p50Ms: number; p99Ms: number };

export function writeFigures(r: autocannon.Result, durationS: number): WriteFigures {
  return {
    writesPerSec: r['2xx'] / durationS,
    acknowledged: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
  };
}

import type { WorkloadFault, WorkloadSample } from '@clusterlab/shared/workloads';

/*
 * The workload chart's data, apart from uPlot: columns of per-second samples, and the faults
 * in force as bands over the same time axis, stacked in rows so that overlapping faults'
 * labels do not cover each other.
 */

/** uPlot's aligned columns: x (s since the run began), then ok/s, errors/s, p50, p99 (ms; null = no op completed). */
export type ChartColumns = [number[], number[], number[], (number | null)[], (number | null)[]];

/** A sample shorter than this (the run's last, cut short) gives no honest rate: 20 ops in 50 ms is not 400/s. */
export const MIN_RATE_SPAN_MS = 500;

export function chartColumns(series: readonly WorkloadSample[]): ChartColumns {
  const sorted = [...series].sort((a, b) => a.t - b.t);
  // The last partial second, if too short for a rate, is left off (its ops are in the counts).
  const last = sorted.at(-1);
  const before = sorted.at(-2)?.t ?? 0;
  if (last && sorted.length > 1 && last.t - before < MIN_RATE_SPAN_MS) sorted.pop();
  // Each sample covers the second before its `t`; a rate is ops in the sample / its length in s.
  const cols: ChartColumns = [[], [], [], [], []];
  let prevT = 0;
  for (const s of sorted) {
    const spanS = Math.max(0.001, (s.t - prevT) / 1000);
    cols[0].push(s.t / 1000);
    cols[1].push(round1(s.ok / spanS));
    cols[2].push(round1(s.errors / spanS));
    cols[3].push(s.p50);
    cols[4].push(s.p99);
    prevT = s.t;
  }
  return cols;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export type FaultBand = {
  /** A stable key and a short mark (①, ②, …) that ties the band on the canvas to its line in the list. */
  key: string;
  mark: string;
  label: string;
  fromS: number;
  toS: number;
  /** It outlasted the run (or the run is still going): the band runs to the chart's end. */
  open: boolean;
  bit: boolean | null;
  /** Which row of labels it takes: 0 at the top, 1 under it, …, so overlapping labels never collide. */
  row: number;
};

const MARKS = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';
export const mark = (i: number) => MARKS[i] ?? `(${i + 1})`;

/** At most this many label rows; further overlaps share the last row. */
export const MAX_BAND_ROWS = 2;

type BandInput = Pick<WorkloadFault, 'description' | 'fromMs' | 'toMs'> & { id: string | null; bit?: boolean };

/**
 * One band per fault, from its start to its heal (or `endMs` if it outlasted the run), in the
 * order they began. A label needs `minLabelS` of room: a band starting closer than that after
 * another in its row goes to the next row.
 */
export function faultBands(faults: readonly BandInput[], endMs: number, minLabelS = 0): FaultBand[] {
  const ordered = faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.fromMs - b.f.fromMs || a.i - b.i);
  const rowEnds: number[] = [];
  return ordered.map(({ f, i }) => {
    const fromS = Math.max(0, f.fromMs) / 1000;
    const toS = Math.max(fromS, (f.toMs ?? endMs) / 1000);
    const labelEnd = Math.max(toS, fromS + minLabelS);
    let row = rowEnds.findIndex((end) => end <= fromS);
    if (row === -1) row = Math.min(rowEnds.length, MAX_BAND_ROWS - 1);
    rowEnds[row] = Math.max(rowEnds[row] ?? 0, labelEnd);
    return { key: `${f.id ?? 'p'}-${i}`, mark: mark(i), label: f.description, fromS, toS, open: f.toMs === null, bit: f.bit ?? null, row };
  });
}

/** "3.2 s", "12 s": times on the run's clock, as the chart's axis shows them. */
export function formatRunTime(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

/** The span a fault covers, in words: "from 3.2 s to 6.0 s", "from 3.2 s to the end". */
export function faultSpan(f: Pick<WorkloadFault, 'fromMs' | 'toMs'>, running = false): string {
  return `from ${formatRunTime(f.fromMs)} ${f.toMs === null ? (running ? 'on (still in force)' : 'to the end') : `to ${formatRunTime(f.toMs)}`}`;
}

/** What the chart shows, for a screen reader: peaks, and the faults it shades. */
export function describeChart(series: readonly WorkloadSample[], faults: readonly Pick<WorkloadFault, 'description' | 'fromMs' | 'toMs'>[]): string {
  if (series.length === 0) return 'No samples yet.';
  const cols = chartColumns(series);
  const peak = Math.max(...cols[1]);
  const errors = cols[2].reduce((a, b) => a + b, 0);
  const p99s = cols[4].filter((v): v is number => v !== null);
  const parts = [`${series.length} s of samples; throughput peaked at ${peak} ok ops/s`, errors > 0 ? `errors in ${cols[2].filter((e) => e > 0).length} of those seconds` : 'no errors'];
  if (p99s.length > 0) parts.push(`p99 latency up to ${Math.max(...p99s)} ms`);
  let text = `${parts.join('; ')}.`;
  if (faults.length > 0) text += ` Faults shaded: ${faults.map((f) => `${f.description} (${faultSpan(f)})`).join('; ')}.`;
  return text;
}

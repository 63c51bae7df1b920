import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { WorkloadFault, WorkloadSample } from '@clusterlab/shared/workloads';
import { useCssColors } from '../hooks/useCssColors';
import { useWidth } from '../hooks/useWidth';
import { chartColumns, describeChart, faultBands, MAX_BAND_ROWS, type FaultBand } from '../lib/workloadChart';

const HEIGHT = 150;
/** Room above the plot for the fault labels: MAX_BAND_ROWS lines, always, so a new fault does not resize the chart. */
const LABEL_LINE_PX = 14;
const LABEL_ROOM_PX = MAX_BAND_ROWS * LABEL_LINE_PX + 4;
/** A log scale has no 0: a latency that rounds to 0 ms is drawn at this. */
const MIN_LATENCY_MS = 0.1;
const COLOR_VARS = { ok: 'var(--ok)', bad: 'var(--bad)', p50: 'var(--accent)', p99: 'var(--warn)', text: 'var(--text)', muted: 'var(--muted)', border: 'var(--border)', fault: 'var(--fam-fault)', panel: 'var(--panel)' };
type Colors = Record<keyof typeof COLOR_VARS, string>;

type Props = {
  series: readonly WorkloadSample[];
  faults: readonly WorkloadFault[];
  /** The run's planned length: the x axis spans it from the start, so the chart does not rescale as samples arrive. */
  durationMs: number;
  running: boolean;
};

/**
 * Throughput (ok and errors per second) above latency (p50, p99), sharing a time axis, with
 * every fault in force shaded from its start to its heal (or the end) and labelled on the top
 * chart; the list under the charts (WorkloadFaultList) says the same in words.
 */
export function WorkloadChart({ series, faults, durationMs, running }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>(800);
  const colors = useCssColors(COLOR_VARS);
  const cols = useMemo(() => chartColumns(series), [series]);
  const lastS = cols[0].at(-1) ?? 0;
  const endS = Math.max(durationMs / 1000, lastS);
  const bands = useMemo(() => faultBands(faults, running ? lastS * 1000 : endS * 1000, endS / 8), [faults, running, lastS, endS]);
  const described = useMemo(() => describeChart(series, faults), [series, faults]);
  return (
    <div ref={ref} className="wl-chart">
      <div role="img" aria-label={`Throughput over time. ${described}`}>
        <Plot kind="throughput" width={width} colors={colors} cols={cols} bands={bands} endS={endS} />
      </div>
      <div role="img" aria-label="Latency over time, p50 and p99, with the same faults shaded.">
        <Plot kind="latency" width={width} colors={colors} cols={cols} bands={bands} endS={endS} />
      </div>
    </div>
  );
}

type PlotProps = { kind: 'throughput' | 'latency'; width: number; colors: Colors | null; cols: ReturnType<typeof chartColumns>; bands: FaultBand[]; endS: number };

function Plot({ kind, width, colors, cols, bands, endS }: PlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The hooks read these at draw time, so new bands or a longer axis need no new chart.
  const live = useRef({ bands, endS });
  live.current = { bands, endS };
  const floor = (xs: (number | null)[]) => xs.map((v) => (v === null ? null : Math.max(MIN_LATENCY_MS, v)));
  const data = (kind === 'throughput' ? [cols[0], cols[1], cols[2]] : [cols[0], floor(cols[3]), floor(cols[4])]) as uPlot.AlignedData;

  useEffect(() => {
    if (!host.current || !colors) return;
    const u = new uPlot(options(kind, Math.max(200, width), colors, live), data, host.current);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
    // A new theme makes a new chart; data and size are pushed into the one there is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, colors]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [cols, bands, endS]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    plot.current?.setSize({ width: Math.max(200, width), height: HEIGHT });
  }, [width]);

  return <div ref={host} className="wl-chart__plot" style={{ height: HEIGHT + 28 }} />;
}

function options(kind: PlotProps['kind'], width: number, c: Colors, live: { current: { bands: FaultBand[]; endS: number } }): uPlot.Options {
  const axis = (label: string, unit: string): uPlot.Axis => ({
    label,
    labelSize: 14,
    labelFont: '11px system-ui, sans-serif',
    font: '11px system-ui, sans-serif',
    stroke: c.muted,
    size: 58,
    grid: { stroke: c.border, width: 1 },
    ticks: { stroke: c.border, width: 1 },
    // uPlot hands null for a tick it leaves unlabelled (too close to the last).
    values: (_u, vals) => vals.map((v) => (v === null || v === undefined ? '' : `${v}${unit}`)),
  });
  const value = (unit: string, digits = 0) => (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : `${v.toFixed(digits)}${unit}`);
  const series: uPlot.Series[] =
    kind === 'throughput'
      ? [
          { label: 'time', value: value(' s', 1) },
          { label: 'ok ops/s', stroke: c.ok, width: 2, fill: withAlpha(c.ok, 0.12), value: value('/s'), points: { show: false } },
          { label: 'errors/s', stroke: c.bad, width: 2, value: value('/s'), points: { show: false } },
        ]
      : [
          { label: 'time', value: value(' s', 1) },
          { label: 'p50 latency', stroke: c.p50, width: 2, value: value(' ms'), points: { show: false }, spanGaps: false },
          { label: 'p99 latency', stroke: c.p99, width: 2, value: value(' ms'), points: { show: false }, spanGaps: false },
        ];
  return {
    width,
    height: HEIGHT,
    series,
    // Room on top for the labels of the fault bands (the latency chart shows only their marks).
    padding: [kind === 'throughput' ? LABEL_ROOM_PX : LABEL_LINE_PX + 4, 12, 0, 0],
    scales: {
      x: { time: false, range: () => [0, live.current.endS] },
      // Latency on a log scale: a failover's second-long p99 and the usual few ms both stay readable.
      y: kind === 'throughput' ? { range: (_u, _min, max) => [0, Math.max(10, max * 1.05)] } : { distr: 3, log: 10, range: (_u, min, max) => uPlot.rangeLog(Math.max(MIN_LATENCY_MS, Math.min(1, min)), Math.max(10, max), 10, true) },
    },
    axes: [
      { ...axis('', ' s'), label: undefined, size: 30 },
      kind === 'throughput' ? axis('ops/s', '') : { ...axis('latency', ' ms'), splits: decades, values: (_u, vals) => vals.map((v) => (v === null || v === undefined ? '' : v >= 1000 ? `${v / 1000} s` : `${v} ms`)) },
    ],
    cursor: { sync: { key: 'workload-chart' }, drag: { x: false, y: false } },
    legend: { show: true, live: true },
    hooks: {
      drawClear: [(u) => drawBands(u, live.current.bands, c)],
      draw: kind === 'throughput' ? [(u) => drawBandLabels(u, live.current.bands, c)] : [(u) => drawBandLabels(u, live.current.bands, c, true)],
    },
  };
}

/** Ticks and grid lines of the log axis at 0.1, 1, 10, 100, … ms only: the steps in between would crowd it. */
function decades(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(Math.max(MIN_LATENCY_MS, min))); 10 ** e <= max * 1.0001; e++) if (10 ** e >= min * 0.9999) out.push(Number((10 ** e).toPrecision(1)));
  return out;
}

/** Each fault a translucent band behind the lines, a solid edge where it began. */
function drawBands(u: uPlot, bands: readonly FaultBand[], c: Colors) {
  const { ctx, bbox } = u;
  const dpr = devicePixelRatio;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, 0, bbox.width, bbox.top + bbox.height);
  ctx.clip();
  for (const b of bands) {
    const x0 = u.valToPos(b.fromS, 'x', true);
    const x1 = u.valToPos(b.toS, 'x', true);
    // The band reaches up to its own label's line, so each label sits on the band it names.
    const top = labelY(b, bbox.top, dpr) - (LABEL_LINE_PX / 2) * dpr;
    ctx.fillStyle = withAlpha(c.fault, b.bit === false ? 0.06 : 0.13);
    ctx.fillRect(x0, top, Math.max(2 * dpr, x1 - x0), bbox.top + bbox.height - top);
    ctx.strokeStyle = withAlpha(c.fault, 0.7);
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash(b.bit === false ? [4 * dpr, 3 * dpr] : []);
    ctx.beginPath();
    ctx.moveTo(x0, top);
    ctx.lineTo(x0, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

/** The fault's mark and sentence at the top of its band (just the mark when `marksOnly`). */
function drawBandLabels(u: uPlot, bands: readonly FaultBand[], c: Colors, marksOnly = false) {
  const { ctx, bbox } = u;
  const dpr = devicePixelRatio;
  const lineH = LABEL_LINE_PX * dpr;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, 0, bbox.width, bbox.top + bbox.height);
  ctx.clip();
  ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
  // uPlot leaves the alignment of its last axis label on the context.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const b of marksOnly ? bands.map((x) => ({ ...x, row: MAX_BAND_ROWS - 1 })) : bands) {
    const x0 = u.valToPos(b.fromS, 'x', true) + 4 * dpr;
    const y = labelY(b, bbox.top, dpr);
    const text = marksOnly ? b.mark : `${b.mark} ${b.label}`;
    const maxW = bbox.left + bbox.width - x0 - 2 * dpr;
    const shown = fit(ctx, text, maxW);
    const w = ctx.measureText(shown).width;
    ctx.fillStyle = withAlpha(c.panel, 0.85);
    ctx.fillRect(x0 - 2 * dpr, y - lineH / 2 + dpr, w + 4 * dpr, lineH - 2 * dpr);
    ctx.fillStyle = c.fault;
    ctx.fillText(shown, x0, y);
  }
  ctx.restore();
}

/** The middle of a band's label line, in canvas pixels: rows count up from the plot's top edge. */
function labelY(b: Pick<FaultBand, 'row'>, plotTop: number, dpr: number): number {
  return plotTop - (MAX_BAND_ROWS - b.row - 0.5) * LABEL_LINE_PX * dpr - 2 * dpr;
}

function fit(ctx: CanvasRenderingContext2D, text: string, maxW: number): string {
  if (ctx.measureText(text).width <= maxW) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > maxW) t = t.slice(0, -1);
  return `${t}…`;
}

/** rgb(…) from getComputedStyle with an alpha. */
function withAlpha(rgb: string, alpha: number): string {
  const m = /rgba?\(([^)]+)\)/.exec(rgb);
  if (!m) return rgb;
  const [r, g, b] = m[1]!.split(/[ ,/]+/).filter(Boolean);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HistoryOp } from '@clusterlab/shared/history';
import type { WorkloadFault } from '@clusterlab/shared/workloads';
import { useWidth } from '../hooks/useWidth';
import { laneLayout, nextOp, opDetails, opLine, opShortLabel, tickStep, timeScale } from '../lib/historyDiagram';
import { mark } from '../lib/workloadChart';

const ROW_H = 22;
const LABEL_W = 40;
const AXIS_H = 20;
const BAND_H = 16;
const OPEN_TAIL_PX = 24;
/** In event order, each invocation or answer gets at least this much room; the diagram scrolls sideways past the panel's width. */
const MIN_STEP_PX = 12;

type Props = {
  ops: readonly HistoryOp[];
  /** Operations the explanation names; `primary` is the one it is about. */
  named: readonly number[];
  primary: number | null;
  faults: readonly Pick<WorkloadFault, 'description' | 'fromMs' | 'toMs'>[];
  /** What the drawing is of, for its accessible name. */
  title: string;
};

/**
 * The history as the clients saw it: a lane per client, each operation a bar from its
 * invocation to its answer, coloured by outcome; an unanswered one runs hatched to the edge.
 * The operations the explanation names are outlined, the rest faded; faults are bands behind.
 * Hover, focus or click an operation for its details (arrow keys move between them).
 */
export function HistoryDiagram({ ops, named, primary, faults, title }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>(800);
  const svg = useRef<SVGSVGElement>(null);
  const layout = useMemo(() => laneLayout(ops, 0), [ops]);
  const namedSet = useMemo(() => new Set(named), [named]);
  const [hovered, setHovered] = useState<number | null>(null);
  const [pinned, setPinned] = useState<number | null>(null);
  const defaultFocus = primary ?? named[0] ?? layout.ops[0]?.op.id ?? null;
  const [focusId, setFocusId] = useState<number | null>(null);
  const [axis, setAxis] = useState<'order' | 'time'>('order');
  const axisId = useId();
  const scale = useMemo(() => timeScale(layout, axis), [layout, axis]);
  const tabId = focusId !== null && layout.ops.some((p) => p.op.id === focusId) ? focusId : defaultFocus;
  const shownId = hovered ?? pinned;
  const shown = shownId === null ? undefined : ops.find((o) => o.id === shownId);

  const viewW = Math.max(200, width - LABEL_W);
  const steps = useMemo(() => new Set(layout.ops.flatMap((p) => (p.open ? [p.fromMs] : [p.fromMs, p.toMs]))).size, [layout]);
  const plotW = Math.max(viewW - OPEN_TAIL_PX - 8, axis === 'order' ? steps * MIN_STEP_PX : 0);
  const svgW = plotW + OPEN_TAIL_PX + 8;
  const span = layout.toMs - layout.fromMs || 1;
  const x = (t: number) => scale(t) * plotW;
  const plotTop = BAND_H;
  const plotH = layout.totalRows * ROW_H;
  const height = plotTop + plotH + AXIS_H;
  const step = tickStep(span);
  const ticks: number[] = [];
  // Round times; in event order they fall unevenly, so one too close to the last is left out.
  const fine = axis === 'order' ? tickStep(span, 40) : step;
  for (let t = Math.ceil(layout.fromMs / fine) * fine; t <= layout.toMs; t += fine) if (ticks.length === 0 || x(t) - x(ticks.at(-1)!) >= 56) ticks.push(t);
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = layout.ops.find((p) => p.op.id === defaultFocus);
  const anchorX = anchor ? x(anchor.fromMs) : 0;
  // Wider than the panel: start with the op the finding is about in view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = Math.max(0, anchorX - el.clientWidth / 2);
  }, [anchorX, axis]);
  const decimals = Math.max(0, Math.min(3, 3 - Math.floor(Math.log10(axis === 'order' ? fine : step))));
  const inView = faults.map((f, i) => ({ f, i })).filter(({ f }) => f.fromMs <= layout.toMs && (f.toMs ?? Infinity) >= layout.fromMs);

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      if (tabId !== null) setPinned((p) => (p === tabId ? null : tabId));
      e.preventDefault();
      return;
    }
    if (e.key === 'Escape') {
      setPinned(null);
      return;
    }
    const next = nextOp(layout, tabId, e.key);
    if (next === null) return;
    e.preventDefault();
    setFocusId(next);
    setPinned(next);
    svg.current?.querySelector<SVGGElement>(`[data-op-id="${next}"]`)?.focus();
  };

  return (
    <div className="hdiagram">
      <div className="hdiagram__tools small">
        <span className="muted hdiagram__hint">{ops.length > 0 && svgW > viewW ? `${layout.ops.length} operations: scroll sideways for all` : ''}</span>
        <label htmlFor={axisId} className="muted">
          Time axis
        </label>
        <select id={axisId} value={axis} onChange={(e) => setAxis(e.target.value as 'order' | 'time')}>
          <option value="order" title="each invocation and answer gets the same room, in the order they happened">event order</option>
          <option value="time" title="in proportion to real time">real time</option>
        </select>
      </div>
      <div ref={ref} className="hdiagram__plot">
        {ops.length === 0 ? (
          <p className="empty">No operations to draw.</p>
        ) : (
          <div className="hdiagram__frame">
            <svg width={LABEL_W} height={height} className="hdiagram__labels" aria-hidden="true">
              {layout.lanes.map((l, i) => (
                <g key={l.client}>
                  <rect x={0} y={plotTop + l.firstRow * ROW_H} width={LABEL_W} height={l.rows * ROW_H} className={i % 2 ? 'hdiagram__lane' : 'hdiagram__lane hdiagram__lane--alt'} />
                  <text x={LABEL_W - 6} y={plotTop + l.firstRow * ROW_H + 15} className="hdiagram__client">
                    {l.client}
                  </text>
                </g>
              ))}
            </svg>
            <div ref={scroller} className="hdiagram__scroll">
              <svg ref={svg} width={svgW} height={height} role="group" aria-label={`History diagram: ${title}. ${ops.length} operations by ${layout.lanes.length} clients; arrow keys move between them.`} onKeyDown={onKeyDown}>
                <defs>
                  <pattern id="hop-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="6" height="6" className="hop__hatch-bg" />
                    <line x1="0" y1="0" x2="0" y2="6" className="hop__hatch-line" />
                  </pattern>
                </defs>
                {layout.lanes.map((l, i) => (
                  <rect key={l.client} x={0} y={plotTop + l.firstRow * ROW_H} width={svgW} height={l.rows * ROW_H} className={i % 2 ? 'hdiagram__lane' : 'hdiagram__lane hdiagram__lane--alt'}>
                    <title>{l.client}</title>
                  </rect>
                ))}
                {inView.map(({ f, i }) => {
                  const x0 = x(f.fromMs);
                  const x1 = f.toMs === null ? plotW + OPEN_TAIL_PX : x(f.toMs);
                  return (
                    <g key={i} className="hdiagram__fault" data-fault-index={i}>
                      <rect x={x0} y={plotTop} width={Math.max(2, x1 - x0)} height={plotH} className="hdiagram__fault-band">
                        <title>{f.description}</title>
                      </rect>
                      <line x1={x0} x2={x0} y1={plotTop - 2} y2={plotTop + plotH} className="hdiagram__fault-edge" />
                      <text x={x0 + 3} y={plotTop - 4} className="hdiagram__fault-label">
                        {mark(i)} {f.description.length > 40 ? `${f.description.slice(0, 39)}…` : f.description}
                      </text>
                    </g>
                  );
                })}
                {ticks.map((t) => (
                  <g key={t}>
                    <line x1={x(t)} x2={x(t)} y1={plotTop} y2={plotTop + plotH} className="hdiagram__tick" />
                    <text x={x(t)} y={height - 5} className="hdiagram__axis">
                      {(t / 1000).toFixed(decimals)} s
                    </text>
                  </g>
                ))}
                {layout.ops.map((p) => {
                  const lane = layout.lanes[p.lane]!;
                  const y = plotTop + (lane.firstRow + p.row) * ROW_H + 3;
                  const x0 = x(p.fromMs);
                  const x1 = p.open ? plotW + OPEN_TAIL_PX : x(p.toMs);
                  const w = Math.max(3, x1 - x0);
                  const isNamed = namedSet.has(p.op.id);
                  const cls = ['hop', `hop--${p.op.outcome}`, `hop--${p.op.kind}`, isNamed ? 'hop--named' : namedSet.size > 0 ? 'hop--faded' : '', p.op.id === primary ? 'hop--primary' : '', p.op.id === shownId ? 'hop--shown' : ''].filter(Boolean).join(' ');
                  const label = opShortLabel(p.op);
                  return (
                    <g
                      key={p.op.id}
                      className={cls}
                      data-op-id={p.op.id}
                      data-named={isNamed || undefined}
                      role="button"
                      aria-label={`${isNamed ? 'Named in the explanation: ' : ''}${opLine(p.op)}`}
                      aria-pressed={pinned === p.op.id}
                      tabIndex={p.op.id === tabId ? 0 : -1}
                      onMouseEnter={() => setHovered(p.op.id)}
                      onMouseLeave={() => setHovered(null)}
                      onFocus={() => {
                        setFocusId(p.op.id);
                        setPinned(p.op.id);
                      }}
                      onClick={() => setPinned(p.op.id)}
                    >
                      <rect x={x0} y={y} width={w} height={ROW_H - 6} rx={3} className="hop__bar" fill={p.op.outcome === 'unknown' ? 'url(#hop-hatch)' : undefined} />
                      {w > label.length * 6.5 + 8 && (
                        <text x={x0 + 4} y={y + 12} className="hop__label">
                          {label}
                        </text>
                      )}
                    </g>
                  );
                })}
              </svg>
            </div>
          </div>
        )}
      </div>
      <div className="hdiagram__legend small muted" aria-hidden="true">
        <span className="hdiagram__key hdiagram__key--ok">ok</span>
        <span className="hdiagram__key hdiagram__key--fail">fail</span>
        <span className="hdiagram__key hdiagram__key--unknown">unknown (no answer: may take effect any time after)</span>
        {namedSet.size > 0 && <span className="hdiagram__key hdiagram__key--named">named in the explanation</span>}
      </div>
      <OpDetails op={shown} />
    </div>
  );
}

/** The op under the pointer or the keyboard, in a box of fixed size so nothing moves. */
function OpDetails({ op }: { op: HistoryOp | undefined }) {
  return (
    <div className="hdiagram__details" role="region" aria-label="Operation details" aria-live="polite">
      {op ? (
        <dl>
          {opDetails(op).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted small">Hover over an operation, or focus the diagram and use the arrow keys, to see its details.</p>
      )}
    </div>
  );
}

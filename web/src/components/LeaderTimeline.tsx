import { useId, useMemo, useState } from 'react';
import { formatClock, formatDuration, formatTerm, termNoun } from '../lib/format';
import { leaderGaps, tickStepMs } from '../lib/timeline';
import { useServerNow } from '../hooks/useNow';
import { useWidth } from '../hooks/useWidth';
import { useApp, useAlgorithm } from '../stores/hooks';

const WINDOWS = [
  { ms: 30_000, label: '30 s' },
  { ms: 60_000, label: '1 min' },
  { ms: 300_000, label: '5 min' },
  { ms: 900_000, label: '15 min' },
];
const LANE_H = 20;
const LABEL_W = 36;
const AXIS_H = 18;
const GAP_LABEL_H = 14;

/** Who led when: one lane per node, a bar per reign, hatched gaps where nobody led. */
export function LeaderTimeline() {
  const segments = useApp((s) => s.events.leadership.segments);
  const leaderlessSince = useApp((s) => s.events.leadership.leaderlessSince);
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const faultPeriods = useApp((s) => s.faults.periods);
  const algorithm = useAlgorithm();
  const [windowMs, setWindowMs] = useState(60_000);
  const [ref, width] = useWidth<HTMLDivElement>();
  const now = useServerNow(250);
  const selectId = useId();

  const from = now - windowMs;
  const visible = useMemo(() => segments.filter((s) => (s.endAt ?? Infinity) >= from), [segments, from]);
  const lanes = useMemo(() => {
    const ids = new Set(nodeIds);
    for (const s of visible) ids.add(s.leader);
    return [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b));
  }, [nodeIds, visible]);
  const shaded = faultPeriods.filter((p) => (p.endAt ?? Infinity) >= from);
  const gaps = leaderGaps(segments, now, leaderlessSince).filter((g) => g.endAt >= from);

  const plotW = Math.max(100, width - LABEL_W - 8);
  const x = (t: number) => LABEL_W + Math.max(0, Math.min(1, (t - from) / windowMs)) * plotW;
  const height = GAP_LABEL_H + lanes.length * LANE_H + AXIS_H;
  const step = tickStepMs(windowMs);
  const ticks: number[] = [];
  // Ticks at round wall-clock seconds; none so close to the right edge that it collides with "now".
  for (let t = Math.ceil(from / step) * step; t <= now - windowMs / 25; t += step) ticks.push(t);

  const current = segments.at(-1);
  const summary =
    current && current.endAt === null
      ? `${current.leader} has led since ${current.startKnown ? '' : 'at least '}${formatClock(current.startAt)}.`
      : 'No leader at the moment.';

  return (
    <section className="panel timeline" aria-labelledby="timeline-heading">
      <div className="panel__head">
        <h2 id="timeline-heading">Leader timeline</h2>
        <span className="muted small">{summary}</span>
        <label htmlFor={selectId} className="panel__tool small">
          Show last
        </label>
        <select id={selectId} value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
          {WINDOWS.map((w) => (
            <option key={w.ms} value={w.ms}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      <div ref={ref} className="timeline__plot">
        <svg width={width} height={height} role="img"
          aria-label={`Leaders over the last ${formatDuration(windowMs)}: ${visible.map((s) => s.leader).join(', ') || 'none'}. ${summary}${shaded.length > 0 ? ` Faults in this window: ${shaded.map((p) => p.id).join(', ')}.` : ''}`}>
          <defs>
            <pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" className="timeline__gap-bg" />
              <line x1="0" y1="0" x2="0" y2="6" className="timeline__gap-line" />
            </pattern>
          </defs>
          {lanes.map((id, i) => (
            <g key={id}>
              <rect x={LABEL_W} y={GAP_LABEL_H + i * LANE_H} width={plotW} height={LANE_H} className={i % 2 ? 'timeline__lane' : 'timeline__lane timeline__lane--alt'} />
              <text x={LABEL_W - 6} y={GAP_LABEL_H + i * LANE_H + 14} className="timeline__label">
                {id}
              </text>
            </g>
          ))}
          {/* The time each fault was in force, shaded behind the reigns (a red edge marks its start). */}
          {shaded.map((p) => {
            const x1 = x(p.startAt);
            const w = Math.max(2, x(p.endAt ?? now) - x1);
            return (
              <g key={`fault-${p.id}-${p.startAt}`} className="timeline__fault" data-fault={p.id}>
                <rect x={x1} y={GAP_LABEL_H} width={w} height={lanes.length * LANE_H} className="timeline__fault-band">
                  <title>{`${p.id}: ${p.description} — from ${formatClock(p.startAt)}${p.endAt !== null ? ` to ${formatClock(p.endAt)}` : ' until now'}`}</title>
                </rect>
                <line x1={x1} x2={x1} y1={GAP_LABEL_H} y2={GAP_LABEL_H + lanes.length * LANE_H} className="timeline__fault-edge" />
              </g>
            );
          })}
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={GAP_LABEL_H} y2={height - AXIS_H} className="timeline__tick" />
              <text x={x(t)} y={height - 4} className="timeline__axis">
                {Math.round((t - now) / 1000)} s
              </text>
            </g>
          ))}
          <text x={LABEL_W + plotW} y={height - 4} className="timeline__axis timeline__axis--end">
            now
          </text>
          {gaps.map((g) => {
            const x1 = x(g.startAt);
            const x2 = x(g.endAt);
            const w = Math.max(2, x2 - x1);
            return (
              <g key={`gap-${g.startAt}`}>
                <rect x={x1} y={GAP_LABEL_H} width={w} height={lanes.length * LANE_H} fill="url(#gap-hatch)" className="timeline__gap">
                  <title>{`No leader for ${formatDuration(g.endAt - g.startAt)}${g.open ? ' (so far)' : ''}`}</title>
                </rect>
                {(w > 40 || !g.open) && (
                  <text x={Math.min(x1 + w / 2, LABEL_W + plotW - 20)} y={GAP_LABEL_H - 3} className="timeline__gap-label">
                    {formatDuration(g.endAt - g.startAt)}
                  </text>
                )}
              </g>
            );
          })}
          {visible.map((s) => {
            const lane = lanes.indexOf(s.leader);
            const x1 = x(s.startAt);
            const x2 = x(s.endAt ?? now);
            const w = Math.max(2, x2 - x1);
            return (
              <g key={`${s.term}-${s.startAt}`} className={s.startKnown ? 'timeline__bar' : 'timeline__bar timeline__bar--unknown-start'}>
                <rect x={x1} y={GAP_LABEL_H + lane * LANE_H + 3} width={w} height={LANE_H - 6} rx={3}>
                  <title>{`${s.leader} led ${termNoun(algorithm)} ${formatTerm(algorithm, s.term)} from ${s.startKnown ? formatClock(s.startAt) : 'before this page opened'}${s.endAt !== null ? ` to ${formatClock(s.endAt)} (${s.endCause ?? 'ended'})` : ' until now'}`}</title>
                </rect>
                {w > 44 && (
                  <text x={x1 + 6} y={GAP_LABEL_H + lane * LANE_H + 14} className="timeline__bar-label">
                    {formatTerm(algorithm, s.term)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}

import type { ClusterEvent, MessageFamily } from '@clusterlab/shared';
import { formatDuration } from './format';
import { laneOf, markOf, type FaultSpan, type MarkKind, type Message, type SpaceTimeBuffer } from './spaceTimeBuffer';

/*
 * The space-time diagram's layout: from the buffer, a window ending at `endMs` and a zoom
 * (ms per pixel), what to draw and where — a lane per process across, wall time flowing down,
 * each message an arrow from its send to its receipt (or a cross where it was lost), lane
 * marks, fault bands, and quiet stretches shrunk to a fixed height. Pure: the canvas only
 * strokes what this returns, and hit-testing and keyboard moves read the same primitives.
 */

/** Heartbeats hidden: what is left is readable during a failover. */
export const DEFAULT_FAMILIES: ReadonlySet<MessageFamily> = new Set(['election', 'victory', 'replication', 'other']);

/** A stretch of the time axis: linear (ms per pixel) or a quiet one shrunk to a fixed height. */
export type Segment = { fromMs: number; toMs: number; y0: number; y1: number; quiet: boolean };
export type Arrow = {
  message: Message;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Lost: (x1, y1) is where, and a cross is drawn there. */
  lost: boolean;
  /** Neither received nor lost (yet): drawn as a short dashed stub. */
  open: boolean;
  /** Where the message starts on the time axis, for ordering (its send, or its first kept event). */
  atMs: number;
};
export type Mark = { kind: MarkKind; x: number; y: number; event: ClusterEvent };
export type Band = { fault: FaultSpan; x0: number; x1: number; y0: number; y1: number };
export type QuietGap = { y0: number; y1: number; ms: number; label: string };
export type Tick = { y: number; ms: number };
export type Lane = { id: string; x: number };

export type DiagramLayout = {
  lanes: Lane[];
  segments: Segment[];
  arrows: Arrow[];
  marks: Mark[];
  bands: Band[];
  quiet: QuietGap[];
  ticks: Tick[];
  fromMs: number;
  toMs: number;
  heightPx: number;
};

export type LayoutOptions = {
  /** The time at the bottom edge (the live edge, or where the learner scrolled to). */
  endMs: number;
  heightPx: number;
  widthPx: number;
  msPerPx: number;
  families: ReadonlySet<MessageFamily>;
  lanes: readonly string[];
  /** Room on the left for the time axis. */
  axisPx?: number;
  /** A gap taller than this with nothing shown in it is quiet... */
  quietMinPx?: number;
  /** ...and is drawn this tall. */
  quietPx?: number;
  /**
   * With heartbeats shown, a gap must also be longer than this to be quiet: otherwise the
   * steady beat between two heartbeats would become a ladder of quiet bands.
   */
  quietMinMsWithHeartbeats?: number;
  /** At most this many events are looked at per layout: a frame's work is bounded whatever the zoom. */
  maxScan?: number;
};

/** Is this event drawn (as an arrow end, a mark or a fault's edge) under these filters? */
function shown(e: ClusterEvent, families: ReadonlySet<MessageFamily>): boolean {
  if (e.kind === 'message.sent' || e.kind === 'message.received' || e.kind === 'message.lost') return families.has(e.data.family ?? 'other');
  return markOf(e) !== null || e.kind === 'fault.network' || e.kind === 'fault.healed';
}

/** "⋯ 1.2 s quiet", "⋯ 340 ms quiet". */
export function quietLabel(ms: number): string {
  return `⋯ ${formatDuration(ms)} quiet`;
}

/** Where a time goes down the canvas, given the segments (outside them: linear at msPerPx). */
export function timeToY(segments: readonly Segment[], msPerPx: number, t: number): number {
  if (segments.length === 0) return 0;
  const first = segments[0]!;
  const last = segments.at(-1)!;
  if (t <= first.fromMs) return first.y0 - (first.fromMs - t) / msPerPx;
  if (t >= last.toMs) return last.y1 + (t - last.toMs) / msPerPx;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.toMs < t) lo = mid + 1;
    else hi = mid;
  }
  const s = segments[lo]!;
  const span = s.toMs - s.fromMs;
  return span <= 0 ? s.y0 : s.y0 + ((t - s.fromMs) / span) * (s.y1 - s.y0);
}

/** The inverse, for scrolling by pixels. */
export function yToTime(segments: readonly Segment[], msPerPx: number, y: number): number {
  if (segments.length === 0) return 0;
  const first = segments[0]!;
  const last = segments.at(-1)!;
  if (y <= first.y0) return first.fromMs - (first.y0 - y) * msPerPx;
  if (y >= last.y1) return last.toMs + (y - last.y1) * msPerPx;
  const s = segments.find((seg) => y <= seg.y1) ?? last;
  const h = s.y1 - s.y0;
  return h <= 0 ? s.fromMs : s.fromMs + ((y - s.y0) / h) * (s.toMs - s.fromMs);
}

/** A round tick step near `targetPx` apart: 1, 2 or 5 × 10^k ms. */
export function tickStepMs(msPerPx: number, targetPx = 80): number {
  const raw = targetPx * msPerPx;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/**
 * The time axis first, walking back from the bottom edge: each gap between two shown events
 * takes its height in ms per pixel, unless it is taller than quietMinPx and no shown message is
 * in flight across it (a slow message must stay visibly slanted) — then it takes quietPx.
 */
function timeAxis(buf: SpaceTimeBuffer, o: Required<LayoutOptions>): Segment[] {
  const out: Segment[] = [];
  let y = o.heightPx;
  let prev = o.endMs;
  /** The earliest send of a shown message whose other end is at or after where the walk is. */
  let busyFrom = Infinity;
  const end = buf.lowerBound(o.endMs + 1e-6);
  const quietMinMs = o.families.has('heartbeat') ? o.quietMinMsWithHeartbeats : 0;
  // Messages in flight across the bottom edge keep the gaps they span linear.
  for (let i = end, n = 0; n < 500; i++, n++) {
    const e = buf.eventAt(i);
    if (!e) break;
    if ((e.kind === 'message.received' || e.kind === 'message.lost') && shown(e, o.families)) {
      const sentMs = buf.messageOf(e)?.sentMs ?? null;
      if (sentMs !== null && sentMs <= o.endMs) busyFrom = Math.min(busyFrom, sentMs);
    }
  }
  const push = (fromMs: number, toMs: number, h: number, quiet: boolean) => {
    const top = out.at(-1);
    if (!quiet && top && !top.quiet) {
      top.fromMs = fromMs;
      top.y0 -= h;
    } else out.push({ fromMs, toMs, y0: y - h, y1: y, quiet });
    y -= h;
  };
  for (let i = end - 1, n = 0; i >= 0 && n < o.maxScan && y > 0; i--, n++) {
    const e = buf.eventAt(i)!;
    if (!shown(e, o.families)) continue;
    const gapMs = prev - e.time;
    const gapPx = gapMs / o.msPerPx;
    if (gapPx > o.quietMinPx && gapMs > quietMinMs && busyFrom > e.time) push(e.time, prev, o.quietPx, true);
    else if (gapMs > 0) push(e.time, prev, gapPx, false);
    prev = e.time;
    if (e.kind === 'message.received' || e.kind === 'message.lost') {
      const sentMs = buf.messageOf(e)?.sentMs ?? null;
      if (sentMs !== null) busyFrom = Math.min(busyFrom, sentMs);
    }
  }
  if (y > 0) push(prev - y * o.msPerPx, prev, y, false);
  out.reverse();
  if (out.length === 0) out.push({ fromMs: o.endMs - o.heightPx * o.msPerPx, toMs: o.endMs, y0: 0, y1: o.heightPx, quiet: false });
  return out;
}

export function layoutDiagram(buf: SpaceTimeBuffer, options: LayoutOptions): DiagramLayout {
  const o: Required<LayoutOptions> = { axisPx: 64, quietMinPx: 96, quietPx: 18, quietMinMsWithHeartbeats: 250, maxScan: 60_000, ...options };
  const segments = timeAxis(buf, o);
  const y = (t: number) => timeToY(segments, o.msPerPx, t);
  const fromMs = segments[0]!.fromMs;
  const toMs = o.endMs;
  const plotW = Math.max(1, o.widthPx - o.axisPx);
  const colW = plotW / Math.max(1, o.lanes.length);
  const lanes: Lane[] = o.lanes.map((id, i) => ({ id, x: o.axisPx + colW * (i + 0.5) }));
  const xOf = new Map(lanes.map((l) => [l.id, l.x]));

  const arrows: Arrow[] = [];
  const marks: Mark[] = [];
  const seen = new Set<string>();
  const first = buf.lowerBound(fromMs);
  const last = buf.lowerBound(toMs + 1e-6);
  for (let i = first; i < last && i - first < o.maxScan; i++) {
    const e = buf.eventAt(i)!;
    if (!shown(e, o.families)) continue;
    const m = buf.messageOf(e);
    if (m) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      const a = arrowOf(m, xOf, y);
      if (a) arrows.push(a);
      continue;
    }
    const kind = markOf(e);
    const lane = laneOf(e);
    const x = lane === null ? undefined : xOf.get(lane);
    if (kind && x !== undefined) marks.push({ kind, x, y: y(e.time), event: e });
  }
  arrows.sort((a, b) => a.atMs - b.atMs || a.y0 - b.y0);

  const bands: Band[] = [];
  for (const f of buf.faultSpans()) {
    if (f.fromMs > toMs || (f.toMs ?? Infinity) < fromMs) continue;
    const y0 = Math.max(0, y(f.fromMs));
    const y1 = Math.min(o.heightPx, f.toMs === null ? o.heightPx : y(f.toMs));
    // A one-way cut shades the stretch between its two ends; anything else, every lane.
    let x0 = o.axisPx;
    let x1 = o.widthPx;
    if (f.fault.kind === 'cut') {
      const a = xOf.get(f.fault.from);
      const b = xOf.get(f.fault.to);
      if (a !== undefined && b !== undefined) {
        x0 = Math.min(a, b) - colW * 0.3;
        x1 = Math.max(a, b) + colW * 0.3;
      }
    }
    bands.push({ fault: f, x0, x1, y0, y1: Math.max(y0 + 2, y1) });
  }

  const quiet: QuietGap[] = segments.filter((s) => s.quiet).map((s) => ({ y0: s.y0, y1: s.y1, ms: s.toMs - s.fromMs, label: quietLabel(s.toMs - s.fromMs) }));

  const ticks: Tick[] = [];
  const step = tickStepMs(o.msPerPx);
  for (const s of segments) {
    if (s.quiet) continue;
    for (let t = Math.ceil(s.fromMs / step) * step; t <= s.toMs; t += step) {
      const ty = y(t);
      if (ty >= 6 && ty <= o.heightPx - 4) ticks.push({ y: ty, ms: t });
    }
  }
  return { lanes, segments, arrows, marks, bands, quiet, ticks, fromMs, toMs, heightPx: o.heightPx };
}

function arrowOf(m: Message, xOf: ReadonlyMap<string, number>, y: (t: number) => number): Arrow | null {
  const x0 = xOf.get(m.from);
  const xTo = xOf.get(m.to);
  if (x0 === undefined || xTo === undefined) return null;
  const endEvent = m.received ?? m.lost;
  const atMs = m.sentMs ?? endEvent?.time ?? 0;
  // Never seen sent (the page opened after): start just above its other end.
  const y0 = m.sentMs !== null ? y(m.sentMs) : y(endEvent!.time) - 8;
  if (m.received) return { message: m, x0, y0, x1: xTo, y1: y(m.received.time), lost: false, open: false, atMs };
  if (m.lost) {
    // Lost on the sender's side (a cut, a refused connection) halfway; on the receiver's side near it.
    const part = m.lost.node === m.to ? 0.85 : 0.5;
    return { message: m, x0, y0, x1: x0 + (xTo - x0) * part, y1: y(m.lost.time), lost: true, open: false, atMs };
  }
  return { message: m, x0, y0, x1: x0 + (xTo - x0) * 0.3, y1: y0 + 6, lost: false, open: true, atMs };
}

export type Hit = { kind: 'message'; arrow: Arrow } | { kind: 'event'; mark: Mark };

function distToSegment(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

/** What is under the pointer: a mark within 7 px before a message within 5 px; the nearest wins. */
export function hitTest(layout: DiagramLayout, x: number, y: number): Hit | null {
  let best: Hit | null = null;
  let bestD = 7;
  for (const mk of layout.marks) {
    const d = Math.hypot(mk.x - x, mk.y - y);
    if (d < bestD) {
      bestD = d;
      best = { kind: 'event', mark: mk };
    }
  }
  if (best) return best;
  bestD = 5;
  for (const a of layout.arrows) {
    const d = distToSegment(x, y, a.x0, a.y0, a.x1, a.y1);
    if (d < bestD) {
      bestD = d;
      best = { kind: 'message', arrow: a };
    }
  }
  return best;
}

/** The message before or after `id` in time among those drawn; from none, the newest (back) or oldest (on). */
export function stepMessage(layout: DiagramLayout, id: string | null, dir: -1 | 1): Arrow | null {
  const list = layout.arrows;
  if (list.length === 0) return null;
  const i = id === null ? -1 : list.findIndex((a) => a.message.id === id);
  if (i === -1) return dir === 1 ? list[0]! : list.at(-1)!;
  return list[Math.max(0, Math.min(list.length - 1, i + dir))]!;
}

/** The canvas's accessible name: "12 messages between n1, n2, n3 in the last 2.0 s; 1 lost". */
export function describeLayout(layout: DiagramLayout, live: boolean, clock: (ms: number) => string): string {
  const n = layout.arrows.length;
  const parties = new Set<string>();
  let lost = 0;
  for (const a of layout.arrows) {
    parties.add(a.message.from);
    parties.add(a.message.to);
    if (a.lost) lost++;
  }
  const names = [...parties].sort((a, b) => layout.lanes.findIndex((l) => l.id === a) - layout.lanes.findIndex((l) => l.id === b));
  const span = formatDuration(layout.toMs - layout.fromMs);
  const when = live ? `in the last ${span}` : `in the ${span} up to ${clock(layout.toMs)}`;
  const what = n === 0 ? `No messages shown ${when}` : `${n} message${n === 1 ? '' : 's'} between ${names.join(', ')} ${when}`;
  const marks = layout.marks.length ? `; ${layout.marks.length} lane mark${layout.marks.length === 1 ? '' : 's'}` : '';
  return `${what}${lost ? `; ${lost} lost` : ''}${marks}.`;
}

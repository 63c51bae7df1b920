import type { MessageFamily } from '@clusterlab/shared';
import { inPast, type MarkKind } from '../lib/spaceTimeBuffer';
import type { Arrow, DiagramLayout } from '../lib/spaceTimeLayout';

export const DIAGRAM_COLOR_VARS = {
  text: 'var(--text)',
  muted: 'var(--muted)',
  border: 'var(--border)',
  panel: 'var(--panel)',
  panel2: 'var(--panel-2)',
  heartbeat: 'var(--leader)',
  election: 'var(--candidate)',
  victory: 'light-dark(#dc2626, #ff7a7a)',
  replication: 'var(--ok)',
  other: 'var(--muted)',
  bad: 'var(--bad)',
  fault: 'var(--fam-fault)',
  leader: 'var(--leader)',
  follower: 'var(--follower)',
  kv: 'var(--fam-kv)',
  node: 'var(--fam-node)',
  focus: 'var(--focus)',
};
export type DiagramColors = Record<keyof typeof DIAGRAM_COLOR_VARS, string>;

/** Glyph and colour per lane mark; the legend shows the same. */
export const MARK_GLYPHS: Record<MarkKind, { glyph: string; color: keyof DiagramColors; label: string }> = {
  election: { glyph: '◆', color: 'election', label: 'election timeout / started' },
  leader: { glyph: '★', color: 'leader', label: 'leader elected' },
  follow: { glyph: '○', color: 'follower', label: 'follows a leader' },
  stepdown: { glyph: '▽', color: 'leader', label: 'stepped down' },
  commit: { glyph: '■', color: 'replication', label: 'commit' },
  kv: { glyph: '▶', color: 'kv', label: 'client write / ack' },
  fault: { glyph: '⚑', color: 'fault', label: 'fault injected' },
  exit: { glyph: '▬', color: 'bad', label: 'process exited' },
  start: { glyph: '▬', color: 'node', label: 'process started / ready' },
};

export const HEADER_PX = 22;

/**
 * A software-rendered canvas (no GPU, as in the headless stories) strokes an arrow in about
 * 9 µs with its head: past this many in view a frame takes longer than 1/60 s. Heartbeats,
 * replication and the rest (the thick traffic) are then drawn one in N, evenly, without heads,
 * and the canvas says so; elections, victories and losses are always all drawn.
 */
const ARROW_BUDGET = 1500;
/** Elections and victories are few and the point of a failover: never thinned. */
const THINNABLE: ReadonlySet<MessageFamily> = new Set(['heartbeat', 'replication', 'other']);

/** One in how many heartbeat and replication arrows is drawn for this layout (1: all). */
export function thinningStride(layout: DiagramLayout): number {
  const n = layout.arrows.length;
  if (n <= ARROW_BUDGET) return 1;
  let thick = 0;
  for (const a of layout.arrows) if (THINNABLE.has(a.message.family) && !a.lost) thick++;
  return Math.max(1, Math.ceil(thick / Math.max(200, ARROW_BUDGET - (n - thick))));
}

export type Highlight = {
  /** The causal past of what is hovered: everything else is dimmed. */
  past: ReadonlyMap<string, number> | null;
  selectedId: string | null;
  selectedSeq: number | null;
  /** The message under the pointer: its type is written beside it. */
  hoveredId: string | null;
};

function alpha(color: string, a: number): string {
  // getComputedStyle gives rgb(r, g, b) or rgba(...): make it translucent.
  const m = /rgba?\(([^)]+)\)/.exec(color);
  if (!m) return color;
  const [r, g, b] = m[1]!.split(/[ ,/]+/).filter(Boolean);
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

function arrowInPast(a: Arrow, past: ReadonlyMap<string, number>): boolean {
  const end = a.message.received ?? a.message.lost ?? a.message.sent;
  return end !== null && inPast(past, end);
}

/**
 * Strokes a layout. Paths are batched per colour (one stroke per family, one fill for the
 * heads), so thousands of arrows cost a handful of draw calls.
 */
export function drawDiagram(ctx: CanvasRenderingContext2D, layout: DiagramLayout, widthPx: number, c: DiagramColors, hl: Highlight, clock: (ms: number) => string): void {
  const h = layout.heightPx;
  ctx.clearRect(0, 0, widthPx, h + HEADER_PX);
  ctx.save();
  ctx.translate(0, HEADER_PX);
  const axisPx = layout.lanes[0] ? layout.lanes[0].x - (layout.lanes[1] ? (layout.lanes[1].x - layout.lanes[0].x) / 2 : 0) : 0;

  // Lane columns, alternating, so a glance finds a lane.
  const colW = layout.lanes.length > 1 ? layout.lanes[1]!.x - layout.lanes[0]!.x : widthPx - axisPx;
  ctx.fillStyle = c.panel2;
  layout.lanes.forEach((l, i) => {
    if (i % 2 === 1) ctx.fillRect(l.x - colW / 2, 0, colW, h);
  });

  // Quiet stretches first: a band of their own that breaks the lanes (a fault over one still tints it).
  for (const q of layout.quiet) {
    ctx.fillStyle = c.panel;
    ctx.fillRect(axisPx, q.y0, widthPx - axisPx, q.y1 - q.y0);
  }

  // Fault bands, over the lanes' background, under the traffic.
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (const b of layout.bands) {
    ctx.fillStyle = alpha(c.fault, b.fault.fault.kind === 'partition' || b.fault.fault.kind === 'cut' ? 0.14 : 0.07);
    ctx.fillRect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    ctx.fillStyle = alpha(c.fault, 0.7);
    ctx.fillRect(b.x0, b.y0, b.x1 - b.x0, 1);
  }

  // Lane lines, broken where a quiet stretch is.
  ctx.strokeStyle = c.border;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const s of layout.segments) {
    if (s.quiet) continue;
    const y0 = Math.max(0, s.y0);
    const y1 = Math.min(h, s.y1);
    if (y1 <= y0) continue;
    for (const l of layout.lanes) {
      ctx.moveTo(Math.round(l.x) + 0.5, y0);
      ctx.lineTo(Math.round(l.x) + 0.5, y1);
    }
  }
  ctx.stroke();

  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const q of layout.quiet) {
    ctx.strokeStyle = c.border;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(axisPx, q.y0 + 0.5);
    ctx.lineTo(widthPx, q.y0 + 0.5);
    ctx.moveTo(axisPx, q.y1 - 0.5);
    ctx.lineTo(widthPx, q.y1 - 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = c.muted;
    ctx.fillText(q.label, axisPx + (widthPx - axisPx) / 2, (q.y0 + q.y1) / 2);
  }

  // Each band's sentence at its top left, on a backing so arrows do not cross it out.
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (const b of layout.bands) {
    const text = b.fault.description.length > 70 ? `${b.fault.description.slice(0, 69)}…` : b.fault.description;
    const ty = Math.max(1, Math.min(h - 14, b.y0 + 2));
    const tw = ctx.measureText(text).width;
    ctx.fillStyle = alpha(c.panel, 0.85);
    ctx.fillRect(b.x0 + 2, ty - 1, tw + 6, 14);
    ctx.fillStyle = c.fault;
    ctx.fillText(text, b.x0 + 5, ty);
  }

  // The time axis.
  ctx.textAlign = 'right';
  ctx.fillStyle = c.muted;
  ctx.font = '10px ui-monospace, Menlo, Consolas, monospace';
  ctx.strokeStyle = c.border;
  ctx.beginPath();
  for (const t of layout.ticks) {
    ctx.moveTo(axisPx - 4, Math.round(t.y) + 0.5);
    ctx.lineTo(axisPx, Math.round(t.y) + 0.5);
    ctx.fillText(clock(t.ms), axisPx - 6, t.y);
  }
  ctx.stroke();

  const dim = hl.past !== null;
  const strong = (a: Arrow) => !dim || arrowInPast(a, hl.past!);

  // Arrows: per family, strong first then dimmed, each one path.
  const byFamily = new Map<MessageFamily, Arrow[]>();
  for (const a of layout.arrows) {
    const list = byFamily.get(a.message.family);
    if (list) list.push(a);
    else byFamily.set(a.message.family, [a]);
  }
  const stride = thinningStride(layout);
  for (const [family, all] of byFamily) {
    const color = c[family];
    const list = stride > 1 && THINNABLE.has(family) ? all.filter((a, i) => a.lost || i % stride === 0) : all;
    for (const pass of [false, true]) {
      const mine = list.filter((a) => strong(a) === pass);
      if (mine.length === 0) continue;
      const col = pass ? color : alpha(color, dim ? 0.15 : 0.9);
      ctx.strokeStyle = col;
      ctx.fillStyle = col;
      ctx.lineWidth = family === 'heartbeat' ? 1 : 1.5;
      ctx.beginPath();
      for (const a of mine) {
        if (a.open) continue;
        ctx.moveTo(a.x0, a.y0);
        ctx.lineTo(a.x1, a.y1);
      }
      ctx.stroke();
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      for (const a of mine) {
        if (!a.open) continue;
        ctx.moveTo(a.x0, a.y0);
        ctx.lineTo(a.x1, a.y1);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.beginPath();
      // Dense, the heads are a smear that costs as much as the lines.
      if (stride === 1) for (const a of mine) if (!a.lost && !a.open) arrowHead(ctx, a);
      ctx.fill();
    }
  }
  // Losses: a cross where each ended.
  ctx.lineWidth = 2;
  for (const pass of [false, true]) {
    ctx.strokeStyle = pass ? c.bad : alpha(c.bad, 0.2);
    ctx.beginPath();
    for (const a of layout.arrows) {
      if (!a.lost || strong(a) !== pass) continue;
      ctx.moveTo(a.x1 - 4, a.y1 - 4);
      ctx.lineTo(a.x1 + 4, a.y1 + 4);
      ctx.moveTo(a.x1 + 4, a.y1 - 4);
      ctx.lineTo(a.x1 - 4, a.y1 + 4);
    }
    ctx.stroke();
  }

  // Client writes: a short arrow from the client lane to the leader's write, and back at its ack.
  const client = layout.lanes.find((l) => l.id === 'client');
  if (client) {
    const kv = layout.marks.filter((m) => m.kind === 'kv' && m.x !== client.x);
    ctx.strokeStyle = alpha(c.kv, 0.7);
    ctx.fillStyle = alpha(c.kv, 0.7);
    ctx.lineWidth = 1;
    ctx.setLineDash([2, 2]);
    ctx.beginPath();
    for (const m of kv) {
      ctx.moveTo(client.x, m.y);
      ctx.lineTo(m.x - 7, m.y);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const m of kv) {
      // The write points at the leader (its ▶ is the head); the ack and a failure point back.
      if (m.event.kind === 'kv.write') continue;
      ctx.moveTo(client.x, m.y);
      ctx.lineTo(client.x + 6, m.y - 3);
      ctx.lineTo(client.x + 6, m.y + 3);
      ctx.closePath();
    }
    ctx.fill();
  }

  // Lane marks.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = '12px system-ui, sans-serif';
  for (const m of layout.marks) {
    const g = MARK_GLYPHS[m.kind];
    const on = !dim || inPast(hl.past!, m.event);
    ctx.fillStyle = on ? c[g.color] : alpha(c[g.color], 0.2);
    ctx.fillText(g.glyph, m.x, m.y);
    if (m.kind === 'fault' && m.event.kind === 'fault.injected') {
      ctx.textAlign = 'left';
      ctx.font = '10.5px system-ui, sans-serif';
      ctx.fillText(m.event.data.action, m.x + 8, m.y);
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'center';
    }
    if (m.event.seq === hl.selectedSeq) {
      ctx.strokeStyle = c.focus;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(m.x, m.y, 8, 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  // The selected message on top, outlined.
  const sel = hl.selectedId === null ? undefined : layout.arrows.find((a) => a.message.id === hl.selectedId);
  if (sel) {
    ctx.strokeStyle = c.focus;
    ctx.lineWidth = 5;
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    ctx.moveTo(sel.x0, sel.y0);
    ctx.lineTo(sel.x1, sel.y1);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    ctx.strokeStyle = c[sel.message.family];
    ctx.beginPath();
    ctx.moveTo(sel.x0, sel.y0);
    ctx.lineTo(sel.x1, sel.y1);
    ctx.stroke();
  }
  if (stride > 1) {
    const note = `dense: 1 in ${stride} heartbeat, replication and other messages drawn; zoom in for all`;
    ctx.font = '10.5px system-ui, sans-serif';
    const tw = ctx.measureText(note).width;
    ctx.fillStyle = c.panel;
    ctx.fillRect(widthPx - tw - 12, h - 18, tw + 12, 18);
    ctx.fillStyle = c.muted;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(note, widthPx - tw - 6, h - 9);
  }

  const hov = hl.hoveredId === null ? undefined : layout.arrows.find((a) => a.message.id === hl.hoveredId);
  if (hov) {
    const m = hov.message;
    const text = `${m.type} ${m.from}→${m.to}${hov.lost ? ' (lost)' : hov.open ? ' (in flight)' : m.received && m.sentMs !== null ? ` ${Math.max(0, m.received.time - m.sentMs)} ms` : ''}`;
    ctx.font = '600 11px system-ui, sans-serif';
    const tw = ctx.measureText(text).width;
    const mx = Math.min(widthPx - tw - 8, Math.max(axisPx + 2, (hov.x0 + hov.x1) / 2 - tw / 2));
    const my = Math.max(2, Math.min(h - 18, Math.min(hov.y0, hov.y1) - 18));
    ctx.fillStyle = c.panel;
    ctx.strokeStyle = c[m.family];
    ctx.lineWidth = 1;
    ctx.fillRect(mx - 4, my, tw + 8, 16);
    ctx.strokeRect(mx - 3.5, my + 0.5, tw + 7, 15);
    ctx.fillStyle = c.text;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, mx, my + 8);
  }
  ctx.restore();

  // Lane names in a header row of their own, over a solid background.
  ctx.fillStyle = c.panel;
  ctx.fillRect(0, 0, widthPx, HEADER_PX);
  ctx.strokeStyle = c.border;
  ctx.beginPath();
  ctx.moveTo(0, HEADER_PX - 0.5);
  ctx.lineTo(widthPx, HEADER_PX - 0.5);
  ctx.stroke();
  ctx.font = '600 11.5px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = c.text;
  for (const l of layout.lanes) ctx.fillText(l.id, l.x, HEADER_PX / 2);
}

function arrowHead(ctx: CanvasRenderingContext2D, a: Arrow): void {
  const dx = a.x1 - a.x0;
  const dy = a.y1 - a.y0;
  const len = Math.hypot(dx, dy);
  if (len < 8) return;
  const ux = dx / len;
  const uy = dy / len;
  const size = 7;
  const bx = a.x1 - ux * size;
  const by = a.y1 - uy * size;
  ctx.moveTo(a.x1, a.y1);
  ctx.lineTo(bx - uy * size * 0.45, by + ux * size * 0.45);
  ctx.lineTo(bx + uy * size * 0.45, by - ux * size * 0.45);
  ctx.closePath();
}

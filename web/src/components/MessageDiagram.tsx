import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { MessageFamily } from '@clusterlab/shared';
import { useCssColors } from '../hooks/useCssColors';
import { useWidth } from '../hooks/useWidth';
import { shownDiagramBuffer, subscribeDiagram } from '../lib/diagramFeed';
import { formatClock } from '../lib/format';
import { compareLanes } from '../lib/spaceTimeBuffer';
import { DEFAULT_FAMILIES, describeLayout, hitTest, layoutDiagram, stepMessage, yToTime, type DiagramLayout } from '../lib/spaceTimeLayout';
import { useMessagePayload } from '../hooks/useMessagePayload';
import { useAlgorithm, useApp } from '../stores/hooks';
import { DIAGRAM_COLOR_VARS, drawDiagram, HEADER_PX, type DiagramColors } from './drawMessageDiagram';
import { MessageDetails, type DiagramSelection } from './MessageDetails';
import { MessageDiagramControls, MessageDiagramLegend, ZOOM_STEPS, DEFAULT_ZOOM } from './MessageDiagramControls';

/** Fixed, so a stream of events never moves the page. */
const CANVAS_H = 420;
const PLOT_H = CANVAS_H - HEADER_PX;
const AXIS_PX = 84;

export type DiagramView = {
  /** Following the live edge (off once paused or scrolled back). */
  follow: boolean;
  paused: boolean;
  /** The bottom edge's time while not following. */
  endMs: number;
  zoom: number;
  families: ReadonlySet<MessageFamily>;
};

const tickClock = (ms: number) => formatClock(ms).slice(3);

/**
 * The space-time diagram: a lane per process, time flowing down, each peer message an arrow
 * from its send to its receipt. Drawn on a canvas outside React: the feed writes into
 * its buffer (diagramFeed.ts: the live one, or a past moment's) and marks the drawing dirty; one requestAnimationFrame draws it, only while
 * the canvas is on screen. React renders only for the controls, the selection and the summary.
 */
export function MessageDiagram() {
  const [wrapRef, width] = useWidth<HTMLDivElement>(800);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const colors = useCssColors(DIAGRAM_COLOR_VARS);
  const algorithm = useAlgorithm();
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const [view, setView] = useState<DiagramView>({ follow: true, paused: false, endMs: 0, zoom: DEFAULT_ZOOM, families: DEFAULT_FAMILIES });
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<DiagramSelection>(null);
  const [summary, setSummary] = useState('No messages yet.');
  const [, setTick] = useState(0);

  // What the draw loop reads: refs, so drawing never waits on a render.
  const state = useRef({ view, width, colors, nodeIds, cursor, open });
  state.current = { view, width, colors, nodeIds, cursor, open };
  const layoutRef = useRef<DiagramLayout | null>(null);
  const hover = useRef<{ key: string; past: ReadonlyMap<string, number>; messageId: string | null } | null>(null);
  const redraw = useRef<() => void>(() => {});

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let frame = 0;
    let dirty = true;
    let onScreen = true;
    let lastSummaryAt = 0;
    const draw = () => {
      frame = 0;
      if (!dirty || !onScreen) return;
      dirty = false;
      const { view: v, width: w, colors: c, nodeIds: ids, cursor: cur, open: op } = state.current;
      if (!c) return;
      const lanes = [...new Set([...shownDiagramBuffer().laneIds(), ...ids])].sort(compareLanes);
      const live = v.follow;
      const endMs = live ? (shownDiagramBuffer().newestMs ?? Date.now()) : v.endMs;
      const layout = layoutDiagram(shownDiagramBuffer(), { endMs, heightPx: PLOT_H, widthPx: w, msPerPx: ZOOM_STEPS[v.zoom]!, families: v.families, lanes, axisPx: AXIS_PX });
      layoutRef.current = layout;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(CANVAS_H * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(CANVAS_H * dpr);
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawDiagram(ctx as CanvasRenderingContext2D, layout, w, c as DiagramColors, { past: hover.current?.past ?? null, selectedId: cur ?? (op?.kind === 'message' ? op.id : null), selectedSeq: op?.kind === 'event' ? op.event.seq : null, hoveredId: hover.current?.messageId ?? null }, tickClock);
      // The accessible summary, at most twice a second: a render per frame would undo the point.
      const now = performance.now();
      if (now - lastSummaryAt > 500 || !live) {
        lastSummaryAt = now;
        setSummary(describeLayout(layout, live, formatClock));
      }
    };
    const schedule = () => {
      dirty = true;
      if (!frame && onScreen) frame = requestAnimationFrame(draw);
    };
    redraw.current = schedule;
    // Off screen nobody sees it: skip the drawing, and draw once when it is back.
    const io =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            onScreen = entries.at(-1)?.isIntersecting ?? true;
            if (onScreen) schedule();
            else {
              cancelAnimationFrame(frame);
              frame = 0;
            }
          });
    io?.observe(canvas);
    // Frozen (paused or scrolled back), new events change nothing on screen.
    const unsubscribe = subscribeDiagram(() => {
      if (state.current.view.follow) schedule();
    });
    schedule();
    return () => {
      io?.disconnect();
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, []);

  useEffect(() => redraw.current(), [view, width, colors, nodeIds, cursor, open]);

  // An open message still in flight gets its receipt later: look again now and then.
  const unresolved = open?.kind === 'message' && !shownDiagramBuffer().messageById(open.id)?.received && !shownDiagramBuffer().messageById(open.id)?.lost;
  useEffect(() => {
    if (!unresolved) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [unresolved]);

  /** Scroll by pixels: negative is back in time (up). Reaching the live edge follows it again, unless paused. */
  const scrollBy = (dy: number) => {
    const layout = layoutRef.current;
    if (!layout) return;
    setView((v) => {
      const newest = shownDiagramBuffer().newestMs ?? 0;
      const oldest = shownDiagramBuffer().oldestMs ?? newest;
      const end = yToTime(layout.segments, ZOOM_STEPS[v.zoom]!, layout.heightPx + dy);
      if (end >= newest) return v.paused ? { ...v, endMs: newest } : { ...v, follow: true };
      return { ...v, follow: false, endMs: Math.max(oldest + 1, end) };
    });
  };
  const zoomBy = (d: number) =>
    setView((v) => {
      const zoom = Math.max(0, Math.min(ZOOM_STEPS.length - 1, v.zoom + d));
      // Zooming while following keeps following; frozen, it keeps the bottom edge where it was.
      return { ...v, zoom, endMs: v.follow ? v.endMs : (layoutRef.current?.toMs ?? v.endMs) };
    });
  const scrollRef = useRef({ scrollBy, zoomBy });
  scrollRef.current = { scrollBy, zoomBy };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // Not passive: the wheel scrolls the diagram, not the page, while the pointer is over it.
    const onWheel = (e: WheelEvent) => {
      // Already at the live edge, scrolling on down is for the page, not the diagram.
      if (!e.ctrlKey && !e.metaKey && e.deltaY > 0 && state.current.view.follow) return;
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) scrollRef.current.zoomBy(e.deltaY < 0 ? -1 : 1);
      else scrollRef.current.scrollBy(e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, []);

  const pointAt = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const layout = layoutRef.current;
    return layout ? hitTest(layout, e.clientX - r.left, e.clientY - r.top - HEADER_PX) : null;
  };
  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const hit = pointAt(e);
    e.currentTarget.style.cursor = hit ? 'pointer' : '';
    const target = hit === null ? null : hit.kind === 'event' ? hit.mark.event : (hit.arrow.message.received ?? hit.arrow.message.lost ?? hit.arrow.message.sent);
    const key = target ? String(target.seq) : null;
    if ((hover.current?.key ?? null) === key) return;
    hover.current = target ? { key: key!, past: shownDiagramBuffer().causalPast(target), messageId: hit?.kind === 'message' ? hit.arrow.message.id : null } : null;
    redraw.current();
  };
  const onMouseLeave = () => {
    if (!hover.current) return;
    hover.current = null;
    redraw.current();
  };
  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const hit = pointAt(e);
    if (!hit) return;
    if (hit.kind === 'message') {
      setCursor(hit.arrow.message.id);
      setOpen({ kind: 'message', id: hit.arrow.message.id });
    } else {
      setCursor(null);
      setOpen({ kind: 'event', event: hit.mark.event });
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const layout = layoutRef.current;
    if (!layout) return;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => setCursor(stepMessage(layout, cursor, -1)?.message.id ?? null),
      ArrowRight: () => setCursor(stepMessage(layout, cursor, 1)?.message.id ?? null),
      Enter: () => cursor !== null && setOpen({ kind: 'message', id: cursor }),
      ' ': () => cursor !== null && setOpen({ kind: 'message', id: cursor }),
      Escape: () => setOpen(null),
      ArrowUp: () => scrollBy(-40),
      ArrowDown: () => scrollBy(40),
      PageUp: () => scrollBy(-PLOT_H * 0.8),
      PageDown: () => scrollBy(PLOT_H * 0.8),
      End: () => setView((v) => ({ ...v, follow: true, paused: false })),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  };

  const cursorMsg = cursor === null ? undefined : shownDiagramBuffer().messageById(cursor);
  const openMsg = open?.kind === 'message' ? shownDiagramBuffer().messageById(open.id) : undefined;
  const payload = useMessagePayload(openMsg);
  const select = (s: DiagramSelection) => {
    setOpen(s);
    setCursor(s?.kind === 'message' ? s.id : null);
  };

  return (
    <section className="panel mdiagram" aria-labelledby="mdiagram-heading">
      <div className="panel__head">
        <h2 id="mdiagram-heading">Message diagram</h2>
        <span className="muted small">Time flows down; each arrow a message from its send to its receipt.</span>
      </div>
      <MessageDiagramControls view={view} setView={setView} onZoom={zoomBy} />
      <div ref={wrapRef} className="mdiagram__plot">
        <canvas
          ref={canvasRef}
          className="mdiagram__canvas"
          style={{ height: CANVAS_H }}
          role="img"
          aria-label={summary}
          aria-describedby="mdiagram-keys"
          tabIndex={0}
          onMouseMove={onMouseMove}
          onMouseLeave={onMouseLeave}
          onClick={onClick}
          onKeyDown={onKeyDown}
        />
        <p id="mdiagram-keys" className="visually-hidden">
          Left and right arrows select the previous or next message, Enter opens its details; Page Up and Page Down scroll back and forward in time; End returns to the live edge.
        </p>
        <p className="visually-hidden" aria-live="polite">
          {cursorMsg ? `Selected: ${cursorMsg.type} from ${cursorMsg.from} to ${cursorMsg.to}${cursorMsg.received ? '' : cursorMsg.lost ? ', lost' : ''}.` : ''}
        </p>
      </div>
      <MessageDiagramLegend />
      <MessageDetails
        message={openMsg}
        event={open?.kind === 'event' ? open.event : undefined}
        caused={open?.kind === 'message' ? shownDiagramBuffer().causedBy(open.id) : []}
        payload={payload}
        answering={open?.kind === 'event' && open.event.cause !== undefined ? shownDiagramBuffer().messageById(open.event.cause) : undefined}
        algorithm={algorithm}
        onSelect={select}
      />
    </section>
  );
}

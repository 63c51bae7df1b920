import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ClusterEvent } from '@clusterlab/shared';
import { EventRow, ROW_HEIGHT } from './EventRow';

const OVERSCAN = 8;

type Props = {
  /** Oldest first, ascending seq. */
  events: readonly ClusterEvent[];
  /** What to say when nothing matches (the reason differs: filters, or only heartbeats so far). */
  emptyText: string;
  newestFirst: boolean;
  follow: boolean;
  selectedSeq: number | null;
  onSelect: (seq: number) => void;
  onFollowChange: (follow: boolean) => void;
};

/** Display position → event, for either order. */
function at(events: readonly ClusterEvent[], i: number, newestFirst: boolean): ClusterEvent | undefined {
  return events[newestFirst ? events.length - 1 - i : i];
}

function indexOfSeq(events: readonly ClusterEvent[], seq: number, newestFirst: boolean): number {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = events[mid]!.seq;
    if (s === seq) return newestFirst ? events.length - 1 - mid : mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The log, windowed by hand: only the rows in view (plus a few) are in the DOM, at fixed
 * height, so 5,000 events cost as much as 40. While following, it sticks to the newest
 * edge; otherwise it keeps the row under the reader's eyes still as new ones arrive.
 * Scrolling away from the newest edge stops following; scrolling back resumes it.
 */
export function EventList({ events, emptyText, newestFirst, follow, selectedSeq, onSelect, onFollowChange }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  // The row at the top of the view and how far into it we are, to hold still while paused.
  const anchor = useRef<{ seq: number; offset: number } | null>(null);
  // Scroll events we caused ourselves are not the reader scrolling away.
  const expectedTop = useRef<number | null>(null);
  const total = events.length;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rememberAnchor = useCallback(
    (top: number) => {
      const i = Math.floor(top / ROW_HEIGHT);
      const e = at(events, i, newestFirst);
      anchor.current = e ? { seq: e.seq, offset: top - i * ROW_HEIGHT } : null;
    },
    [events, newestFirst],
  );

  const scrollTo = (top: number) => {
    const el = ref.current;
    if (!el) return;
    const max = Math.max(0, total * ROW_HEIGHT - el.clientHeight);
    const clamped = Math.max(0, Math.min(max, top));
    if (Math.abs(el.scrollTop - clamped) < 1) return;
    expectedTop.current = clamped;
    el.scrollTop = clamped;
    setScrollTop(clamped);
  };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (follow) {
      scrollTo(newestFirst ? 0 : total * ROW_HEIGHT);
    } else if (anchor.current) {
      const i = indexOfSeq(events, anchor.current.seq, newestFirst);
      if (i >= 0) scrollTo(i * ROW_HEIGHT + anchor.current.offset);
    }
    rememberAnchor(el.scrollTop);
    // Re-anchors only when the data or the view changes, not on every scroll.
  }, [events, newestFirst, follow, height]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const top = el.scrollTop;
    setScrollTop(top);
    rememberAnchor(top);
    if (expectedTop.current !== null && Math.abs(top - expectedTop.current) < 2) {
      expectedTop.current = null;
      return;
    }
    expectedTop.current = null;
    const atEdge = newestFirst ? top < ROW_HEIGHT / 2 : top + el.clientHeight >= el.scrollHeight - ROW_HEIGHT / 2;
    if (atEdge !== follow) onFollowChange(atEdge);
  };

  const select = (displayIndex: number) => {
    const i = Math.max(0, Math.min(total - 1, displayIndex));
    const e = at(events, i, newestFirst);
    if (!e) return;
    onSelect(e.seq);
    if (follow) onFollowChange(false);
    const el = ref.current;
    if (!el) return;
    if (i * ROW_HEIGHT < el.scrollTop) scrollTo(i * ROW_HEIGHT);
    else if ((i + 1) * ROW_HEIGHT > el.scrollTop + el.clientHeight) scrollTo((i + 1) * ROW_HEIGHT - el.clientHeight);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = selectedSeq === null ? -1 : indexOfSeq(events, selectedSeq, newestFirst);
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current < 0 ? Math.floor(scrollTop / ROW_HEIGHT) : current + 1,
      ArrowUp: current < 0 ? Math.floor(scrollTop / ROW_HEIGHT) : current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: total - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    select(target);
  };

  const clickSelect = useCallback(
    (seq: number) => {
      onSelect(seq);
      if (follow) onFollowChange(false);
    },
    [onSelect, onFollowChange, follow],
  );

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const e = at(events, i, newestFirst)!;
    rows.push(<EventRow key={e.seq} event={e} index={i} total={total} selected={e.seq === selectedSeq} onSelect={clickSelect} />);
  }
  const activeVisible = selectedSeq !== null && rows.some((r) => r.key === String(selectedSeq));
  // While paused, say how many newer rows are out of view and offer the way back to them.
  const newer = follow ? 0 : newestFirst ? Math.floor(scrollTop / ROW_HEIGHT) : Math.max(0, total - Math.ceil((scrollTop + height) / ROW_HEIGHT));
  const newerButton =
    newer > 0 ? (
      <button type="button" className={`ev-list__newer ev-list__newer--${newestFirst ? 'top' : 'bottom'}`} onClick={() => onFollowChange(true)}>
        {newestFirst ? '↑' : '↓'} {newer.toLocaleString()} newer — follow
      </button>
    ) : null;

  return (
    <div className="ev-list-wrap">
      <div ref={ref} className="ev-list" role="listbox" tabIndex={0} aria-label="Events"
        aria-activedescendant={activeVisible ? `event-${selectedSeq}` : undefined}
        onScroll={onScroll} onKeyDown={onKeyDown}>
        <div className="ev-list__inner" style={{ height: total * ROW_HEIGHT }}>
          {rows}
        </div>
        {total === 0 && <p className="empty ev-list__empty">{emptyText}</p>}
      </div>
      {/* Outside the listbox: a listbox may only contain options. */}
      {newerButton}
    </div>
  );
}

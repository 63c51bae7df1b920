import { memo } from 'react';
import type { ClusterEvent } from '@clusterlab/shared';
import { familyOf } from '../lib/eventInfo';
import { formatClock, summarizeEvent } from '../lib/format';
import { useAlgorithm } from '../stores/hooks';

export const ROW_HEIGHT = 24;

/** One line of the log. Memoised: scrolling re-positions rows without re-rendering their text. */
export const EventRow = memo(function EventRow({ event, index, total, selected, onSelect }: {
  event: ClusterEvent;
  index: number;
  total: number;
  selected: boolean;
  onSelect: (seq: number) => void;
}) {
  const algorithm = useAlgorithm();
  return (
    <div id={`event-${event.seq}`} role="option" aria-selected={selected} aria-posinset={index + 1} aria-setsize={total}
      className={`ev-row fam-${familyOf(event.kind)}${selected ? ' ev-row--selected' : ''}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={() => onSelect(event.seq)}>
      <span className="ev-row__time">{formatClock(event.time)}</span>
      <span className="ev-row__node">{event.node}</span>
      <span className="ev-row__text">
        <span className="ev-row__kind">{event.kind}</span> {summarizeEvent(event, algorithm)}
      </span>
      {/* The number the details, message pairs ("Delivered as #456") and the search box use. */}
      <span className="ev-row__seq">#{event.seq}</span>
    </div>
  );
});

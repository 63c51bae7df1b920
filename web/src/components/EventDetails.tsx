import type { ClusterEvent } from '@clusterlab/shared';
import { formatClock, formatDuration } from '../lib/format';
import { useActions, useApp } from '../stores/hooks';

function findBySeq(events: readonly ClusterEvent[], seq: number): ClusterEvent | undefined {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = events[mid]!;
    if (e.seq === seq) return e;
    if (e.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The other half of a message: its delivery (or loss) for a send, its send for a delivery. */
function counterpart(events: readonly ClusterEvent[], e: ClusterEvent): ClusterEvent | undefined {
  if (e.kind === 'message.sent') {
    return events.find((x) => (x.kind === 'message.received' || x.kind === 'message.lost') && x.data.id === e.data.id && x.seq > e.seq);
  }
  if (e.kind === 'message.received' || e.kind === 'message.lost') {
    return events.find((x) => x.kind === 'message.sent' && x.data.id === e.data.id && x.node === e.data.from);
  }
  return undefined;
}

export function EventDetails() {
  const seq = useApp((s) => s.ui.selectedSeq);
  const event = useApp((s) => (seq === null ? undefined : findBySeq(s.events.all, seq)));
  const pair = useApp((s) => (event ? counterpart(s.events.all, event) : undefined));
  const { selectEvent } = useActions();

  return (
    <section className="ev-details" aria-labelledby="event-details-heading">
      <div className="ev-details__head">
        <h3 id="event-details-heading" className="small-heading">
          {event ? `Event #${event.seq} · ${event.kind}` : 'Event details'}
        </h3>
        {seq !== null && (
          <button type="button" className="btn btn--quiet btn--small" onClick={() => selectEvent(null)}>
            Close details
          </button>
        )}
      </div>
      {event ? (
        <>
          {pair && (
            <p className="small">
              {pair.kind === 'message.lost' ? 'Lost' : pair.kind === 'message.received' ? 'Delivered' : 'Sent'} as #{pair.seq} at {formatClock(pair.time)}
              {pair.kind !== 'message.sent' && ` (${formatDuration(pair.time - event.time)} later)`}
            </p>
          )}
          <pre className="ev-details__json">{JSON.stringify(event, null, 2)}</pre>
        </>
      ) : (
        <p className="muted small">{seq === null ? 'Select an event to see all of its fields.' : 'That event has left the buffer.'}</p>
      )}
    </section>
  );
}

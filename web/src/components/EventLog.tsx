import { useCallback, useDeferredValue, useMemo } from 'react';
import { filterEvents } from '../lib/eventFilter';
import { useActions, useApp } from '../stores/hooks';
import { EventDetails } from './EventDetails';
import { EventFilters } from './EventFilters';
import { EventList } from './EventList';

export function EventLog() {
  const hideHeartbeats = useApp((s) => s.ui.log.hideHeartbeats);
  const source = useApp((s) => (hideHeartbeats ? s.events.notable : s.events.all));
  const node = useApp((s) => s.ui.log.node);
  const hiddenFamilies = useApp((s) => s.ui.log.hiddenFamilies);
  const search = useApp((s) => s.ui.log.search);
  const newestFirst = useApp((s) => s.ui.log.newestFirst);
  const follow = useApp((s) => s.ui.log.follow);
  const selectedSeq = useApp((s) => s.ui.selectedSeq);
  const missed = useApp((s) => s.events.missed);
  const anyEvents = useApp((s) => s.events.all.length > 0);
  const { setLogFilter, selectEvent } = useActions();

  // Typing in the search box stays responsive while 5,000 rows are re-filtered behind it.
  const query = useDeferredValue(search);
  const events = useMemo(() => filterEvents(source, { node, hiddenFamilies, search: query }), [source, node, hiddenFamilies, query]);
  const onFollowChange = useCallback((f: boolean) => setLogFilter({ follow: f }), [setLogFilter]);
  const emptyText =
    source.length > 0
      ? 'No events match the filters.'
      : hideHeartbeats && anyEvents
        ? 'Only heartbeats so far: on connecting, the page gets the most recent events, and with many nodes those are all heartbeats. Kill a node or write a key, or untick “Hide heartbeats”.'
        : 'No events yet.';

  return (
    <section className="panel event-log" aria-labelledby="event-log-heading">
      <div className="panel__head">
        <h2 id="event-log-heading">Event log</h2>
        <span className="muted small ev-count">
          {events.length.toLocaleString()} of {source.length.toLocaleString()}
          {missed > 0 && <span className="warn"> · {missed.toLocaleString()} missed while offline</span>}
        </span>
      </div>
      <EventFilters />
      <EventList events={events} emptyText={emptyText} newestFirst={newestFirst} follow={follow} selectedSeq={selectedSeq} onSelect={selectEvent} onFollowChange={onFollowChange} />
      <EventDetails />
    </section>
  );
}

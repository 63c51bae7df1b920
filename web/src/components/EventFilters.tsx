import { useId } from 'react';
import { EVENT_FAMILIES } from '../lib/eventInfo';
import { useActions, useApp } from '../stores/hooks';

export function EventFilters() {
  const f = useApp((s) => s.ui.log);
  const sources = useApp((s) => s.events.sources);
  const { setLogFilter } = useActions();
  const ids = { node: useId(), hb: useId(), order: useId() };
  const hidden = new Set(f.hiddenFamilies);

  return (
    <div className="ev-filters">
      <div className="ev-filters__row">
        <input type="search" className="ev-filters__search" aria-label="Search events" placeholder="Search events…"
          value={f.search} onChange={(e) => setLogFilter({ search: e.target.value })} />
        <label htmlFor={ids.node} className="visually-hidden">
          Filter by node
        </label>
        <select id={ids.node} value={f.node ?? ''} onChange={(e) => setLogFilter({ node: e.target.value || null })}>
          <option value="">All nodes</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="ev-filters__families" role="group" aria-label="Event kinds shown">
        {EVENT_FAMILIES.map((fam) => (
          <button key={fam} type="button" className={`chip fam-${fam}`} aria-pressed={!hidden.has(fam)}
            onClick={() => setLogFilter({ hiddenFamilies: hidden.has(fam) ? f.hiddenFamilies.filter((x) => x !== fam) : [...f.hiddenFamilies, fam] })}>
            {fam}
          </button>
        ))}
      </div>
      <div className="ev-filters__row ev-filters__toggles">
        <label htmlFor={ids.hb}>
          <input id={ids.hb} type="checkbox" checked={f.hideHeartbeats} onChange={(e) => setLogFilter({ hideHeartbeats: e.target.checked })} />
          Hide heartbeats
        </label>
        <label htmlFor={ids.order}>
          <input id={ids.order} type="checkbox" checked={f.newestFirst} onChange={(e) => setLogFilter({ newestFirst: e.target.checked })} />
          Newest first
        </label>
        <button type="button" className={`btn btn--small${f.follow ? '' : ' btn--active'}`} aria-pressed={!f.follow}
          onClick={() => setLogFilter({ follow: !f.follow })}>
          {f.follow ? 'Pause scrolling' : 'Scrolling paused'}
        </button>
      </div>
    </div>
  );
}

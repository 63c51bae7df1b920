import type { ClusterEvent } from '@clusterlab/shared';
import { familyOf, involvesNode, searchText } from './eventInfo';
import type { LogFilter } from '../stores/uiSlice';

/** The log's filters, applied oldest-first; the list decides the display order. */
export function filterEvents(events: readonly ClusterEvent[], f: Pick<LogFilter, 'node' | 'hiddenFamilies' | 'search'>): readonly ClusterEvent[] {
  const query = f.search.trim().toLowerCase();
  if (f.node === null && f.hiddenFamilies.length === 0 && query === '') return events;
  const hidden = new Set<string>(f.hiddenFamilies);
  return events.filter(
    (e) =>
      (f.node === null || involvesNode(e, f.node)) &&
      (hidden.size === 0 || !hidden.has(familyOf(e.kind))) &&
      (query === '' || searchText(e).includes(query)),
  );
}

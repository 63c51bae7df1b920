import { useMemo } from 'react';
import { registryReach } from '../lib/faults';
import { formatDuration } from '../lib/format';
import { useServerNow } from '../hooks/useNow';
import { useApp } from '../stores/hooks';
import { RegistryControls } from './RegistryControls';
import { StatusBadge } from './StatusBadge';

/**
 * The registry and what it believes: each listed node with the time left before it is
 * forgotten unless it heart-beats again. Cluster nodes it does not list are shown too,
 * greyed, because "n2 is running but the registry forgot it" is a lesson in itself.
 */
export function RegistryPanel() {
  const registry = useApp((s) => s.cluster.registry);
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const settings = useApp((s) => s.cluster.settings);
  const now = useServerNow(100);
  const faults = useApp((s) => s.faults.list);
  const reach = useMemo(() => registryReach(faults, nodeIds), [faults, nodeIds]);

  const rows = useMemo(() => {
    const listed = new Map((registry?.nodes ?? []).map((e) => [e.id, e]));
    const ids = [...new Set([...nodeIds, ...listed.keys()])];
    return ids.map((id) => ({ id, entry: listed.get(id) ?? null }));
  }, [registry, nodeIds]);

  return (
    <section className="panel registry" aria-labelledby="registry-heading">
      <div className="panel__head">
        <h3 id="registry-heading">Registry</h3>
        {registry && <StatusBadge status={registry.status} />}
        <span className="muted small">
          {registry ? `pid ${registry.pid ?? '—'} · port ${registry.port ?? '—'} · forgets after ${formatDuration(registry.ttlMs)}` : 'not started'}
        </span>
      </div>
      <ul className="registry__list" aria-label="Nodes the registry lists">
        {rows.map(({ id, entry }) => {
          if (!entry) {
            return (
              <li key={id} className="registry__row registry__row--absent">
                <span className="registry__id">{id}</span>
                <span className="registry__addr">not listed</span>
                <span className="registry__bar" aria-hidden="true" />
                <span className="registry__left">—</span>
              </li>
            );
          }
          const left = Math.max(0, entry.expiresAt - now);
          const ttl = registry?.ttlMs || 1;
          const fraction = Math.min(1, left / ttl);
          return (
            <li key={id} className={`registry__row${fraction < 0.5 ? ' registry__row--fading' : ''}`}>
              <span className="registry__id">{id}</span>
              <span className="registry__addr">
                {entry.host}:{entry.port}
              </span>
              <span className="registry__bar" aria-hidden="true">
                <span style={{ transform: `scaleX(${fraction})` }} />
              </span>
              <span className="registry__left">{left > 0 ? `expires in ${formatDuration(left)}` : 'expiring'}</span>
            </li>
          );
        })}
        {rows.length === 0 && <li className="registry__row registry__row--absent">no nodes</li>}
      </ul>
      <p className={reach === 'Reaches every node' ? 'registry__reach small muted' : 'registry__reach small registry__reach--cut'}>
        {reach}
      </p>
      <p className="registry__hint muted small">
        Nodes find each other here. Each re-registers every {settings ? formatDuration(settings.registryIntervalMs) : '…'}; one silent for{' '}
        {registry ? formatDuration(registry.ttlMs) : '…'} is forgotten. A paused node stays listed until then.
      </p>
      {registry && <RegistryControls status={registry.status} />}
    </section>
  );
}

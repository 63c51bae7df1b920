import { useId, useMemo } from 'react';
import { differingNodes, type Copy } from '../lib/divergence';
import { useApp } from '../stores/hooks';

/** One read per node, side by side; copies that disagree with the leader's are marked. */
export function ReadAllTable() {
  const readAll = useApp((s) => s.keys.readAll);
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const statuses = useApp((s) => s.cluster.nodes);
  const leader = useApp((s) => s.events.leadership.leader);
  const headingId = useId();
  const differs = useMemo(() => {
    if (!readAll) return new Set<string>();
    const copies: Record<string, Copy> = {};
    for (const r of readAll.reads) {
      const node = r.servedBy ?? r.redirectedFrom;
      if (!node) continue;
      copies[node] = r.status === 200 ? (r.value ?? null) : r.status === 404 ? null : undefined;
    }
    return differingNodes(copies, leader);
  }, [readAll, leader]);

  if (!readAll) return null;
  // The supervisor asks only running nodes; the others get a column too, so "all agree"
  // never hides a paused node that might hold an old value.
  const answered = new Set(readAll.reads.map((r) => r.servedBy ?? r.redirectedFrom));
  const notAsked = nodeIds.filter((id) => !answered.has(id));
  return (
    <div className="read-all">
      <h3 id={headingId} className="small-heading">
        “{readAll.key}” read from every node{' '}
        <span className="muted">
          ({differs.size ? `${differs.size} differ` : `all ${readAll.reads.length} that answered agree`}
          {notAsked.length ? `; ${notAsked.join(', ')} not asked` : ''})
        </span>
      </h3>
      <div className="table-scroll">
        <table className="data-table data-table--compact" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="row">Node</th>
              {readAll.reads.map((r, i) => (
                <th key={i} scope="col">
                  {r.servedBy ?? r.redirectedFrom ?? '?'}
                </th>
              ))}
              {notAsked.map((id) => (
                <th key={id} scope="col" className="muted">
                  {id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Value</th>
              {readAll.reads.map((r, i) => {
                const node = r.servedBy ?? r.redirectedFrom ?? '';
                const diff = differs.has(node);
                return (
                  <td key={i} className={diff ? 'cell--differs' : undefined}>
                    {r.status === 200 ? <span className="mono">{JSON.stringify(r.value ?? '')}</span> : r.status === 404 ? <span className="muted">absent</span> : <span className="bad">error {r.status}</span>}
                    {diff && <span className="differs-tag">differs</span>}
                  </td>
                );
              })}
              {notAsked.map((id) => (
                <td key={id} className="muted">
                  not asked ({statuses[id]?.status ?? 'gone'})
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Index</th>
              {readAll.reads.map((r, i) => (
                <td key={i} className="num">
                  {r.index ?? '—'}
                </td>
              ))}
              {notAsked.map((id) => (
                <td key={id} className="num muted">
                  —
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}

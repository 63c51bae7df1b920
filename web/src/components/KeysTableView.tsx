import { useEffect, useId, useMemo } from 'react';
import { refreshKeys } from '../api/actions';
import { differingNodes, type Copy } from '../lib/divergence';
import { formatClock } from '../lib/format';
import { useApp } from '../stores/hooks';

const POLL_MS = 2000;
/** Rows drawn at most; the table is for seeing lag, not for browsing a big dataset. */
const MAX_ROWS = 300;

/** Every key on every node with the index that wrote it: replication lag, made visible. */
export function KeysTableView() {
  const table = useApp((s) => s.keys.table);
  const tableAt = useApp((s) => s.keys.tableAt);
  const error = useApp((s) => s.keys.tableError);
  const leader = useApp((s) => s.events.leadership.leader);
  const past = useApp((s) => s.travel.mode === 'past');
  const headingId = useId();

  useEffect(() => {
    void refreshKeys();
    const timer = setInterval(() => {
      if (!document.hidden) void refreshKeys();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const rows = useMemo(() => {
    if (!table) return [];
    return table.keys.slice(0, MAX_ROWS).map((k) => {
      const copies: Record<string, Copy> = {};
      for (const n of table.nodes) copies[n.id] = n.reachable ? (k.values[n.id]?.value ?? null) : undefined;
      return { ...k, differs: differingNodes(copies, leader) };
    });
  }, [table, leader]);

  return (
    <div className="keys-table">
      <div className="keys-table__head">
        <h3 id={headingId} className="small-heading">
          Every key on every node
        </h3>
        <span className="muted small">
          {error ? (
            <span className="bad">{error}</span>
          ) : past ? (
            tableAt ? `as they were at ${formatClock(tableAt)}` : 'replaying every node to this moment…'
          ) : tableAt ? (
            `updated ${formatClock(tableAt)} · every ${POLL_MS / 1000} s`
          ) : (
            'loading…'
          )}
        </span>
        <button type="button" className="btn btn--quiet" onClick={() => void refreshKeys()}>
          Refresh keys
        </button>
      </div>
      <div className="table-scroll keys-table__scroll">
        <table className="data-table data-table--compact" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Key</th>
              {table?.nodes.map((n) => (
                <th key={n.id} scope="col" className={n.reachable ? undefined : 'muted'}>
                  {n.id}
                  {n.id === leader && (
                    <>
                      <span className="crown" aria-hidden="true"> ♛</span>
                      <span className="visually-hidden"> (leader)</span>
                    </>
                  )}
                  <span className="th-sub">{n.reachable ? `applied ${n.appliedIndex}` : 'unreachable'}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((k) => (
              <tr key={k.key}>
                <th scope="row" className="mono">
                  {k.key}
                </th>
                {table!.nodes.map((n) => {
                  const v = k.values[n.id];
                  const diff = k.differs.has(n.id);
                  return (
                    <td key={n.id} className={diff ? 'cell--differs' : undefined}>
                      {!n.reachable ? (
                        <span className="muted">?</span>
                      ) : v ? (
                        <>
                          <span className="mono">{v.value}</span> <span className="idx">@{v.index}</span>
                        </>
                      ) : (
                        <span className="muted">absent</span>
                      )}
                      {diff && <span className="visually-hidden"> (differs)</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
            {table && rows.length === 0 && (
              <tr>
                <td colSpan={1 + table.nodes.length} className="empty">
                  No keys yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {table && (table.truncated || table.keys.length > MAX_ROWS) && <p className="muted small">Showing the first {Math.min(MAX_ROWS, table.keys.length)} keys.</p>}
    </div>
  );
}

import { useId, useState } from 'react';
import { MAX_NODES, MIN_NODES } from '@clusterlab/shared/limits';
import { resetCluster } from '../api/actions';
import { useApp } from '../stores/hooks';

/** Resetting wipes every node's data, so it asks once, inline (no modal in the way). */
export function ResetControl() {
  const current = useApp((s) => s.cluster.nodeIds.length);
  const busy = useApp((s) => s.ui.busy.cluster !== undefined);
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState(3);
  const inputId = useId();

  if (!open) {
    return (
      <button type="button" className="btn" disabled={busy}
        onClick={() => {
          setCount(current || 3);
          setOpen(true);
        }}>
        Reset cluster
      </button>
    );
  }
  const valid = Number.isInteger(count) && count >= MIN_NODES && count <= MAX_NODES;
  return (
    <form className="reset-form" onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        setOpen(false);
        void resetCluster(count);
      }}>
      <label htmlFor={inputId}>Number of nodes</label>
      <input id={inputId} type="number" min={MIN_NODES} max={MAX_NODES} value={count} autoFocus
        onChange={(e) => setCount(e.target.valueAsNumber)} aria-invalid={!valid} />
      <button type="submit" className="btn btn--danger" disabled={!valid || busy}>
        Confirm reset
      </button>
      <button type="button" className="btn btn--quiet" onClick={() => setOpen(false)}>
        Cancel reset
      </button>
      <span className="muted small">erases all data</span>
    </form>
  );
}

import type { NodeView } from '@clusterlab/shared';
import { nodeAction, removeNode } from '../api/actions';
import { useApp } from '../stores/hooks';

/**
 * Fault buttons for one node. Each accessible name includes the node ("Kill n2") so a screen
 * reader user, or a test, can tell the nine Kill buttons apart. Buttons a state makes
 * meaningless are disabled rather than hidden, so the row never changes shape.
 */
export function NodeControls({ node }: { node: Pick<NodeView, 'id' | 'status'> }) {
  const busy = useApp((s) => s.ui.busy[node.id]);
  const { id, status } = node;
  const alive = status === 'running' || status === 'paused' || status === 'starting';
  const paused = status === 'paused';
  const wait = busy !== undefined;
  return (
    <div className="node-controls" aria-busy={wait}>
      <button type="button" className="btn btn--danger" aria-label={`Kill ${id}`} title="SIGKILL: dies at once, no goodbye"
        disabled={wait || !alive} onClick={() => void nodeAction(id, 'kill')}>
        Kill
      </button>
      <button type="button" className="btn" aria-label={`Stop ${id}`} title="SIGTERM: leaves the registry and exits cleanly"
        disabled={wait || !alive} onClick={() => void nodeAction(id, 'stop')}>
        Stop
      </button>
      {paused ? (
        <button type="button" className="btn btn--warn" aria-label={`Resume ${id}`} title="SIGCONT: carries on as if nothing happened"
          disabled={wait} onClick={() => void nodeAction(id, 'resume')}>
          Resume
        </button>
      ) : (
        <button type="button" className="btn" aria-label={`Pause ${id}`} title="SIGSTOP: frozen, but still registered and still thinks it is who it was"
          disabled={wait || status !== 'running'} onClick={() => void nodeAction(id, 'pause')}>
          Pause
        </button>
      )}
      <button type="button" className="btn" aria-label={`Restart ${id}`} title={status === 'stopped' ? 'Start it again from its data directory' : 'Stop and start again from its data directory'}
        disabled={wait} onClick={() => void nodeAction(id, 'restart')}>
        Restart
      </button>
      <button type="button" className="btn btn--quiet" aria-label={`Remove ${id}`} title="Stop it and forget it"
        disabled={wait} onClick={() => void removeNode(id)}>
        Remove
      </button>
    </div>
  );
}

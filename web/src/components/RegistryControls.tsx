import type { ProcessStatus } from '@clusterlab/shared';
import { registryAction } from '../api/actions';
import { useApp } from '../stores/hooks';

/** Faults for the registry: without it nodes cannot find new peers, but do they still work? */
export function RegistryControls({ status }: { status: ProcessStatus }) {
  const wait = useApp((s) => s.ui.busy.registry !== undefined);
  const alive = status !== 'stopped';
  return (
    <div className="node-controls" aria-busy={wait}>
      <button type="button" className="btn btn--danger" aria-label="Kill registry" disabled={wait || !alive} onClick={() => void registryAction('kill')}>
        Kill
      </button>
      <button type="button" className="btn" aria-label="Stop registry" disabled={wait || !alive} onClick={() => void registryAction('stop')}>
        Stop
      </button>
      {status === 'paused' ? (
        <button type="button" className="btn btn--warn" aria-label="Resume registry" disabled={wait} onClick={() => void registryAction('resume')}>
          Resume
        </button>
      ) : (
        <button type="button" className="btn" aria-label="Pause registry" disabled={wait || status !== 'running'} onClick={() => void registryAction('pause')}>
          Pause
        </button>
      )}
      <button type="button" className="btn" aria-label="Restart registry" disabled={wait} onClick={() => void registryAction('restart')}>
        Restart
      </button>
    </div>
  );
}

import type { ProcessStatus } from '@clusterlab/shared';

const GLYPH: Record<ProcessStatus, string> = { starting: '◌', running: '▶', paused: '❚❚', stopped: '■' };

export function StatusBadge({ status }: { status: ProcessStatus }) {
  return (
    <span className={`status status--${status}`}>
      <span className="status__glyph" aria-hidden="true">
        {GLYPH[status]}
      </span>
      {status}
    </span>
  );
}

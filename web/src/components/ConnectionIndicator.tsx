import { useApp } from '../stores/hooks';

const LABEL = { open: 'Live', connecting: 'Connecting', closed: 'Offline' } as const;

export function ConnectionIndicator() {
  const status = useApp((s) => s.ui.connection.status);
  return (
    <span className={`conn conn--${status}`} title="Live event feed from the supervisor">
      <span className="conn__dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}

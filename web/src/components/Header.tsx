import { formatSettingsSummary } from '../lib/format';
import { useApp } from '../stores/hooks';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LeaderStatus } from './LeaderStatus';
import { ThemeSelect } from './ThemeSelect';

export function Header({ onOpenSettings }: { onOpenSettings: () => void }) {
  const settings = useApp((s) => s.cluster.settings);
  return (
    <header className="app-header">
      <h1 className="app-title">Clusterlab</h1>
      <LeaderStatus />
      <p className="settings-summary" aria-label="Current settings">
        {settings ? formatSettingsSummary(settings) : ' '}
      </p>
      <div className="app-header__tools">
        <ConnectionIndicator />
        <button type="button" onClick={onOpenSettings}>
          Settings
        </button>
        <ThemeSelect />
      </div>
    </header>
  );
}

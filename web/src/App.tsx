import { useState } from 'react';
import { ClusterSection } from './components/ClusterSection';
import { ConnectionBanner } from './components/ConnectionBanner';
import { EventLog } from './components/EventLog';
import { FailoverList } from './components/FailoverList';
import { FaultsPanel } from './components/FaultsPanel';
import { Header } from './components/Header';
import { KeysSection } from './components/KeysSection';
import { LeaderTimeline } from './components/LeaderTimeline';
import { MessageDiagram } from './components/MessageDiagram';
import { SettingsDialog } from './components/SettingsDialog';
import { Toasts } from './components/Toasts';
import { WorkloadPanel } from './components/WorkloadPanel';
import { useApp } from './stores/hooks';

export function App() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const stale = useApp((s) => s.ui.connection.frozenAt !== null);
  return (
    <>
      <Header onOpenSettings={() => setSettingsOpen(true)} />
      <ConnectionBanner />
      <div className={stale ? 'layout layout--stale' : 'layout'}>
        <main className="layout__main">
          <ClusterSection />
          <FaultsPanel />
          <MessageDiagram />
          <WorkloadPanel />
          <LeaderTimeline />
          <FailoverList />
          <KeysSection />
        </main>
        <aside className="layout__side" aria-label="Events">
          <EventLog />
        </aside>
      </div>
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <Toasts />
    </>
  );
}

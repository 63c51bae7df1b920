import { useState } from 'react';
import { ClusterSection } from './components/ClusterSection';
import { ConnectionBanner } from './components/ConnectionBanner';
import { EventLog } from './components/EventLog';
import { FailoverList } from './components/FailoverList';
import { FaultsPanel } from './components/FaultsPanel';
import { Header } from './components/Header';
import { KeysSection } from './components/KeysSection';
import { LeaderTimeline } from './components/LeaderTimeline';
import { LessonsPanel } from './components/LessonsPanel';
import { MessageDiagram } from './components/MessageDiagram';
import { SettingsDialog } from './components/SettingsDialog';
import { TimeTravel } from './components/TimeTravel';
import { Welcome } from './components/Welcome';
import { Toasts } from './components/Toasts';
import { TransactionPanel } from './components/TransactionPanel';
import { WorkloadPanel } from './components/WorkloadPanel';
import { useApp } from './stores/hooks';

export function App() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const stale = useApp((s) => s.ui.connection.frozenAt !== null);
  const past = useApp((s) => s.travel.mode === 'past');
  return (
    <>
      <Header onOpenSettings={() => setSettingsOpen(true)} />
      <ConnectionBanner />
      <div className={stale ? 'layout layout--stale' : 'layout'}>
        <main className="layout__main">
          <Welcome />
          <TimeTravel />
          {/* Looking at the past, what would act on the present is off (a disabled fieldset disables every control in it). */}
          <fieldset className="acts" disabled={past}>
            <ClusterSection />
          </fieldset>
          {/* Under the cards, so a lesson's steps and the nodes they act on are in view together. Its Run and Stop sit in a fieldset of their own like this one; reading a lesson stays possible in the past. */}
          <LessonsPanel />
          <fieldset className="acts" disabled={past}>
            <FaultsPanel />
          </fieldset>
          <MessageDiagram />
          <fieldset className="acts" disabled={past}>
            <WorkloadPanel />
            <LeaderTimeline />
            <FailoverList />
            <KeysSection />
            <TransactionPanel />
          </fieldset>
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

import { useEffect, useId, useRef, useState } from 'react';
import type { ClusterSettings, WriteAck } from '@clusterlab/shared';
import { saveSettings } from '../api/actions';
import { settingsProblems, type MsKey } from '../lib/settingsCheck';
import { useApp } from '../stores/hooks';

type NumberKey = MsKey;

const MAIN: { key: NumberKey; label: string; hint: string }[] = [
  { key: 'heartbeatIntervalMs', label: 'Heartbeat interval (ms)', hint: 'How often the leader tells followers it is alive.' },
  { key: 'electionTimeoutMinMs', label: 'Election timeout min (ms)', hint: 'A follower that hears nothing for a random time in [min, max] starts an election.' },
  { key: 'electionTimeoutMaxMs', label: 'Election timeout max (ms)', hint: 'A wider range makes simultaneous elections rarer.' },
];
const ADVANCED: { key: NumberKey; label: string; hint: string }[] = [
  { key: 'electionAnswerTimeoutMs', label: 'Election answer timeout (ms)', hint: 'How long a candidate waits for a higher node to answer.' },
  { key: 'electionVictoryTimeoutMs', label: 'Election victory timeout (ms)', hint: 'How long an answered candidate waits for the victory message.' },
  { key: 'writeTimeoutMs', label: 'Write timeout (ms)', hint: 'An unacknowledged write is answered 504 after this (it may still apply).' },
  { key: 'registryIntervalMs', label: 'Registry interval (ms)', hint: 'How often each node re-registers (its heartbeat to the registry).' },
  { key: 'registryTtlMs', label: 'Registry TTL (ms)', hint: 'The registry forgets a node silent this long.' },
];
const ACKS: { value: WriteAck; label: string }[] = [
  { value: 'none', label: 'none — leader answers at once' },
  { value: 'majority', label: 'majority — a majority has it' },
  { value: 'all', label: 'all — every follower has it' },
];

/** Timing and safety knobs. Applying restarts the cluster, so it says so on the button. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const current = useApp((s) => s.cluster.settings);
  const busy = useApp((s) => s.ui.busy.cluster !== undefined);
  const ref = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<ClusterSettings | null>(current);
  const ackId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setDraft(current);
      d.showModal();
    } else if (!open && d.open) {
      d.close();
    }
    // A fresh copy of the live settings when the dialog opens, not while the learner edits.
  }, [open]);

  const problems = draft ? settingsProblems(draft) : {};
  const valid = draft !== null && Object.keys(problems).length === 0;
  const setNum = (key: NumberKey, v: number) => setDraft((d) => (d ? { ...d, [key]: v } : d));

  const field = ({ key, label, hint }: { key: NumberKey; label: string; hint: string }) => (
    <NumberField key={key} label={label} hint={hint} value={draft?.[key] ?? 0} problem={problems[key]} onChange={(v) => setNum(key, v)} />
  );

  return (
    <dialog ref={ref} className="settings-dialog" aria-labelledby="settings-heading" onClose={onClose}>
      <form method="dialog" onSubmit={async (e) => {
          e.preventDefault();
          if (!draft || !valid) return;
          if (await saveSettings(draft)) onClose();
        }}>
        <h2 id="settings-heading">Cluster settings</h2>
        {!draft ? (
          <p className="muted">Waiting for the cluster…</p>
        ) : (
          <>
            <div className="settings-grid">
              {MAIN.map(field)}
              <div className="field">
                <label htmlFor={ackId}>Write acknowledgement</label>
                <select id={ackId} value={draft.writeAck} onChange={(e) => setDraft({ ...draft, writeAck: e.target.value as WriteAck })}>
                  {ACKS.map((a) => (
                    <option key={a.value} value={a.value}>
                      {a.label}
                    </option>
                  ))}
                </select>
                <span className="field__hint">When the leader answers a write.</span>
              </div>
            </div>
            <details className="settings-dialog__advanced">
              <summary>Advanced</summary>
              <div className="settings-grid">{ADVANCED.map(field)}</div>
            </details>
          </>
        )}
        <p className="muted small">Applying restarts every process with the new settings; data on disk is kept by the nodes that support it.</p>
        <div className="settings-dialog__buttons">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={!valid || busy}>
            {busy ? 'Applying…' : 'Apply and restart'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function NumberField({ label, hint, value, problem, onChange }: { label: string; hint: string; value: number; problem: string | undefined; onChange: (v: number) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" inputMode="numeric" value={Number.isNaN(value) ? '' : value} aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.target.valueAsNumber)} />
      <span id={`${id}-hint`} className={problem ? 'field__problem' : 'field__hint'}>
        {problem ?? hint}
      </span>
    </div>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import type { AlgorithmId, ClusterSettings, Fsync, WriteAck } from '@clusterlab/shared';
import { saveSettings } from '../api/actions';
import { settingsProblems, type CountKey, type MsKey } from '../lib/settingsCheck';
import { useApp } from '../stores/hooks';

type NumberKey = MsKey | CountKey;
type NumberSpec = { key: NumberKey; label: string; hint: string };
type Choice<T extends string> = { value: T; label: string };

const ALGORITHMS: Choice<AlgorithmId>[] = [
  { value: 'bully', label: 'Bully — the original design' },
  { value: 'raft', label: 'Raft — keeps what bully loses' },
];
const ALGORITHM_HINT: Record<AlgorithmId, string> = {
  bully: 'The highest-ranked live node leads; a failover can lose acknowledged writes.',
  raft: 'Only an up-to-date node can win a majority of votes; acknowledged writes survive.',
};
const FSYNCS: Choice<Fsync>[] = [
  { value: 'batch', label: 'batch — group commit' },
  { value: 'always', label: 'always — one fsync per record' },
  { value: 'never', label: 'never — page cache only' },
];
const FSYNC_HINT: Record<Fsync, string> = {
  batch: 'Every write waits for an fsync; writes that arrive together share one. Survives a power cut.',
  always: 'Each log record is fsync’ed on its own. Survives a power cut; slowest.',
  never: 'Written but not fsync’ed: survives a killed process, not a power cut.',
};
const ACKS: Choice<WriteAck>[] = [
  { value: 'none', label: 'none — leader answers at once' },
  { value: 'majority', label: 'majority — a majority has it' },
  { value: 'all', label: 'all — every follower has it' },
];

const MAIN: NumberSpec[] = [
  { key: 'heartbeatIntervalMs', label: 'Heartbeat interval (ms)', hint: 'How often the leader tells followers it is alive.' },
  { key: 'electionTimeoutMinMs', label: 'Election timeout min (ms)', hint: 'A follower that hears nothing for a random time in [min, max] starts an election.' },
  { key: 'electionTimeoutMaxMs', label: 'Election timeout max (ms)', hint: 'A wider range makes simultaneous elections rarer.' },
];
const ADVANCED: Record<AlgorithmId, NumberSpec[]> = {
  bully: [
    { key: 'electionAnswerTimeoutMs', label: 'Election answer timeout (ms)', hint: 'How long a candidate waits for a higher node to answer.' },
    { key: 'electionVictoryTimeoutMs', label: 'Election victory timeout (ms)', hint: 'How long an answered candidate waits for the victory message.' },
  ],
  raft: [{ key: 'snapshotThresholdEntries', label: 'Snapshot after (entries)', hint: 'Applied entries a node keeps before it compacts its log into a snapshot.' }],
};
const COMMON_ADVANCED: NumberSpec[] = [
  { key: 'writeTimeoutMs', label: 'Write timeout (ms)', hint: 'An unacknowledged write is answered 504 after this (it may still apply).' },
  { key: 'registryIntervalMs', label: 'Registry interval (ms)', hint: 'How often each node re-registers (its heartbeat to the registry).' },
  { key: 'registryTtlMs', label: 'Registry TTL (ms)', hint: 'The registry forgets a node silent this long.' },
];

/** Timing and safety knobs, for the algorithm chosen. Applying restarts the cluster, so it says so on the button. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const current = useApp((s) => s.cluster.settings);
  const busy = useApp((s) => s.ui.busy.cluster !== undefined);
  const ref = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<ClusterSettings | null>(current);

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
  const set = <K extends keyof ClusterSettings>(key: K, v: ClusterSettings[K]) => setDraft((d) => (d ? { ...d, [key]: v } : d));

  const field = ({ key, label, hint }: NumberSpec) => (
    <NumberField key={key} label={label} hint={hint} value={draft?.[key] ?? 0} problem={problems[key]} onChange={(v) => set(key, v)} />
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
              <ChoiceField label="Algorithm" value={draft.algorithm} choices={ALGORITHMS} hint={ALGORITHM_HINT[draft.algorithm]} onChange={(v) => set('algorithm', v)} />
              <ChoiceField label="Durability (fsync)" value={draft.fsync} choices={FSYNCS} hint={FSYNC_HINT[draft.fsync]} onChange={(v) => set('fsync', v)} />
              {MAIN.map(field)}
              {draft.algorithm === 'bully' ? (
                <ChoiceField label="Write acknowledgement" value={draft.writeAck} choices={ACKS} hint="When the leader answers a write." onChange={(v) => set('writeAck', v)} />
              ) : (
                <>
                  <CheckField label="Pre-vote" checked={draft.preVote} hint="A node asks whether it could win before it stands, so one that was cut off cannot depose a healthy leader." onChange={(v) => set('preVote', v)} />
                  <CheckField label="Check quorum" checked={draft.checkQuorum} hint="A leader that cannot hear a majority steps down instead of leading alone." onChange={(v) => set('checkQuorum', v)} />
                </>
              )}
            </div>
            <details className="settings-dialog__advanced">
              <summary>Advanced</summary>
              <div className="settings-grid">{[...ADVANCED[draft.algorithm], ...COMMON_ADVANCED].map(field)}</div>
            </details>
          </>
        )}
        <p className="muted small">Applying restarts every process with the new settings, and a fresh cluster starts with no data.</p>
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

function ChoiceField<T extends string>({ label, value, choices, hint, onChange }: { label: string; value: T; choices: Choice<T>[]; hint: string; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.target.value as T)}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="field__hint">
        {hint}
      </span>
    </div>
  );
}

function CheckField({ label, checked, hint, onChange }: { label: string; checked: boolean; hint: string; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="field field--check">
      <label htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.target.checked)} /> {label}
      </label>
      <span id={`${id}-hint`} className="field__hint">
        {hint}
      </span>
    </div>
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

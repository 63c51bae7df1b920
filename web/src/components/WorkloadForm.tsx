import { useId, useMemo, useState } from 'react';
import { startWorkload, stopWorkload } from '../api/workloadActions';
import { checkWorkloadForm, DEFAULT_FORM, matchingPreset, MIXES, READ_MODES, WORKLOAD_PRESETS, type WorkloadFormField, type WorkloadFormValues, type WorkloadMixChoice, type ReadMode } from '../lib/workloadForm';
import { useApp, useAppShallow } from '../stores/hooks';
import { isLive } from '../stores/workloadSlice';

const FIELD_NAMES: Record<WorkloadFormField, string> = { clients: 'Clients', durationS: 'Duration', keys: 'Keys', mix: 'Mix', read: 'Read mode', through: 'Through' };

/** Presets, the fields they fill in, and Start / Stop. */
export function WorkloadForm() {
  const nodeIds = useAppShallow((s) => s.cluster.nodeIds);
  const view = useApp((s) => s.workload.view);
  const busy = useApp((s) => s.ui.busy.workload ?? null);
  const [values, setValues] = useState<WorkloadFormValues>(DEFAULT_FORM);
  const id = useId();
  const check = useMemo(() => checkWorkloadForm(values, nodeIds), [values, nodeIds]);
  const preset = matchingPreset(values);
  const running = view?.state === 'running';
  const live = isLive(view);
  const set = <K extends WorkloadFormField>(k: K, v: WorkloadFormValues[K]) => setValues((old) => ({ ...old, [k]: v }));
  const problem = (k: WorkloadFormField) => check.problems?.[k];
  const fieldProps = (k: WorkloadFormField) => ({
    id: `${id}-${k}`,
    'aria-invalid': problem(k) ? true : undefined,
    'aria-describedby': problem(k) ? `${id}-problems` : undefined,
  });

  return (
    <form
      className="wl-form"
      aria-label="Workload settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (check.spec && !live) void startWorkload(check.spec);
      }}
    >
      <div className="wl-form__presets" role="group" aria-label="Workload presets">
        <span className="wl-form__caption">Presets</span>
        {WORKLOAD_PRESETS.map((p) => (
          <button key={p.id} type="button" className="btn btn--small" aria-pressed={preset === p.id} title={p.explains} onClick={() => setValues(p.values)}>
            {p.name}
          </button>
        ))}
      </div>
      <div className="wl-form__fields">
        <div className="field">
          <label htmlFor={`${id}-clients`}>Clients</label>
          <input {...fieldProps('clients')} inputMode="numeric" value={values.clients} onChange={(e) => set('clients', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-durationS`}>Duration (s)</label>
          <input {...fieldProps('durationS')} inputMode="decimal" value={values.durationS} onChange={(e) => set('durationS', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-keys`}>Keys</label>
          <input {...fieldProps('keys')} inputMode="numeric" value={values.keys} onChange={(e) => set('keys', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-mix`}>Mix</label>
          <select {...fieldProps('mix')} value={values.mix} onChange={(e) => set('mix', e.target.value as WorkloadMixChoice)}>
            {(Object.keys(MIXES) as WorkloadMixChoice[]).map((m) => (
              <option key={m} value={m}>
                {MIXES[m].label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-read`}>Read mode</label>
          <select {...fieldProps('read')} value={values.read} onChange={(e) => set('read', e.target.value as ReadMode)}>
            {READ_MODES.map((r) => (
              <option key={r.value} value={r.value} title={r.explains}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-through`}>Through</label>
          <select {...fieldProps('through')} value={values.through} onChange={(e) => set('through', e.target.value)}>
            <option value="leader">leader</option>
            <option value="any">any node</option>
            {nodeIds.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="wl-form__buttons">
          <button type="submit" className="btn btn--primary" disabled={check.spec === null || live || busy !== null}>
            Start workload
          </button>
          <button type="button" className="btn btn--danger" disabled={!running || busy !== null} onClick={() => view && void stopWorkload(view.id)}>
            Stop workload
          </button>
        </div>
      </div>
      {/* One line kept for it, so a problem appearing does not push the panel down. */}
      <p id={`${id}-problems`} className="wl-form__problems">
        {check.problems &&
          (Object.entries(check.problems) as [WorkloadFormField, string][]).map(([k, text]) => (
            <span key={k}>
              {FIELD_NAMES[k]}: {text}.{' '}
            </span>
          ))}
      </p>
    </form>
  );
}

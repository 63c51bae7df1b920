import { useState } from 'react';
import { checkReplay, type CoreCheck } from '../api/travel';

/**
 * Exact replay, shown: every recorded core re-run in the page, and per node process whether
 * each step gave the outputs the real one gave. A difference is a bug, named with its step.
 */
export function ReplayCheck() {
  const [cores, setCores] = useState<CoreCheck[]>([]);
  const [state, setState] = useState<'idle' | 'running' | 'done'>('idle');
  const [summary, setSummary] = useState<string | null>(null);

  const run = () => {
    setCores([]);
    setState('running');
    setSummary(null);
    checkReplay((c) => setCores((all) => [...all, c]))
      .then(({ steps, ms }) => setSummary(`${steps.toLocaleString('en')} steps replayed in ${ms.toFixed(0)} ms (${Math.round((steps / Math.max(ms, 1)) * 1000).toLocaleString('en')} steps/s)`))
      .catch((err: unknown) => setSummary(`the replay could not run: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => setState('done'));
  };

  const bad = cores.filter((c) => c.mismatch);
  return (
    <div className="replay-check" aria-label="Replay check" role="group">
      <button type="button" onClick={run} disabled={state === 'running'}>
        {state === 'done' ? 'Check the replay again' : 'Check the replay'}
      </button>
      {state !== 'idle' && (
        <p role="status" className={bad.length > 0 ? 'replay-check__verdict replay-check__verdict--bad' : 'replay-check__verdict'}>
          {state === 'running'
            ? `Replaying… ${cores.length} node processes so far`
            : bad.length > 0
              ? `${bad.length} of ${cores.length} node processes did not replay as recorded: a bug. ${summary ?? ''}`
              : `Every step of all ${cores.length} node processes gave its recorded outputs. ${summary ?? ''}`}
        </p>
      )}
      {cores.length > 0 && (
        <ul className="replay-check__list">
          {cores.map((c) => (
            <li key={`${c.node}/${c.boot}`}>
              <strong>{c.node}</strong> <span className="muted">(boot {c.boot})</span>:{' '}
              {c.mismatch
                ? `step ${c.mismatch.step} of ${c.recorded} differs — recorded ${c.mismatch.expected}, replayed ${c.mismatch.got}; the input was ${c.mismatch.input}`
                : `${c.recorded.toLocaleString('en')} steps, all as recorded`}
              {c.truncated && <span className="muted"> (recording stopped after that: {c.truncated})</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

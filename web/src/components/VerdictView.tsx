import { useMemo, useState } from 'react';
import { findings as findingsOf, type Finding } from '@clusterlab/shared/findings';
import type { WorkloadFault, WorkloadVerdict } from '@clusterlab/shared/workloads';
import { useFindingOps, type DiagramSource } from '../hooks/useFindingOps';
import { anomalyCounts } from '../lib/verdictWords';
import { HistoryDiagram } from './HistoryDiagram';

type Props = {
  verdict: WorkloadVerdict;
  /** Where the diagram's operations come from: a run on the supervisor, or an imported file. */
  source: DiagramSource;
  faults: readonly Pick<WorkloadFault, 'description' | 'fromMs' | 'toMs'>[];
};

/** The supervisor's headline, marked good (linearizable, nothing lost), unsure or bad. */
export function VerdictHeadline({ verdict, inline = false }: { verdict: WorkloadVerdict; inline?: boolean }) {
  const tone = verdict.outcome === 'linearizable' && anomalyCounts(verdict).length === 0 ? 'good' : verdict.outcome === 'unknown' ? 'unsure' : 'bad';
  // Inline: inside a line of text (a <summary>, which may hold no paragraph).
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag className={`verdict__headline verdict__headline--${tone}`}>
      <span aria-hidden="true">{tone === 'good' ? '✓' : tone === 'unsure' ? '?' : '✗'} </span>
      {verdict.summary}
    </Tag>
  );
}

/**
 * The verdict under its headline: the counts, the explanation in sentences, then the findings to
 * pick from and the chosen one's operations drawn as a history diagram.
 */
export function VerdictView({ verdict, source, faults }: Props) {
  const list = useMemo(() => findingsOf(verdict), [verdict]);
  const [chosenId, setChosenId] = useState<string | null>(null);
  // With nothing found, the diagram shows a sample of a clean history instead.
  const wanted: Finding | null = list.find((f) => f.id === chosenId) ?? list[0] ?? null;
  const drawn = useFindingOps(source, verdict, faults, wanted?.id ?? 'sample');
  const chosen: Finding | null = wanted ?? drawn.found?.finding ?? null;
  const ops = drawn.found?.ops ?? [];

  return (
    <div className="verdict">
      <ul className="verdict__counts" aria-label="Anomalies found">
        {anomalyCounts(verdict).map((c) => (
          <li key={c}>{c}</li>
        ))}
        <li className="verdict__counts--quiet">checked {verdict.keys.length} keys in {Math.round(verdict.checkMs)} ms</li>
      </ul>
      {verdict.sentences.length > 0 && (
        <ul className="verdict__sentences" aria-label="Explanation">
          {verdict.sentences.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ul>
      )}
      {verdict.notes.length > 0 && (
        <ul className="verdict__notes muted small" aria-label="Notes">
          {verdict.notes.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ul>
      )}
      <div className="verdict__body">
        <div className="verdict__findings">
          <h4 id="verdict-findings-heading" className="wl-subhead">
            {list.length > 0 ? `Findings (${list.length})` : 'Findings'}
          </h4>
          <ul className="verdict__list" aria-labelledby="verdict-findings-heading">
            {list.map((f) => (
              <li key={f.id}>
                <button type="button" className={`finding finding--${f.kind}`} aria-pressed={chosen?.id === f.id} onClick={() => setChosenId(f.id)}>
                  <span className="finding__title">{f.title}</span>
                </button>
              </li>
            ))}
            {list.length === 0 && <li className="muted small">None: every key’s history has a valid order{anomalyCounts(verdict).length === 0 ? ', and nothing was lost' : ''}.</li>}
          </ul>
        </div>
        <div className="verdict__diagram">
          {chosen && <p className="verdict__finding-sentence">{chosen.sentence}</p>}
          {drawn.error ? (
            <p className="empty">Could not load its operations: {drawn.error}</p>
          ) : drawn.found === null ? (
            <p className="empty">Loading its operations…</p>
          ) : chosen ? (
            <HistoryDiagram key={chosen.id} ops={ops} named={chosen.opIds} primary={chosen.primaryOpId} faults={faults} title={chosen.title} />
          ) : (
            <p className="empty">No operations were recorded.</p>
          )}
        </div>
      </div>
    </div>
  );
}

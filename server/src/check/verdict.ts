import { MAX_SHOWN_ANOMALIES, type History, type WorkloadAnomaly, type WorkloadKeyVerdict, type WorkloadVerdict } from '@clusterlab/shared';
import { findAnomalies } from './anomalies';
import type { FinalStates } from './final-states';
import { checkLinearizability } from './linearizability';
import { withFinalReads } from './final-reads';

/**
 * The checker's findings on a history, in the shape the API and the dashboard show: the
 * headline, the same sentences the simulator's report prints, a verdict per key with its
 * witness, and the named anomalies with the operations they blame. Pure: the worker that runs
 * it off the supervisor's thread times it.
 *
 * Times in the sentences count from 0, the run's start, as the history's own times do.
 */
export function judgeHistory(history: History, finalStates: FinalStates | undefined): Omit<WorkloadVerdict, 'checkMs'> {
  const checked = withFinalReads(history, finalStates);
  const lin = checkLinearizability(checked, { originMs: 0 });
  const anomalies = findAnomalies(history, finalStates, { originMs: 0 });

  const keys: WorkloadKeyVerdict[] = lin.keys.map((k) => {
    const base = { key: k.key, verdict: k.verdict, ops: k.opCount, ms: k.ms };
    if (k.verdict === 'not-linearizable') {
      return k.violation ? { ...base, explanation: k.violation.text, witnessOpIds: k.violation.witnessOpIds, culpritOpId: k.violation.culpritOpId } : base;
    }
    if (k.verdict === 'unknown') return { ...base, explanation: k.reason };
    return base;
  });

  const shown: WorkloadAnomaly[] = [
    ...anomalies.lostWrites.slice(0, MAX_SHOWN_ANOMALIES).map(
      (a): WorkloadAnomaly => ({ kind: 'lost-write', key: a.key, opId: a.writeOpId, relatedOpIds: a.finalSourceOpIds, sentence: a.sentence }),
    ),
    ...anomalies.staleReads.slice(0, MAX_SHOWN_ANOMALIES).map(
      (a): WorkloadAnomaly => ({ kind: 'stale-read', key: a.key, opId: a.readOpId, relatedOpIds: [a.overwrittenByOpId, ...a.sourceOpIds], sentence: a.sentence }),
    ),
    ...anomalies.divergentReplicas.slice(0, MAX_SHOWN_ANOMALIES).map(
      (a): WorkloadAnomaly => ({ kind: 'divergent-replicas', key: a.key, opId: null, relatedOpIds: [], sentence: a.sentence }),
    ),
  ];

  const violated = keys.filter((k) => k.verdict === 'not-linearizable').length;
  const undecided = keys.filter((k) => k.verdict === 'unknown').length;
  const headline =
    lin.verdict === 'linearizable'
      ? 'Linearizable'
      : lin.verdict === 'not-linearizable'
        ? `Not linearizable: ${violated} of ${keys.length} keys`
        : `Undecided: the checker gave up on ${undecided} of ${keys.length} keys`;
  const counted = [
    counting(anomalies.lostWrites.length, 'acknowledged write lost', 'acknowledged writes lost'),
    counting(anomalies.staleReads.length, 'stale read', 'stale reads'),
    counting(anomalies.divergentReplicas.length, 'key on divergent replicas', 'keys on divergent replicas'),
  ].filter((s): s is string => s !== null);

  return {
    linearizable: lin.linearizable,
    outcome: lin.verdict,
    lostWrites: anomalies.lostWrites.length,
    staleReads: anomalies.staleReads.length,
    divergentReplicas: anomalies.divergentReplicas.length,
    summary: [headline, ...counted].join(' · '),
    sentences: [...lin.explanation.split('\n').filter((l) => l.trim() !== ''), ...capped(anomalies.sentences)],
    keys,
    anomalies: shown,
    notes: anomalies.notes,
    finalReads: checked.slice(history.length),
  };
}

/** A page says the first few; the anomalies list and the export hold the rest. */
const MAX_ANOMALY_SENTENCES = 30;

function capped(sentences: string[]): string[] {
  if (sentences.length <= MAX_ANOMALY_SENTENCES) return sentences;
  return [...sentences.slice(0, MAX_ANOMALY_SENTENCES), `… and ${sentences.length - MAX_ANOMALY_SENTENCES} more of the same kinds`];
}

function counting(n: number, one: string, many: string): string | null {
  if (n === 0) return null;
  return `${n} ${n === 1 ? one : many}`;
}

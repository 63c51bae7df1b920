import type { History } from '@clusterlab/shared';
import { Describer, joinWords, showKey } from './describe';
import { findDivergentReplicas, type DivergentReplicas } from './divergent-replicas';
import { hasFinalStates, type FinalStates } from './final-states';
import { assertValidHistory } from './history-validation';
import { findLostWrites, type LostWrite } from './lost-writes';
import { findStaleReads, type StaleRead } from './stale-reads';

export type Anomaly = LostWrite | StaleRead | DivergentReplicas;

export interface AnomalyOptions {
  /** Time zero of the "t=1.20 s" in sentences (default: the history's first invocation). */
  originMs?: number;
}

export interface AnomalyReport {
  /** Empty when no final states were given (see lostWritesChecked). */
  readonly lostWrites: LostWrite[];
  /**
   * False when no final states were given: a lost write cannot be told from reads alone (the
   * write may have been overwritten before anyone read it), so none was looked for.
   */
  readonly lostWritesChecked: boolean;
  readonly staleReads: StaleRead[];
  /** Empty when no final states were given. */
  readonly divergentReplicas: DivergentReplicas[];
  /** All of the above, one sentence each, in that order. */
  readonly sentences: string[];
  /** What was not checked and why, one sentence each (empty when everything was). */
  readonly notes: string[];
}

/**
 * The named anomalies, simpler than full linearizability and each pointing at the ops to blame:
 * stale reads, and given each node's final state, lost writes and divergent replicas. A history
 * can be non-linearizable with none of these. A stale read makes the history non-linearizable;
 * a lost write makes it non-linearizable once a read of the final state is added at the end;
 * divergent replicas are about the nodes' states rather than the clients' history.
 *
 * Throws InvalidHistoryError on histories that make no sense (see historyProblems).
 */
export function findAnomalies(history: History, finalStates?: FinalStates, options: AnomalyOptions = {}): AnomalyReport {
  assertValidHistory(history);
  const describe = options.originMs === undefined ? Describer.forHistory(history) : new Describer(options.originMs);
  const given = hasFinalStates(finalStates);
  const lostWrites = findLostWrites(history, finalStates, describe);
  const staleReads = findStaleReads(history, describe);
  const divergentReplicas = given ? findDivergentReplicas(finalStates) : [];
  const all: Anomaly[] = [...lostWrites, ...staleReads, ...divergentReplicas];
  return {
    lostWrites,
    lostWritesChecked: given,
    staleReads,
    divergentReplicas,
    sentences: all.map((a) => a.sentence),
    notes: notes(history, given, divergentReplicas),
  };
}

function notes(history: History, given: boolean, divergent: readonly DivergentReplicas[]): string[] {
  if (!given) {
    return [
      'Lost writes and divergent replicas were not checked: they need each node\'s final state. ' +
        'From reads alone, a write nobody read again may simply have been overwritten before anyone looked.',
    ];
  }
  const written = new Set(history.map((op) => op.key));
  const unjudged = divergent.map((d) => d.key).filter((key) => written.has(key));
  if (unjudged.length === 0) return [];
  const keys = joinWords(unjudged.map(showKey));
  return [`Lost writes on ${keys} were not judged: the replicas disagree on ${unjudged.length === 1 ? 'it' : 'them'}, so there is no one final value.`];
}

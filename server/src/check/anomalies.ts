import type { History } from '@clusterlab/shared';
import { Describer } from './describe';
import { findDivergentReplicas, type DivergentReplicas, type FinalStates } from './divergent-replicas';
import { assertValidHistory } from './history-validation';
import { findLostWrites, type LostWrite } from './lost-writes';
import { findStaleReads, type StaleRead } from './stale-reads';

export type Anomaly = LostWrite | StaleRead | DivergentReplicas;

export interface AnomalyOptions {
  /** Time zero of the "t=1.20 s" in sentences (default: the history's first invocation). */
  originMs?: number;
}

export interface AnomalyReport {
  readonly lostWrites: LostWrite[];
  readonly staleReads: StaleRead[];
  /** Empty when no final states were given. */
  readonly divergentReplicas: DivergentReplicas[];
  /** All of the above, one sentence each, in that order. */
  readonly sentences: string[];
}

/**
 * The named anomalies, simpler than full linearizability and each pointing at the ops to blame:
 * lost writes, stale reads and (given each node's final state) divergent replicas. A history
 * can be non-linearizable with none of these; each of these makes it non-linearizable, except
 * divergent replicas, which is about the nodes' states rather than the clients' history.
 *
 * Throws InvalidHistoryError on histories that make no sense (see historyProblems).
 */
export function findAnomalies(history: History, finalStates?: FinalStates, options: AnomalyOptions = {}): AnomalyReport {
  assertValidHistory(history);
  const describe = options.originMs === undefined ? Describer.forHistory(history) : new Describer(options.originMs);
  const lostWrites = findLostWrites(history, describe);
  const staleReads = findStaleReads(history, describe);
  const divergentReplicas = finalStates ? findDivergentReplicas(finalStates) : [];
  const all: Anomaly[] = [...lostWrites, ...staleReads, ...divergentReplicas];
  return { lostWrites, staleReads, divergentReplicas, sentences: all.map((a) => a.sentence) };
}

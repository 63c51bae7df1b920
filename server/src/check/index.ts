/**
 * The history checker: is what the clients saw explainable by one atomic register per key
 * (linearizability), and which simpler, named anomalies does it show? Pure functions, no I/O:
 * the simulator, the tests and the CLI (cli.ts) all call these.
 */
export {
  checkLinearizability,
  DEFAULT_MAX_EXPLAIN_STATES_PER_KEY,
  DEFAULT_MAX_STATES_PER_KEY,
  type CheckOptions,
  type KeyVerdict,
  type LinearizabilityResult,
} from './linearizability';
export type { Violation } from './explain';
export { findAnomalies, type Anomaly, type AnomalyOptions, type AnomalyReport } from './anomalies';
export { findLostWrites, type LostWrite } from './lost-writes';
export { findStaleReads, type StaleRead } from './stale-reads';
export { findDivergentReplicas, type DivergentReplicas } from './divergent-replicas';
export type { FinalStates } from './final-states';
export { FINAL_STATE_CLIENT, withFinalReads } from './final-reads';
export { historyProblems, InvalidHistoryError } from './history-validation';

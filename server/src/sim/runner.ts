import type { BankOp, EmittedEvent, FaultSchedule, History } from '@clusterlab/shared';
import { checkLinearizability, findAnomalies, type AnomalyReport, type LinearizabilityResult } from '../check';
import { agreedBalances, checkBank, type BankCheck } from '../check/bank';
import type { InvariantViolation } from './invariants';
import { replayCommand, type SimOptions } from './options';
import { Simulation } from './simulation';
import type { SimStats } from './stats';

/** Everything a run produced: for the report, the tests, and the --history/--trace files. */
export type SimResult = {
  options: SimOptions;
  schedule: FaultSchedule;
  /** null when every invariant held. */
  violation: { rule: string; detail: string; atMs: number } | null;
  settledAtMs: number | null;
  endedAtMs: number;
  history: History;
  /** Where each acknowledged write or delete landed: op id → log index and term. */
  acks: Map<number, { index: number; term: number }>;
  /**
   * Ground truth: acknowledged writes and deletes whose log entry is not in the log the cluster
   * converged on — lost, whether or not a read noticed. (The checker can only see the ones a
   * read witnessed; this list is how to tell how many it missed.)
   */
  lostAcknowledged: { opId: number; index: number; term: number }[];
  finalStates: Record<string, Record<string, string | null>>;
  stats: SimStats;
  /** Which node led each term. */
  leaders: { term: number; node: string }[];
  coreSteps: number;
  /** The checker's verdict and the named anomalies (absent when options.check is false). */
  check: { linearizability: LinearizabilityResult; anomalies: AnomalyReport } | null;
  /** The bank's ops and their check, when the clients ran the bank workload. */
  bank: { accounts: string[]; ops: BankOp[]; check: BankCheck | null } | null;
  /** Every event, when options.trace is set. */
  trace: EmittedEvent[];
  /** The run as a trace file (shared/src/trace.ts): boots, inputs and events; null unless options.trace is set. */
  traceFile: () => string | null;
  /** The command that replays this run. */
  replay: string;
};

export function runSimulation(options: SimOptions): SimResult {
  const sim = new Simulation(options);
  const outcome = sim.run();
  const history = sim.history.history();
  const finalStates = sim.finalStates();
  return {
    options,
    schedule: outcome.schedule,
    violation: outcome.violation ? describeViolation(outcome.violation) : null,
    settledAtMs: outcome.settledAtMs,
    endedAtMs: outcome.endedAtMs,
    history,
    acks: sim.history.acks,
    lostAcknowledged: sim.lostAcknowledged(outcome.settledAtMs !== null),
    finalStates,
    stats: sim.stats,
    leaders: sim.invariants.leaderHistory(),
    coreSteps: sim.invariants.steps,
    check: options.check ? check(history, finalStates) : null,
    bank: options.workload === 'bank' ? { accounts: sim.accounts, ops: sim.bank.ops, check: options.check ? checkBank(sim.bank.ops, sim.accounts, outcome.settledAtMs === null ? null : agreedBalances(finalStates, sim.accounts), { originMs: 0 }) : null } : null,
    trace: sim.trace,
    traceFile: () =>
      sim.recorder?.toNdjson(
        { run: `sim-${options.seed}`, source: 'sim', algorithm: options.settings.algorithm, settings: options.settings, nodes: options.nodes, startedAt: 0, seed: options.seed },
        sim.trace,
      ) ?? null,
    replay: replayCommand(options),
  };
}

function check(history: History, finalStates: Record<string, Record<string, string | null>>) {
  // Times in the checker's sentences count from the start of the run, like everything else the simulator prints.
  return {
    linearizability: checkLinearizability(history, { originMs: 0 }),
    anomalies: findAnomalies(history, finalStates, { originMs: 0 }),
  };
}

function describeViolation(v: InvariantViolation): { rule: string; detail: string; atMs: number } {
  return { rule: v.rule, detail: v.detail, atMs: v.atMs };
}

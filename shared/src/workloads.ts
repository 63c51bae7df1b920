import { z } from 'zod';
import { FaultSchedule, LastingFault, type Fault } from './faults';
import { History, type HistoryOp } from './history';
import { NODE_ID_PATTERN } from './ids';
import { MAX_TXN_KEYS } from './txn';

/**
 * A workload: clients the supervisor runs against the real cluster for a while, each doing one
 * operation at a time, every one recorded (invoke, then ok / fail / unknown) in the history
 * schema the simulator uses, then checked. The API (server/src/supervisor/api/workload-routes.ts):
 *
 *   POST /api/workloads            a WorkloadSpec → 201 { id }; 409 while another one runs
 *   GET  /api/workloads/:id        a WorkloadView: state, counts, latency, series, faults, verdict
 *   POST /api/workloads/:id/stop   ends it early; what ran is still checked
 *   GET  /api/workloads/:id/history  { history, finalStates }: the history and what each node held after
 *
 * While it runs, `workload.*` events on the stream carry its progress once a second.
 */

export const WORKLOAD_STATES = ['running', 'checking', 'done', 'stopped'] as const;
export type WorkloadState = (typeof WORKLOAD_STATES)[number];

export const MAX_WORKLOAD_CLIENTS = 256;
export const MAX_WORKLOAD_DURATION_MS = 10 * 60_000;
export const MAX_WORKLOAD_KEYS = 1000;

const share = z.number().min(0).max(1000);

/**
 * Relative weights of the operation kinds: `{ read: 1, write: 1 }` is half and half. A `cas`
 * (compare-and-set) writes only if the key is still at the version the client last read
 * (If-Match); on a key the client has not read yet it reads first.
 */
export const WorkloadMix = z
  .strictObject({ read: share.default(0), write: share.default(0), delete: share.default(0), cas: share.default(0) })
  .refine((m) => m.read + m.write + m.delete + m.cas > 0, { message: 'at least one of read, write, delete and cas needs a weight above 0' });
export type WorkloadMix = z.infer<typeof WorkloadMix>;

/** Where a client sends its operations: to the leader (following redirects), to random nodes, or to one node. */
export const WorkloadTarget = z.union([
  z.literal('leader'),
  z.literal('any'),
  z.string().regex(NODE_ID_PATTERN, 'through is "leader", "any" or a node id such as "n2"'),
]);
export type WorkloadTarget = z.infer<typeof WorkloadTarget>;

export const WORKLOAD_KINDS = ['registers', 'bank'] as const;

export const WorkloadSpec = z.strictObject({
  /**
   * registers: reads and writes of `keys` keys, by `mix`. bank: `keys` accounts (2 to 64) and
   * transfers between them as transactions, every balance read in one (shared/src/bank.ts);
   * `mix` does not apply to it.
   */
  kind: z.enum(WORKLOAD_KINDS).default('registers'),
  clients: z.number().int().min(1).max(MAX_WORKLOAD_CLIENTS),
  durationMs: z.number().int().min(100).max(MAX_WORKLOAD_DURATION_MS),
  /** Operations per second over all clients together; left out, every client goes as fast as its answers come. */
  rateHz: z.number().positive().max(100_000).optional(),
  /** How many keys the clients share (named `w<run>-k0`, `w<run>-k1`, …, fresh for every run). */
  keys: z.number().int().min(1).max(MAX_WORKLOAD_KEYS),
  mix: WorkloadMix.default({ read: 1, write: 1, delete: 0, cas: 0 }),
  /** How fresh a read must be: the serving node's own copy, the leader's, or linearizable. */
  read: z.enum(['local', 'leader', 'linearizable']).default('local'),
  through: WorkloadTarget.default('leader'),
  /** Faults at times since the run began, as the simulator's schedules and POST /api/faults take them. */
  faults: FaultSchedule.optional(),
}).refine((s) => s.kind !== 'bank' || (s.keys >= 2 && s.keys <= MAX_TXN_KEYS), {
  message: `a bank needs from 2 to ${MAX_TXN_KEYS} accounts (keys): every balance is read in one transaction`,
  path: ['keys'],
});
export type WorkloadSpec = z.infer<typeof WorkloadSpec>;
/** As a client writes it: the defaulted fields may be left out. */
export type WorkloadSpecInput = z.input<typeof WorkloadSpec>;

export type OpOutcomeCounts = Record<HistoryOp['outcome'], number>;
export type WorkloadCounts = Record<HistoryOp['kind'], OpOutcomeCounts>;

/** Latency of the operations that completed (ok or fail), in ms; null when there were none. */
export type LatencySummary = { p50: number; p90: number; p99: number; max: number; count: number } | null;

/** One second of the run, for the chart: `t` is ms since the run began, at the second's end. */
export type WorkloadSample = {
  t: number;
  /** Operations that completed ok in this second. */
  ok: number;
  /** Operations that failed or ended unknown in this second. */
  errors: number;
  p50: number | null;
  p99: number | null;
};

/**
 * A fault that was in force during the run, from whichever source (the run's schedule, the
 * fault API, a node's buttons), with whether it touched anything: one that no operation ran
 * through, or that cut no link a message used, teaches nothing.
 */
export type WorkloadFault = {
  /** The lasting fault's id; process faults (kill, pause, …) have none. */
  id: string | null;
  fault: Fault;
  description: string;
  /** ms since the run began; a fault in force before the run began starts at 0. */
  fromMs: number;
  /** When it was healed or undone; null if it outlasted the run (for a kill: the node never came back). */
  toMs: number | null;
  bit: boolean;
  /** Why it did or did not bite, in a sentence. */
  effect: string;
};

export type WorkloadKeyVerdict = {
  key: string;
  verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  /** Operations on the key that count for the check (failed ops and unanswered reads do not). */
  ops: number;
  /** How long the key's check took. */
  ms: number;
  /** Why it is not linearizable (or why it is undecided), for a learner. */
  explanation?: string;
  /** The smallest set of the key's operations that on its own has no valid order. */
  witnessOpIds?: number[];
  /** The operation that could not be placed. */
  culpritOpId?: number;
};

/** A named anomaly, the operations it blames, and the sentence that says so. */
export type WorkloadAnomaly = {
  kind: 'lost-write' | 'stale-read' | 'divergent-replicas';
  key: string;
  /** The lost write, or the stale read; null for divergent replicas (a state, not an operation). */
  opId: number | null;
  /** The operations that explain it: what overwrote a stale read's value, what the final value came from. */
  relatedOpIds: number[];
  sentence: string;
};

export type WorkloadVerdict = {
  linearizable: boolean;
  /** 'unknown' when no key is violated but the checker gave up on one. */
  outcome: 'linearizable' | 'not-linearizable' | 'unknown';
  lostWrites: number;
  staleReads: number;
  divergentReplicas: number;
  /** The headline: "Linearizable", "Not linearizable: 2 of 10 keys", with the anomalies counted. */
  summary: string;
  /** The checker's explanation and the anomalies, in sentences (the simulator's report, in lines). */
  sentences: string[];
  keys: WorkloadKeyVerdict[];
  /** At most MAX_SHOWN_ANOMALIES of each kind; the counts above are the whole. */
  anomalies: WorkloadAnomaly[];
  /** Notes on what could not be checked, e.g. a node that could not be asked for its final state. */
  notes: string[];
  /**
   * The reads of the final state the check added after the history (client `final-state`, one
   * per key the nodes agreed on): a witness may name one, so a diagram needs them to draw it.
   */
  finalReads: HistoryOp[];
  /** How long the whole check took. */
  checkMs: number;
  /** A bank's own verdict (kind bank): do its reads add up, with no balance below zero? */
  bank?: { reads: number; transfers: number; broken: number; sentences: string[] };
};

export const MAX_SHOWN_ANOMALIES = 100;

/**
 * A long run's history checked while it still runs (every few seconds, of what has happened so
 * far, with the ops still in flight as unknown): a violation found early is already one of the
 * whole run. Without final states, lost writes cannot be told yet.
 */
export type WorkloadInterim = {
  /** ms since the run began, when the history checked was taken. */
  atMs: number;
  ops: number;
  outcome: WorkloadVerdict['outcome'];
  summary: string;
  checkMs: number;
};

export type WorkloadView = {
  id: string;
  spec: WorkloadSpec;
  state: WorkloadState;
  /** Wall clock (ms since the epoch) when it began, and when its clients stopped. */
  startedAt: number;
  endedAt: number | null;
  /** Why it ended, when it did not run its course ("stopped from the API"). */
  stopReason: string | null;
  counts: WorkloadCounts;
  latency: { all: LatencySummary; read: LatencySummary; write: LatencySummary };
  series: WorkloadSample[];
  faults: WorkloadFault[];
  /** The latest check of the history so far, for runs long enough to have one; null before it. */
  interim: WorkloadInterim | null;
  /** Null until checked. */
  verdict: WorkloadVerdict | null;
  /** Set when the check itself failed (a bug, never the cluster's fault). */
  error: string | null;
};

/** GET /api/workloads/:id/history, and the file the dashboard exports and imports. */
export const WorkloadHistoryFile = z.object({
  history: History,
  /** Each node's keys after the run (null: absent), for lost writes and divergent replicas. */
  finalStates: z.record(z.string(), z.record(z.string(), z.string().nullable())).optional(),
  spec: WorkloadSpec.optional(),
  faults: z.array(z.object({ id: z.string().nullable(), fault: z.unknown(), description: z.string(), fromMs: z.number(), toMs: z.number().nullable() })).optional(),
});
export type WorkloadHistoryFile = z.infer<typeof WorkloadHistoryFile>;

/** The lasting faults a run may be given in its schedule (re-exported for the form's presets). */
export type WorkloadLastingFault = LastingFault;

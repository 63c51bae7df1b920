import { z } from 'zod';
import { AlgorithmId } from './settings';
import type { HistoryOp } from './history';
import type { WorkloadVerdict } from './workloads';

/*
 * The lessons API (server/src/supervisor/api/lesson-routes.ts), one definition for the
 * supervisor and the dashboard.
 */

/** What GET /api/lessons says of one lesson. */
export type LessonSummary = {
  id: string;
  number: number;
  title: string;
  summary: string;
  algorithm: AlgorithmId;
  nodes: number;
  steps: { title: string; say: string }[];
};

/**
 * What a step's moment was, when it came: the nodes it is about (the two that lead, the one
 * whose event was awaited) and, for an awaited event, its number in the stream — so the page
 * can point at the node cards and at the event.
 */
export type LessonMoment = { nodes: string[]; eventSeq: number | null };

/** One step of a run, as the API and the dashboard show it. */
export type StepReport = {
  index: number;
  title: string;
  state: 'pending' | 'running' | 'passed' | 'failed';
  /** Why it failed, in a sentence; null otherwise. */
  detail: string | null;
  /** Set once it passed, when it was about particular nodes or an event. */
  moment?: LessonMoment;
};

/**
 * How a run goes: `all` plays every step; `step` plays up to `to` steps and then waits to be
 * told to go on (POST …/next, …/continue), so a learner reads each step as it happens.
 */
export const LessonRunMode = z.enum(['all', 'step']);
export type LessonRunMode = z.infer<typeof LessonRunMode>;

/** The body of POST /api/lessons/:id/run (all of it optional: `{}` plays the lesson through). */
export const LessonRunRequest = z.strictObject({
  mode: LessonRunMode.optional(),
  /**
   * Play it under another algorithm than the one it was written for: the same steps, the same
   * faults, another design. A step whose moment does not come then is the difference, not a bug.
   */
  algorithm: AlgorithmId.optional(),
  /** Play every step even after one fails (each wait shortened): how a comparison plays both sides. */
  keepGoing: z.boolean().optional(),
  /** With mode `step`: how many steps to play before the first pause (0: none, a fresh cluster). Default 1. */
  to: z.number().int().min(0).max(99).optional(),
});
export type LessonRunRequest = z.infer<typeof LessonRunRequest>;

/** The body of POST /api/lessons/runs/:run/next: play on until `to` steps are done (default: one more). */
export const LessonNextRequest = z.strictObject({ to: z.number().int().min(1).max(99).optional() });
export type LessonNextRequest = z.infer<typeof LessonNextRequest>;

export type LessonRunState = 'running' | 'paused' | 'passed' | 'failed' | 'stopped';

/** One run of a lesson, as GET /api/lessons/runs/:run shows it. */
export type LessonRunView = {
  run: string;
  lesson: string;
  /** The algorithm it is played under: the lesson's own, unless the run asked for another. */
  algorithm: AlgorithmId;
  mode: LessonRunMode;
  state: LessonRunState;
  /** While paused: how many steps are done (the next to play is steps[done]). Else null. */
  pausedAfter: number | null;
  steps: StepReport[];
  /** The client operations the lesson made, for the checker and the history diagram. */
  history: HistoryOp[];
  /** The checker's findings on that history, once a step asked for them or the run ended. */
  verdict: WorkloadVerdict | null;
  startedAt: number;
  endedAt: number | null;
};

/**
 * A lesson played under both algorithms at once, on two clusters: this supervisor's own (the
 * lesson's algorithm) and a second one it starts for the comparison and stops after. Each side
 * plays every step even when one's moment does not come — that is where the designs differ —
 * and each ends with the checker's verdict on its own reads and writes.
 * GET /api/lessons/compare shows the latest.
 */
export type LessonComparisonView = {
  id: string;
  lesson: string;
  state: 'starting' | 'running' | 'ended' | 'failed' | 'stopped';
  /** Why it could not run (the second cluster did not start, say); null otherwise. */
  error: string | null;
  /** The lesson's own algorithm first, then the other. Null until that side has begun. */
  sides: { algorithm: AlgorithmId; run: LessonRunView | null }[];
  startedAt: number;
  endedAt: number | null;
};

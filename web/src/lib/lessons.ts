import type { ClusterEvent } from '@clusterlab/shared';
import type { HistoryOp } from '@clusterlab/shared/history';
import type { LessonMoment, LessonRunState, LessonRunView, LessonSummary, StepReport } from '@clusterlab/shared/lessons';
import type { WorkloadVerdict } from '@clusterlab/shared/workloads';
import { formatDuration } from './format';

/*
 * The Lessons panel's logic, no I/O: what the page knows of each lesson's latest run (folded
 * from lesson.step / lesson.ended events and the supervisor's view of a run), the words the
 * panel shows for it, and the #lesson=…&step=… deep link.
 */

export type { LessonRunView, LessonSummary } from '@clusterlab/shared/lessons';

export type StepState = StepReport['state'];
export type RunState = LessonRunState;

export type StepProgress = { state: StepState; detail: string | null; moment?: LessonMoment };

/** What the page knows of one run, from the events it saw and the views it read: whichever is further along. */
export type LessonRun = {
  run: string;
  lesson: string;
  state: RunState;
  /** While paused: how many steps are done. */
  pausedAfter: number | null;
  /** By step index; a step past the end of the list has not started. */
  steps: readonly StepProgress[];
  /** Supervisor clock; null when the page did not see it start (a snapshot without its first step). */
  startedAt: number | null;
  endedAt: number | null;
  /** The checker's findings on the lesson's reads and writes, and those operations (read back from the supervisor). */
  verdict: WorkloadVerdict | null;
  history: readonly HistoryOp[];
  /** Bumped by each lesson.verdict event: the page then reads the whole verdict back. */
  verdicts: number;
};

/** The latest run of each lesson, and which run is the latest of all (the supervisor runs one at a time). */
export type LessonRuns = { latest: string | null; byLesson: Readonly<Record<string, LessonRun>> };
export const noRuns: LessonRuns = { latest: null, byLesson: {} };

const RANK: Record<StepState, number> = { pending: 0, running: 1, passed: 2, failed: 2 };
const ended = (r: LessonRun) => r.state !== 'running' && r.state !== 'paused';

/** Folds lesson events (in seq order; others are ignored) into the runs. */
export function foldLessonEvents(runs: LessonRuns, events: readonly ClusterEvent[]): LessonRuns {
  let next = runs;
  for (const e of events) {
    if (e.kind === 'lesson.step') {
      const { run, lesson, step, state, detail, nodes, eventSeq } = e.data;
      next = begin(next, run, lesson, step === 0 && state === 'running' ? e.time : null);
      const r = next.byLesson[lesson]!;
      const moment = state === 'passed' && nodes ? { nodes, eventSeq: eventSeq ?? null } : undefined;
      // A step that starts after a pause: the run goes on.
      const going = !ended(r) ? { state: 'running' as const, pausedAfter: null } : {};
      next = put(next, { ...r, ...going, steps: advance(r.steps, step, { state, detail, ...(moment ? { moment } : {}) }) });
    } else if (e.kind === 'lesson.paused') {
      const { run, lesson, done } = e.data;
      next = begin(next, run, lesson, null);
      const r = next.byLesson[lesson]!;
      if (!ended(r)) next = put(next, { ...r, state: 'paused', pausedAfter: done, steps: advance(r.steps, done, null) });
    } else if (e.kind === 'lesson.verdict') {
      const { run, lesson } = e.data;
      next = begin(next, run, lesson, null);
      const r = next.byLesson[lesson]!;
      next = put(next, { ...r, verdicts: r.verdicts + 1 });
    } else if (e.kind === 'lesson.ended') {
      const { run, lesson, passed } = e.data;
      next = begin(next, run, lesson, null);
      const r = next.byLesson[lesson]!;
      // A stop this page asked for (or a view read since) already said "stopped": more precise than "not passed".
      const state: RunState = passed ? 'passed' : r.state === 'stopped' ? 'stopped' : 'failed';
      next = put(next, { ...r, state, pausedAfter: null, endedAt: r.endedAt ?? e.time });
    }
  }
  return next;
}

/**
 * The supervisor's view of a run, merged into what the events said: a step only ever moves
 * forward, and an ended run stays ended. Whether a run that goes on is paused is the events'
 * to say once they have said anything of it — they are newer than a view that crossed them.
 */
export function mergeRunView(runs: LessonRuns, view: LessonRunView): LessonRuns {
  let next = begin(runs, view.run, view.lesson, view.startedAt);
  const r = next.byLesson[view.lesson]!;
  const known = r.steps.length > 0 || r.pausedAfter !== null;
  let steps = r.steps;
  for (const s of view.steps) if (s.state !== 'pending') steps = advance(steps, s.index, { state: s.state, detail: s.detail, ...(s.moment ? { moment: s.moment } : {}) });
  // A view taken before the end does not undo it; one taken after says how it ended (stopped, not just failed).
  const going = view.state === 'running' || view.state === 'paused';
  const fromEvents = ended(r) ? going : going && known;
  const state = fromEvents ? r.state : view.state;
  const pausedAfter = state !== 'paused' ? null : fromEvents ? r.pausedAfter : view.pausedAfter;
  next = put(next, { ...r, steps, state, pausedAfter, startedAt: r.startedAt ?? view.startedAt, endedAt: view.endedAt ?? r.endedAt, verdict: view.verdict ?? r.verdict, history: view.history.length >= r.history.length ? view.history : r.history });
  return next;
}

/** The run with this id, if the page knows it. */
export function runById(runs: LessonRuns, id: string | null): LessonRun | null {
  if (id === null) return null;
  return Object.values(runs.byLesson).find((r) => r.run === id) ?? null;
}

/** The run in progress (playing or paused), if any. */
export function runningRun(runs: LessonRuns): LessonRun | null {
  const latest = runById(runs, runs.latest);
  return latest && !ended(latest) ? latest : null;
}

/**
 * Makes `run` the lesson's run. A run the page has not seen before replaces the lesson's older
 * one, and ends any other still marked running: the supervisor stops a run before it starts the
 * next, so one the page missed the end of was stopped.
 */
function begin(runs: LessonRuns, run: string, lesson: string, startedAt: number | null): LessonRuns {
  if (runs.byLesson[lesson]?.run === run) return runs.latest === run || runs.latest === null ? { ...runs, latest: run } : runs;
  const byLesson: Record<string, LessonRun> = {};
  for (const [id, r] of Object.entries(runs.byLesson)) byLesson[id] = ended(r) ? r : { ...r, state: 'stopped', steps: r.steps.map((s) => (s.state === 'running' ? { state: 'failed', detail: null } : s)) };
  byLesson[lesson] = { run, lesson, state: 'running', pausedAfter: null, steps: [], startedAt, endedAt: null, verdict: null, history: [], verdicts: 0 };
  return { latest: run, byLesson };
}

function put(runs: LessonRuns, r: LessonRun): LessonRuns {
  return { ...runs, byLesson: { ...runs.byLesson, [r.lesson]: r } };
}

/**
 * Step `index` is now `p` (unless it is already further along); every step before it not known
 * to have failed has passed — a lesson stops at its first failure, and one played on past it (a
 * comparison) said so. A null `p`: only the steps before it.
 */
function advance(steps: readonly StepProgress[], index: number, p: StepProgress | null): StepProgress[] {
  const out = steps.slice();
  for (let i = 0; i < index; i++) if (out[i]?.state !== 'passed' && out[i]?.state !== 'failed') out[i] = { state: 'passed', detail: null };
  const had = out[index];
  if (p && (!had || RANK[p.state] >= RANK[had.state])) out[index] = p;
  return out;
}

/**
 * One step as the panel shows it. `stopped`: the step that was running when the learner stopped
 * the lesson. `next`: a run paused before it — Next step plays it.
 */
export type StepView = { index: number; title: string; say: string; state: StepState | 'stopped'; detail: string | null; next: boolean; moment?: LessonMoment };

export function stepViews(lesson: LessonSummary, run: LessonRun | null): StepView[] {
  return lesson.steps.map((s, index) => {
    const p = run?.steps[index];
    let state: StepView['state'] = p?.state ?? (run?.state === 'passed' ? 'passed' : 'pending');
    if (run?.state === 'stopped' && (state === 'failed' || state === 'running')) state = 'stopped';
    // Ended with this step still said to be running: its end was missed, and it is how the run ended.
    if (run?.state === 'failed' && state === 'running') state = 'failed';
    const next = run?.state === 'paused' && run.pausedAfter === index;
    return { index, title: s.title, say: s.say, state, detail: state === 'failed' ? (p?.detail ?? null) : null, next, ...(p?.moment ? { moment: p.moment } : {}) };
  });
}

/**
 * The step the panel points at: the one running; in a paused run, the one just played (or the
 * next, before the first); else the one a link named (0-based), if any.
 */
export function currentStep(steps: readonly StepView[], run: LessonRun | null, linked: number | null): number | null {
  if (run?.state === 'running') return steps.find((s) => s.state === 'running')?.index ?? null;
  if (run?.state === 'paused' && run.pausedAfter !== null) return Math.max(0, run.pausedAfter - 1);
  return linked !== null && linked >= 0 && linked < steps.length ? linked : null;
}

export type RunTone = 'idle' | 'running' | 'paused' | 'passed' | 'failed' | 'stopped';

/** The panel's one-line status for the lesson shown, in a learner's words. */
export function runSentence(lesson: LessonSummary, run: LessonRun | null): { tone: RunTone; text: string } {
  const n = lesson.steps.length;
  const steps = `${n} step${n === 1 ? '' : 's'}`;
  const cluster = `${lesson.nodes} fresh ${lesson.algorithm} node${lesson.nodes === 1 ? '' : 's'}`;
  const took = run?.startedAt != null && run.endedAt != null ? ` in ${formatDuration(run.endedAt - run.startedAt)}` : '';
  if (!run) return { tone: 'idle', text: `Not run yet: Run lesson plays its ${steps} on ${cluster}; Step through stops after each.` };
  const views = stepViews(lesson, run);
  if (run.state === 'running') {
    const at = views.find((s) => s.state === 'running');
    return { tone: 'running', text: at ? `Running step ${at.index + 1} of ${n}: ${at.title}` : `Starting: resetting the cluster to ${cluster}…` };
  }
  if (run.state === 'paused') {
    const done = run.pausedAfter ?? 0;
    const coming = lesson.steps[done];
    const where = done === 0 ? `Paused on ${cluster}, before step 1` : `Paused after step ${done} of ${n}: ${lesson.steps[done - 1]?.title ?? ''}`;
    return { tone: 'paused', text: `${where}. ${coming ? `Next step plays “${coming.title}”.` : ''}`.trim() };
  }
  if (run.state === 'passed') return { tone: 'passed', text: `✓ Passed: all ${steps} happened as the lesson says${took}.` };
  const at = views.find((s) => s.state === 'failed' || s.state === 'stopped');
  const where = at ? ` at step ${at.index + 1} of ${n} (${at.title})` : '';
  if (run.state === 'stopped') return { tone: 'stopped', text: `■ Stopped${where}${took}.` };
  return { tone: 'failed', text: `✗ Failed${where}${took}.` };
}

/**
 * The moment of the lesson that runs (or waits), for the rest of the page to point at: the
 * nodes its latest step with one was about, and that step's title. Null once it has ended —
 * the cluster has moved on from the moment by then.
 */
export function liveMoment(runs: LessonRuns, list: readonly LessonSummary[]): { nodes: readonly string[]; title: string } | null {
  const run = runningRun(runs);
  if (!run) return null;
  for (let i = run.steps.length - 1; i >= 0; i--) {
    const m = run.steps[i]?.moment;
    if (m && m.nodes.length > 0) return { nodes: m.nodes, title: list.find((l) => l.id === run.lesson)?.steps[i]?.title ?? `step ${i + 1}` };
  }
  return null;
}

/** What a shareable lesson link names: a lesson, and maybe one of its steps (1-based, as the list numbers them). */
export type LessonLink = { lesson: string; step: number | null };

const LESSON_ID = /^[a-z][a-z0-9-]{0,30}$/;
const MAX_STEPS = 12;

/** `#lesson=failover&step=2` → what to open; null when the hash names no lesson. Other parameters (time travel's run, at, sim) are left to their readers. */
export function parseLessonHash(hash: string): LessonLink | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const lesson = params.get('lesson');
  if (lesson === null || !LESSON_ID.test(lesson)) return null;
  const raw = params.get('step');
  const step = raw !== null && /^\d{1,2}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= MAX_STEPS ? Number(raw) : null;
  return { lesson, step };
}

/** The hash with the lesson link set (or taken out, for null), every other parameter kept where it was. */
export function withLessonHash(hash: string, link: LessonLink | null): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('lesson');
  params.delete('step');
  if (link) {
    params.set('lesson', link.lesson);
    if (link.step !== null) params.set('step', String(link.step));
  }
  const s = params.toString();
  return s ? `#${s}` : '';
}

/** A link to a lesson on this page (for Copy link): only the lesson, not the moment time travel shows. */
export function lessonUrl(page: { origin: string; pathname: string; search: string }, link: LessonLink): string {
  // The token (if the page had one) was moved out of the address bar; a link must not carry it either.
  return `${page.origin}${page.pathname}${page.search}${withLessonHash('', link)}`;
}

/**
 * The scrollTop that brings an item into a scroll box's view (with a margin), or null when it is
 * in view already. Positions are in the box's content, so scrolling the box never moves the page.
 */
export function scrollToShow(box: { scrollTop: number; height: number }, item: { top: number; height: number }, margin = 8): number | null {
  const top = item.top - margin;
  const bottom = item.top + item.height + margin;
  if (top >= box.scrollTop && bottom <= box.scrollTop + box.height) return null;
  // Taller than the box, or above: its top at the top. Below: its bottom at the bottom.
  if (item.height + 2 * margin > box.height || top < box.scrollTop) return Math.max(0, top);
  return bottom - box.height;
}

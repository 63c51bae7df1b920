import { lessonUrl, mergeRunView, parseLessonHash, withLessonHash, type LessonLink } from '../lib/lessons';
import { appStore } from '../stores/store';
import { api } from './endpoints';
import { ApiRequestError } from './rest';

/*
 * What the Lessons panel does: read the lessons, run and stop one, read a run back (after a
 * reload or a reconnect, and at its end), and follow or write the #lesson= link. The run itself
 * is followed through the lesson.* events of the live feed (stores/lessonsSlice.ts).
 */

const { actions } = appStore.getState();
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function loadLessons(): Promise<void> {
  try {
    const { lessons, latest } = await api.lessons();
    // The latest run, even one begun before this page loaded and whose events have left the history.
    actions.setLessons((l) => ({ list: lessons, loaded: true, notice: null, runs: latest ? mergeRunView(l.runs, latest) : l.runs }));
  } catch (err) {
    actions.setLessons({ loaded: true, notice: `Loading the lessons failed — ${message(err)}` });
  }
}

/** The run as the supervisor has it now, merged into what the events said (they may have missed some of it). */
export async function readRun(run: string): Promise<void> {
  try {
    const view = await api.lessonRun(run);
    actions.setLessons((l) => ({ runs: mergeRunView(l.runs, view) }));
  } catch (err) {
    // Only the latest run is kept: one a newer run replaced is gone, and what the events said of it stands.
    if (err instanceof ApiRequestError && err.status === 404) return;
    actions.setLessons({ notice: `Reading lesson run ${run} back failed — ${message(err)}` });
  }
}

/** Where a run should go: play it all, or be at step `to` (that many done, paused). */
export type LessonGoal = { mode: 'all' } | { mode: 'step'; to: number };

/** Plays a lesson on a fresh cluster: through, or step by step from `to` steps done (going back is a fresh run too). */
export async function runLesson(id: string, goal: LessonGoal = { mode: 'all' }): Promise<void> {
  await act('run', `${goal.mode === 'all' ? 'Run lesson' : 'Go to step'} failed`, async () => {
    const view = await api.runLesson(id, goal);
    // The step a link pointed at has done its job: from now on the highlight follows the run.
    actions.setLessons((l) => ({ runs: mergeRunView(l.runs, view), chosen: id, linkedStep: null }));
    writeHash({ lesson: id, step: null });
  });
}

/** A paused run plays on: one more step, up to `to` steps done, or (Infinity) to the end. */
export async function playOn(run: string, to?: number): Promise<void> {
  await act('next', to === Infinity ? 'Run to the end failed' : 'Next step failed', async () => {
    const view = to === Infinity ? await api.continueLesson(run) : await api.nextLessonStep(run, to === undefined ? {} : { to });
    actions.setLessons((l) => ({ runs: mergeRunView(l.runs, view) }));
  });
}

export async function stopLesson(run: string): Promise<void> {
  await act('stop', 'Stop lesson failed', async () => {
    const view = await api.stopLesson(run);
    actions.setLessons((l) => ({ runs: mergeRunView(l.runs, view) }));
  });
}

/** How often a comparison under way is read back: its second cluster's steps are not on this page's feed. */
const COMPARE_POLL_MS = 500;
let comparePoll: ReturnType<typeof setTimeout> | null = null;

/** Plays a lesson under both algorithms at once, and follows the comparison until it ends. */
export async function compareLesson(id: string): Promise<void> {
  await act('compare', 'Compare failed', async () => {
    const view = await api.compareLesson(id);
    actions.setLessons({ comparison: view, chosen: id, linkedStep: null });
    followComparison();
  });
}

export async function stopComparison(): Promise<void> {
  await act('stop', 'Stop comparison failed', async () => {
    actions.setLessons({ comparison: await api.stopComparison() });
  });
}

/** Reads the latest comparison (after a reload too) and, while it goes on, again every COMPARE_POLL_MS. */
export function followComparison(): void {
  if (comparePoll !== null) clearTimeout(comparePoll);
  comparePoll = null;
  api.comparison().then(
    (view) => {
      actions.setLessons({ comparison: view });
      if (view.endedAt === null) comparePoll = setTimeout(followComparison, COMPARE_POLL_MS);
    },
    (err: unknown) => {
      if (err instanceof ApiRequestError && err.status === 404) return;
      actions.setLessons({ notice: `Reading the comparison failed — ${message(err)}` });
      comparePoll = setTimeout(followComparison, COMPARE_POLL_MS * 4);
    },
  );
}

/** One of the panel's requests: the panel is busy meanwhile, and a refusal is its alert. */
async function act(busy: 'run' | 'next' | 'stop' | 'compare', failed: string, ask: () => Promise<void>): Promise<void> {
  actions.setLessons({ busy, error: null });
  try {
    await ask();
  } catch (err) {
    actions.setLessons({ error: `${failed} — ${message(err)}` });
  } finally {
    actions.setLessons({ busy: null });
  }
}

/** Shows a lesson; `reveal` scrolls the panel into view (a followed link), `step` highlights one (1-based). */
export function chooseLesson(id: string, opts: { step?: number | null; reveal?: boolean; writeHash?: boolean } = {}): void {
  const step = opts.step ?? null;
  actions.setLessons((l) => ({ chosen: id, linkedStep: step, error: null, reveal: opts.reveal ? l.reveal + 1 : l.reveal }));
  if (opts.writeHash !== false) writeHash({ lesson: id, step });
}

/** A #lesson= link in the address bar (as the page loads, or followed on a page already open). */
export function followLessonLink(): void {
  const link = parseLessonHash(location.hash);
  if (link) chooseLesson(link.lesson, { step: link.step, reveal: true, writeHash: false });
}

/** The address bar names the lesson shown, so a reload comes back to it; replaceState, so choosing lessons fills no history. */
function writeHash(link: LessonLink): void {
  const hash = withLessonHash(location.hash, link);
  if (hash !== location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
}

export function copyLessonLink(link: LessonLink): void {
  const url = lessonUrl(location, link);
  // No clipboard on a page served over plain http beyond loopback (--host 0.0.0.0): the link is shown instead.
  const copied = navigator.clipboard?.writeText(url) ?? Promise.reject(new Error('no clipboard'));
  copied.then(
    () => actions.toast('info', 'A link to this lesson is on the clipboard.'),
    () => actions.toast('info', `Link to this lesson: ${url}`),
  );
}

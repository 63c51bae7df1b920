import { chooseLesson, compareLesson, copyLessonLink, playOn, runLesson, stopLesson } from '../api/lessonActions';
import { currentStep, runningRun, runSentence, stepViews, type LessonSummary } from '../lib/lessons';
import { useApp } from '../stores/hooks';
import { AlgorithmBadge } from './LessonContents';
import { LessonComparison } from './LessonComparison';
import { LessonControls, type LessonControl } from './LessonControls';
import { LessonSteps } from './LessonSteps';
import { LessonVerdict } from './LessonVerdict';

/**
 * One lesson: what it is about, its controls (play it through, or step by step: next, previous,
 * jump to a step, run to the end, stop), a status line for its run, its steps with each one's
 * state, and what the checker made of its reads and writes. Playing resets the learner's
 * cluster, so it is always a click, never a link.
 */
export function LessonDetail({ lesson, lessons }: { lesson: LessonSummary; lessons: readonly LessonSummary[] }) {
  const run = useApp((s) => s.lessons.runs.byLesson[lesson.id] ?? null);
  const running = useApp((s) => runningRun(s.lessons.runs));
  const linkedStep = useApp((s) => s.lessons.linkedStep);
  const busy = useApp((s) => s.lessons.busy);
  const past = useApp((s) => s.travel.mode === 'past');
  const comparison = useApp((s) => s.lessons.comparison);
  const comparing = comparison !== null && comparison.endedAt === null;
  const other = lesson.algorithm === 'bully' ? 'raft' : 'bully';

  const steps = stepViews(lesson, run);
  const thisRuns = running?.lesson === lesson.id;
  const paused = thisRuns && running.state === 'paused' ? (running.pausedAfter ?? 0) : null;
  const playing = thisRuns && paused === null;
  const current = currentStep(steps, thisRuns ? running : null, linkedStep === null ? null : linkedStep - 1);
  const status = runSentence(lesson, run);
  const otherLesson = running && !thisRuns ? lessons.find((l) => l.id === running.lesson) : undefined;
  const otherAt = running?.steps.findIndex((s) => s.state === 'running') ?? -1;
  const n = lesson.steps.length;
  const idle = busy === null;

  /** Be at step `to` (that many done): onward from a pause, else — going back too — a fresh run to it. */
  const goTo = (to: number) => (paused !== null && to > paused ? playOn(running!.run, to) : runLesson(lesson.id, { mode: 'step', to }));
  const linked = linkedStep !== null && linkedStep <= n ? linkedStep : null;

  const controls: LessonControl[] = [
    { key: 'run', label: run && !thisRuns ? 'Run again' : 'Run lesson', name: `${run && !thisRuns ? 'Run again' : 'Run lesson'}: ${lesson.title}`, primary: !thisRuns && linked === null, resets: true, on: idle && !playing, act: () => runLesson(lesson.id) },
    {
      key: 'step',
      label: linked !== null && !thisRuns ? `Go to step ${linked}` : 'Step through',
      name: linked !== null && !thisRuns ? `Go to step ${linked}: ${lesson.steps[linked - 1]?.title ?? ''}` : `Step through: ${lesson.title}`,
      primary: !thisRuns && linked !== null,
      resets: true,
      on: idle && !playing,
      act: () => runLesson(lesson.id, { mode: 'step', to: linked !== null && !thisRuns ? linked : 1 }),
    },
    { key: 'prev', label: '◀ Previous step', name: 'Previous step', resets: true, on: idle && paused !== null && paused >= 1, act: () => goTo(paused! - 1) },
    { key: 'next', label: 'Next step ▶', name: 'Next step', primary: paused !== null, on: idle && paused !== null && paused < n, act: () => playOn(running!.run) },
    { key: 'end', label: 'Run to the end', name: 'Run to the end', on: idle && paused !== null, act: () => playOn(running!.run, Infinity) },
    {
      key: 'compare',
      label: `Compare with ${other}`,
      name: `Compare with ${other}: ${lesson.title}`,
      resets: true,
      on: idle && !playing && !comparing,
      act: () => compareLesson(lesson.id),
    },
    {
      key: 'stop',
      label: 'Stop lesson',
      name: running ? `Stop lesson: ${lessons.find((l) => l.id === running.lesson)?.title ?? running.lesson}` : 'Stop lesson',
      on: idle && running !== null,
      act: () => stopLesson(running!.run),
    },
  ];
  const jump = idle && !playing && !past ? (index: number) => (paused === index + 1 ? undefined : () => void goTo(index + 1)) : () => undefined;

  return (
    <div className="lesson">
      <div className="lesson__head">
        <h3 id="lesson-title">{lesson.title}</h3>
        <AlgorithmBadge algorithm={lesson.algorithm} />
        <span className="muted small">
          {lesson.nodes} nodes · {n} steps
        </span>
      </div>
      <p className="lesson__summary">{lesson.summary}</p>
      <div className="lesson__actions">
        <LessonControls controls={controls} off={past} describedBy="lesson-resets" />
        <button type="button" className="btn btn--quiet btn--small" onClick={() => copyLessonLink({ lesson: lesson.id, step: current !== null ? current + 1 : null })}>
          Copy link to this {current !== null ? 'step' : 'lesson'}
        </button>
        <span id="lesson-resets" className="lesson__resets muted small">
          {past
            ? 'Off while time travel shows the past: a lesson resets the live cluster.'
            : `Run, Step through, Previous, going to a step and Compare reset the cluster to ${lesson.nodes} fresh ${lesson.algorithm} nodes: keys and faults go. Compare plays ${other} on a second cluster beside it.`}
        </span>
      </div>
      <div className={`lesson__status lesson__status--${status.tone}`}>
        <p role="status" aria-label="Lesson status">
          {busy === 'run' || busy === 'compare' ? 'Starting the lesson…' : busy === 'stop' ? 'Stopping the lesson…' : busy === 'next' ? 'Playing on…' : status.text}
        </p>
        {otherLesson && (
          <p className="lesson__other small">
            “{otherLesson.title}” is running{otherAt >= 0 ? ` (step ${otherAt + 1} of ${otherLesson.steps.length})` : ''}: running this one stops it.{' '}
            <button type="button" className="btn btn--small" onClick={() => chooseLesson(otherLesson.id)}>
              Show the running lesson
            </button>
          </p>
        )}
      </div>
      <LessonSteps key={lesson.id} title={lesson.title} steps={steps} current={current} live={thisRuns} jump={jump} />
      {comparison?.lesson === lesson.id && <LessonComparison comparison={comparison} lesson={lesson} busy={!idle} />}
      {run?.verdict && <LessonVerdict key={run.run} verdict={run.verdict} history={run.history} />}
    </div>
  );
}

import { useEffect, useRef, type FocusEvent } from 'react';
import { chooseLesson, copyLessonLink, runLesson, stopLesson } from '../api/lessonActions';
import { currentStep, runningRun, runSentence, stepViews, type LessonSummary } from '../lib/lessons';
import { useApp } from '../stores/hooks';
import { AlgorithmBadge } from './LessonContents';
import { LessonSteps } from './LessonSteps';

/**
 * One lesson: what it is about, Run / Stop, a status line for its run, and its steps with
 * each one's state. Running resets the learner's cluster, so it is always a click, never a link.
 */
export function LessonDetail({ lesson, lessons }: { lesson: LessonSummary; lessons: readonly LessonSummary[] }) {
  const run = useApp((s) => s.lessons.runs.byLesson[lesson.id] ?? null);
  const running = useApp((s) => runningRun(s.lessons.runs));
  const linkedStep = useApp((s) => s.lessons.linkedStep);
  const busy = useApp((s) => s.lessons.busy);
  const past = useApp((s) => s.travel.mode === 'past');

  const steps = stepViews(lesson, run);
  const thisRuns = running?.lesson === lesson.id;
  const current = currentStep(steps, thisRuns, linkedStep === null ? null : linkedStep - 1);
  const status = runSentence(lesson, run);
  const runWord = run && !thisRuns ? 'Run again' : 'Run lesson';
  const other = running && !thisRuns ? lessons.find((l) => l.id === running.lesson) : undefined;
  const otherAt = running?.steps.findIndex((s) => s.state === 'running') ?? -1;
  const runButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  /** Which of the two had focus when it turned itself off (Run as the lesson starts, Stop as it ends). */
  const focused = useRef<'run' | 'stop' | null>(null);
  const runOff = busy !== null || thisRuns;
  const stopOff = busy !== null || !running;

  // A button that turns itself off drops the keyboard's focus on the page: hand it to the other one.
  useEffect(() => {
    if (focused.current === 'run' && runOff && !stopOff) stopButton.current?.focus();
    else if (focused.current === 'stop' && stopOff && !runOff) runButton.current?.focus();
  }, [runOff, stopOff]);
  const track = (which: 'run' | 'stop') => ({
    onFocus: () => (focused.current = which),
    // Focus that went somewhere has a related target; focus lost to a button turning off has none.
    onBlur: (e: FocusEvent) => {
      if (e.relatedTarget !== null) focused.current = null;
    },
  });

  return (
    <div className="lesson">
      <div className="lesson__head">
        <h3 id="lesson-title">{lesson.title}</h3>
        <AlgorithmBadge algorithm={lesson.algorithm} />
        <span className="muted small">
          {lesson.nodes} nodes · {lesson.steps.length} steps
        </span>
      </div>
      <p className="lesson__summary">{lesson.summary}</p>
      <div className="lesson__actions">
        {/* Running resets the live cluster: off while time travel shows the past, like every action on it. */}
        <fieldset className="acts" disabled={past}>
          <button ref={runButton} type="button" className="btn btn--primary" aria-label={`${runWord}: ${lesson.title}`} aria-describedby="lesson-resets" disabled={runOff} onClick={() => void runLesson(lesson.id)} {...track('run')}>
            {runWord}
          </button>
          <button
            ref={stopButton}
            type="button"
            className="btn"
            aria-label={running ? `Stop lesson: ${lessons.find((l) => l.id === running.lesson)?.title ?? running.lesson}` : 'Stop lesson'}
            disabled={stopOff}
            onClick={() => running && void stopLesson(running.run)}
            {...track('stop')}
          >
            Stop lesson
          </button>
        </fieldset>
        <button type="button" className="btn btn--quiet btn--small" onClick={() => copyLessonLink({ lesson: lesson.id, step: current !== null && !thisRuns ? current + 1 : null })}>
          Copy link to this lesson
        </button>
        <span id="lesson-resets" className="lesson__resets muted small">
          {past ? 'Off while time travel shows the past: a lesson resets the live cluster.' : `Resets the cluster to ${lesson.nodes} fresh ${lesson.algorithm} nodes: keys and faults go.`}
        </span>
      </div>
      <div className={`lesson__status lesson__status--${status.tone}`}>
        <p role="status" aria-label="Lesson status">
          {busy === 'run' ? 'Starting the lesson…' : busy === 'stop' ? 'Stopping the lesson…' : status.text}
        </p>
        {other && (
          <p className="lesson__other small">
            “{other.title}” is running{otherAt >= 0 ? ` (step ${otherAt + 1} of ${other.steps.length})` : ''}: running this one stops it.{' '}
            <button type="button" className="btn btn--small" onClick={() => chooseLesson(other.id)}>
              Show the running lesson
            </button>
          </p>
        )}
      </div>
      <LessonSteps key={lesson.id} title={lesson.title} steps={steps} current={current} />
    </div>
  );
}

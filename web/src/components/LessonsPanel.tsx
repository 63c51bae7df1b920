import { useEffect, useRef } from 'react';
import { followComparison, followLessonLink, loadLessons, readRun } from '../api/lessonActions';
import { runById } from '../lib/lessons';
import { appStore } from '../stores/store';
import { useApp } from '../stores/hooks';
import { LessonContents } from './LessonContents';
import { LessonDetail } from './LessonDetail';

/**
 * Lessons: guided scenarios the supervisor plays on the real cluster, step by step, each step
 * waiting for its moment to actually happen. The contents on one side, the lesson shown on the
 * other with its steps lighting up as the run goes. `#lesson=<id>&step=<n>` opens one.
 */
export function LessonsPanel() {
  const list = useApp((s) => s.lessons.list);
  const loaded = useApp((s) => s.lessons.loaded);
  const chosen = useApp((s) => s.lessons.chosen);
  const latestLesson = useApp((s) => runById(s.lessons.runs, s.lessons.runs.latest)?.lesson ?? null);
  const latest = useApp((s) => s.lessons.runs.latest);
  const latestEnded = useApp((s) => {
    const state = runById(s.lessons.runs, s.lessons.runs.latest)?.state;
    return state !== 'running' && state !== 'paused';
  });
  const verdicts = useApp((s) => runById(s.lessons.runs, s.lessons.runs.latest)?.verdicts ?? 0);
  const snapshots = useApp((s) => s.lessons.snapshots);
  const reveal = useApp((s) => s.lessons.reveal);
  const clusterLoaded = useApp((s) => s.cluster.loaded);
  const error = useApp((s) => s.lessons.error);
  const notice = useApp((s) => s.lessons.notice);
  const section = useRef<HTMLElement>(null);
  const revealed = useRef(0);

  // A #lesson= link: as the page loads, or followed on a page already open.
  useEffect(() => {
    followLessonLink();
    window.addEventListener('hashchange', followLessonLink);
    return () => window.removeEventListener('hashchange', followLessonLink);
  }, []);

  // On load and after every reconnect: the lessons, and the latest run as the supervisor has it
  // now (the list names it, even one whose events have left the snapshot's history).
  useEffect(() => {
    void loadLessons();
    followComparison();
    const run = appStore.getState().lessons.runs.latest;
    if (run) void readRun(run);
  }, [snapshots]);

  // At a run's end, how it ended as the supervisor kept it: stopped or failed, and when; and
  // each time the checker has spoken, its whole verdict (the event carries only the headline).
  useEffect(() => {
    if (latest && (latestEnded || verdicts > 0)) void readRun(latest);
  }, [latest, latestEnded, verdicts]);

  // A followed link scrolls the panel into view, once what is above it (the cluster) has its height.
  useEffect(() => {
    if (reveal === revealed.current || !loaded || !clusterLoaded) return;
    revealed.current = reveal;
    section.current?.scrollIntoView({ block: 'nearest' });
  }, [reveal, loaded, clusterLoaded]);

  const shown = list.find((l) => l.id === chosen) ?? list.find((l) => l.id === latestLesson) ?? list[0] ?? null;
  const unknown = chosen !== null && loaded && list.length > 0 && !list.some((l) => l.id === chosen);

  return (
    <section ref={section} className="panel lessons" aria-labelledby="lessons-heading">
      <div className="panel__head">
        <h2 id="lessons-heading">Lessons</h2>
        <span className="muted small">each step is played on the real cluster and waits until its moment actually happens</span>
      </div>
      {error && (
        <p role="alert" className="lessons__error">
          {error}
        </p>
      )}
      {(notice || unknown) && (
        <p className="lessons__notice muted small" aria-live="polite">
          {unknown ? `There is no lesson “${chosen}”: the link may be from another version. Here is ${shown?.title ?? 'the first one'}.` : notice}
        </p>
      )}
      {!shown ? (
        <p className="empty">{loaded ? 'No lessons: the supervisor has none in its lessons folder.' : 'Loading the lessons…'}</p>
      ) : (
        <div className="lessons__body">
          <LessonContents lessons={list} shown={shown.id} />
          <LessonDetail lesson={shown} lessons={list} />
        </div>
      )}
    </section>
  );
}

import type { ServerFrame } from '@clusterlab/shared';
import type { LessonComparisonView } from '@clusterlab/shared/lessons';
import { foldLessonEvents, noRuns, type LessonRuns, type LessonSummary } from '../lib/lessons';

/**
 * The Lessons panel's state: the lessons (GET /api/lessons), the one shown, and each one's
 * latest run, moved by lesson.* events from the live feed and by the views the supervisor
 * gives back (run, stop, a reload). Always the present: time travel does not touch it.
 */
export type LessonsSliceState = {
  list: readonly LessonSummary[];
  loaded: boolean;
  /** The lesson shown; null until the learner or a link picks one (the panel then shows the running one, or the first). */
  chosen: string | null;
  /** The step a link pointed at (1-based), highlighted until the lesson is run. */
  linkedStep: number | null;
  /** Bumped when a link was followed: the panel scrolls itself into view once there is something to show. */
  reveal: number;
  runs: LessonRuns;
  /** Snapshots seen: each one makes the panel read the latest run back, for what the feed missed. */
  snapshots: number;
  busy: 'run' | 'next' | 'stop' | 'compare' | null;
  /** The latest comparison of a lesson under both algorithms, as last read. */
  comparison: LessonComparisonView | null;
  /** What the API refused when the learner asked (Run, Stop): an alert in the panel. */
  error: string | null;
  /** A background read that failed (the list, following a run): a quiet line. */
  notice: string | null;
};

export const initialLessons: LessonsSliceState = { list: [], loaded: false, chosen: null, linkedStep: null, reveal: 0, runs: noRuns, snapshots: 0, busy: null, comparison: null, error: null, notice: null };

const isLessonEvent = (e: { kind: string }) => e.kind.startsWith('lesson.');

/** One frame of the live feed → the lessons slice; `lastSeq` is the live feed's before the frame. */
export function lessonsFromFrame(prev: LessonsSliceState, lastSeq: number, frame: ServerFrame): LessonsSliceState {
  if (frame.type === 'snapshot') {
    // Sequence numbers starting again: a new supervisor, whose runs are not the old one's.
    const restarted = frame.lastSeq < lastSeq;
    const base = restarted ? noRuns : prev.runs;
    const since = restarted ? 0 : lastSeq;
    const runs = foldLessonEvents(base, frame.events.filter((e) => e.seq > since && isLessonEvent(e)));
    return { ...prev, runs, snapshots: prev.snapshots + 1 };
  }
  if (frame.type !== 'events') return prev;
  const fresh = frame.events.filter((e) => e.seq > lastSeq && isLessonEvent(e));
  return fresh.length === 0 ? prev : { ...prev, runs: foldLessonEvents(prev.runs, fresh) };
}

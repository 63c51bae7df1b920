import { describe, expect, it } from 'vitest';
import { eventFactory } from '../testing/events';
import { parseTravelHash } from './travel';
import {
  currentStep,
  foldLessonEvents,
  liveMoment,
  lessonUrl,
  mergeRunView,
  noRuns,
  parseLessonHash,
  runningRun,
  runSentence,
  scrollToShow,
  stepViews,
  withLessonHash,
  type LessonRunView,
  type LessonSummary,
} from './lessons';

const failover: LessonSummary = {
  id: 'failover',
  number: 2,
  title: 'Failover after the leader is killed',
  summary: 'Kill the leader and watch the others elect a new one.',
  algorithm: 'bully',
  nodes: 3,
  steps: [
    { title: 'A leader, and a write', say: 'A write goes through the leader.' },
    { title: 'Kill the leader', say: 'SIGKILL ends it at once.' },
    { title: 'The data survived', say: 'Every node still holds it.' },
    { title: 'The old leader comes back', say: 'It follows the new one.' },
  ],
};

function failoverEvents() {
  const ev = eventFactory();
  const step = (time: number, i: number, state: 'running' | 'passed' | 'failed', detail: string | null = null) =>
    ev(time, 'supervisor', 'lesson.step', { run: 'l1', lesson: 'failover', step: i, title: failover.steps[i]!.title, state, detail });
  return { ev, step };
}

/** The supervisor's view of run l1 of failover, as GET /api/lessons/runs/l1 answers. */
const view = (over: Partial<LessonRunView>): LessonRunView => ({
  run: 'l1',
  lesson: 'failover',
  algorithm: 'bully',
  mode: 'all',
  state: 'running',
  pausedAfter: null,
  steps: failover.steps.map((s, index) => ({ index, title: s.title, state: 'pending', detail: null })),
  history: [],
  verdict: null,
  startedAt: 1000,
  endedAt: null,
  ...over,
});

const states = (lesson: LessonSummary, runs = noRuns) => stepViews(lesson, runs.byLesson[lesson.id] ?? null).map((s) => s.state);

describe('folding lesson events', () => {
  it('moves each step from pending to running to passed, then ends the run passed', () => {
    const { ev, step } = failoverEvents();
    let runs = foldLessonEvents(noRuns, [step(100, 0, 'running')]);
    expect(states(failover, runs)).toEqual(['running', 'pending', 'pending', 'pending']);
    expect(runningRun(runs)?.run).toBe('l1');
    runs = foldLessonEvents(runs, [step(150, 0, 'passed'), step(151, 1, 'running')]);
    expect(states(failover, runs)).toEqual(['passed', 'running', 'pending', 'pending']);
    runs = foldLessonEvents(runs, [step(200, 1, 'passed'), step(201, 2, 'running'), step(210, 2, 'passed'), step(211, 3, 'running'), step(400, 3, 'passed')]);
    runs = foldLessonEvents(runs, [ev(401, 'supervisor', 'lesson.ended', { run: 'l1', lesson: 'failover', passed: true })]);
    expect(states(failover, runs)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(runningRun(runs)).toBeNull();
    expect(runSentence(failover, runs.byLesson.failover!)).toEqual({ tone: 'passed', text: '✓ Passed: all 4 steps happened as the lesson says in 301 ms.' });
  });

  it('keeps a failed step’s sentence, and says where the lesson failed', () => {
    const { ev, step } = failoverEvents();
    const detail = 'waited 15 s for a leader other than n3, and it did not come: n1 down, n2 follower, n3 down';
    const runs = foldLessonEvents(noRuns, [step(0, 0, 'running'), step(10, 0, 'passed'), step(11, 1, 'running'), step(20, 1, 'failed', detail), ev(21, 'supervisor', 'lesson.ended', { run: 'l1', lesson: 'failover', passed: false })]);
    const views = stepViews(failover, runs.byLesson.failover!);
    expect(views.map((s) => s.state)).toEqual(['passed', 'failed', 'pending', 'pending']);
    expect(views[1]!.detail).toBe(detail);
    expect(runSentence(failover, runs.byLesson.failover!).text).toBe('✗ Failed at step 2 of 4 (Kill the leader) in 21 ms.');
  });

  it('takes a step it sees first (a snapshot that lost the start) to mean every step before it passed', () => {
    const { step } = failoverEvents();
    const runs = foldLessonEvents(noRuns, [step(500, 2, 'running')]);
    expect(states(failover, runs)).toEqual(['passed', 'passed', 'running', 'pending']);
    expect(runs.byLesson.failover!.startedAt).toBeNull();
  });

  it('a new run replaces the lesson’s last one, and ends one still marked running as stopped', () => {
    const ev = eventFactory();
    let runs = foldLessonEvents(noRuns, [ev(0, 'supervisor', 'lesson.step', { run: 'l1', lesson: 'failover', step: 1, title: 'Kill the leader', state: 'running', detail: null })]);
    runs = foldLessonEvents(runs, [ev(10, 'supervisor', 'lesson.step', { run: 'l2', lesson: 'split-brain', step: 0, title: 'One leader', state: 'running', detail: null })]);
    expect(runs.latest).toBe('l2');
    expect(runs.byLesson.failover!.state).toBe('stopped');
    expect(states(failover, runs)).toEqual(['passed', 'stopped', 'pending', 'pending']);
    runs = foldLessonEvents(runs, [ev(20, 'supervisor', 'lesson.step', { run: 'l3', lesson: 'failover', step: 0, title: 'A leader, and a write', state: 'running', detail: null })]);
    expect(runs.byLesson.failover!.run).toBe('l3');
    expect(states(failover, runs)).toEqual(['running', 'pending', 'pending', 'pending']);
  });
});

describe('merging the supervisor’s view of a run', () => {

  it('a view read after a reload fills in what the events did not say', () => {
    const v = view({});
    v.steps[0]!.state = 'passed';
    v.steps[1]!.state = 'running';
    const runs = mergeRunView(noRuns, v);
    expect(states(failover, runs)).toEqual(['passed', 'running', 'pending', 'pending']);
    expect(runSentence(failover, runs.byLesson.failover!)).toEqual({ tone: 'running', text: 'Running step 2 of 4: Kill the leader' });
  });

  it('never moves a step or the run back: a view older than the events it crossed with changes nothing', () => {
    const { ev, step } = failoverEvents();
    const runs = foldLessonEvents(noRuns, [step(1000, 0, 'running'), step(1010, 0, 'passed'), step(1011, 1, 'running'), step(1020, 1, 'passed'), step(1021, 2, 'running'), step(1030, 2, 'passed'), step(1031, 3, 'running'), step(1040, 3, 'passed'), ev(1041, 'supervisor', 'lesson.ended', { run: 'l1', lesson: 'failover', passed: true })]);
    const merged = mergeRunView(runs, view({}));
    expect(states(failover, merged)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(merged.byLesson.failover!.state).toBe('passed');
  });

  it('says a run the learner stopped was stopped, not failed', () => {
    const { ev, step } = failoverEvents();
    const events = [step(1000, 0, 'running'), step(1010, 0, 'passed'), step(1011, 1, 'running'), step(1500, 1, 'failed', 'the lesson was stopped'), ev(1501, 'supervisor', 'lesson.ended', { run: 'l1', lesson: 'failover', passed: false })];
    const stoppedView = view({ state: 'stopped', endedAt: 1501 });
    stoppedView.steps[0]!.state = 'passed';
    stoppedView.steps[1] = { index: 1, title: 'Kill the leader', state: 'failed', detail: 'the lesson was stopped' };
    // Either order: the POST …/stop answer before or after the events.
    for (const runs of [foldLessonEvents(mergeRunView(noRuns, stoppedView), events), mergeRunView(foldLessonEvents(noRuns, events), stoppedView)]) {
      expect(runs.byLesson.failover!.state).toBe('stopped');
      expect(states(failover, runs)).toEqual(['passed', 'stopped', 'pending', 'pending']);
      expect(runSentence(failover, runs.byLesson.failover!).text).toBe('■ Stopped at step 2 of 4 (Kill the leader) in 501 ms.');
    }
  });

  it('a run just started says the cluster is being reset until its first step runs', () => {
    const runs = mergeRunView(noRuns, view({}));
    expect(runSentence(failover, runs.byLesson.failover!).text).toBe('Starting: resetting the cluster to 3 fresh bully nodes…');
    expect(runSentence(failover, null).text).toBe('Not run yet: Run lesson plays its 4 steps on 3 fresh bully nodes; Step through stops after each.');
  });
});

describe('the step the panel points at', () => {
  it('is the running step while the lesson runs, else the linked one', () => {
    const { step } = failoverEvents();
    const run = foldLessonEvents(noRuns, [step(0, 1, 'running')]).byLesson.failover!;
    expect(currentStep(stepViews(failover, run), run, 3)).toBe(1);
    expect(currentStep(stepViews(failover, null), null, 2)).toBe(2);
    expect(currentStep(stepViews(failover, null), null, 9)).toBeNull();
    expect(currentStep(stepViews(failover, null), null, null)).toBeNull();
  });

  it('is the step just played while a run waits, the next one marked', () => {
    const { ev, step } = failoverEvents();
    const run = foldLessonEvents(noRuns, [step(0, 0, 'running'), step(5, 0, 'passed'), ev(6, 'supervisor', 'lesson.paused', { run: 'l1', lesson: 'failover', done: 1 })]).byLesson.failover!;
    const views = stepViews(failover, run);
    expect(currentStep(views, run, null)).toBe(0);
    expect(views.map((s) => s.next)).toEqual([false, true, false, false]);
    expect(runSentence(failover, run).text).toBe('Paused after step 1 of 4: A leader, and a write. Next step plays “Kill the leader”.');
  });
});

describe('a run played step by step', () => {
  it('pauses, goes on when the next step starts, and names the nodes a step was about while it is played', () => {
    const { ev, step } = failoverEvents();
    const paused = foldLessonEvents(noRuns, [
      step(0, 0, 'running'),
      ev(5, 'supervisor', 'lesson.step', { run: 'l1', lesson: 'failover', step: 0, title: 'A leader, and a write', state: 'passed', detail: null, nodes: ['n3'], eventSeq: null }),
      ev(6, 'supervisor', 'lesson.paused', { run: 'l1', lesson: 'failover', done: 1 }),
    ]);
    expect(paused.byLesson.failover).toMatchObject({ state: 'paused', pausedAfter: 1 });
    expect(runningRun(paused)?.run).toBe('l1');
    expect(liveMoment(paused, [failover])).toEqual({ nodes: ['n3'], title: 'A leader, and a write' });
    // A view that crossed the pause (the answer to Next step, say) does not undo what the events said since.
    const goingOn = foldLessonEvents(paused, [step(10, 1, 'running')]);
    expect(goingOn.byLesson.failover).toMatchObject({ state: 'running', pausedAfter: null });
    expect(mergeRunView(goingOn, view({ state: 'paused', pausedAfter: 1 })).byLesson.failover).toMatchObject({ state: 'running', pausedAfter: null });
    // Ended, the moment is no longer the cluster's.
    const ended = foldLessonEvents(goingOn, [ev(20, 'supervisor', 'lesson.ended', { run: 'l1', lesson: 'failover', passed: false })]);
    expect(liveMoment(ended, [failover])).toBeNull();
  });

  it('keeps a step that failed failed when the run plays on past it (a comparison)', () => {
    const { step } = failoverEvents();
    const runs = foldLessonEvents(noRuns, [step(0, 0, 'running'), step(5, 0, 'failed', 'it did not come'), step(6, 1, 'running'), step(9, 1, 'passed')]);
    expect(states(failover, runs)).toEqual(['failed', 'passed', 'pending', 'pending']);
  });

  it('a page loaded during a pause learns it from the view', () => {
    const v = view({ state: 'paused', pausedAfter: 2, mode: 'step' });
    v.steps[0]!.state = 'passed';
    v.steps[1]!.state = 'passed';
    const runs = mergeRunView(noRuns, v);
    expect(runs.byLesson.failover).toMatchObject({ state: 'paused', pausedAfter: 2 });
  });
});

describe('the lesson deep link', () => {
  it.each([
    ['#lesson=failover', { lesson: 'failover', step: null }],
    ['#lesson=split-brain&step=3', { lesson: 'split-brain', step: 3 }],
    ['#run=r2&at=40&lesson=failover&step=2', { lesson: 'failover', step: 2 }],
    ['#lesson=failover&step=0', { lesson: 'failover', step: null }],
    ['#lesson=failover&step=two', { lesson: 'failover', step: null }],
  ])('reads %s', (hash, link) => {
    expect(parseLessonHash(hash)).toEqual(link);
  });

  it.each(['', '#run=r1&at=3', '#lesson=', '#lesson=../x', '#lesson=Failover'])('finds no lesson in %s', (hash) => {
    expect(parseLessonHash(hash)).toBeNull();
  });

  it('sets and clears the lesson without touching time travel’s parameters', () => {
    expect(withLessonHash('', { lesson: 'failover', step: null })).toBe('#lesson=failover');
    expect(withLessonHash('#lesson=failover&step=2', { lesson: 'split-brain', step: null })).toBe('#lesson=split-brain');
    const both = withLessonHash('#run=r2&at=976', { lesson: 'failover', step: 3 });
    expect(both).toBe('#run=r2&at=976&lesson=failover&step=3');
    expect(parseTravelHash(both)).toEqual({ run: 'r2', at: 976 });
    expect(withLessonHash(both, null)).toBe('#run=r2&at=976');
    expect(withLessonHash('#sim=26&algorithm=raft', { lesson: 'failover', step: null })).toBe('#sim=26&algorithm=raft&lesson=failover');
    expect(withLessonHash('#lesson=failover', null)).toBe('');
  });

  it('a copied link names the lesson on this page, and no moment of time travel', () => {
    expect(lessonUrl({ origin: 'http://127.0.0.1:4000', pathname: '/', search: '' }, { lesson: 'split-brain', step: 3 })).toBe('http://127.0.0.1:4000/#lesson=split-brain&step=3');
  });
});

describe('scrolling a step into the steps list', () => {
  const box = { scrollTop: 100, height: 300 };
  it('leaves a step in view alone', () => {
    expect(scrollToShow(box, { top: 150, height: 80 })).toBeNull();
  });
  it('brings a step below into view with its bottom at the bottom', () => {
    expect(scrollToShow(box, { top: 420, height: 80 })).toBe(420 + 80 + 8 - 300);
  });
  it('brings a step above, or one taller than the box, in with its top at the top', () => {
    expect(scrollToShow(box, { top: 40, height: 80 })).toBe(32);
    expect(scrollToShow(box, { top: 500, height: 400 })).toBe(492);
    expect(scrollToShow({ scrollTop: 50, height: 300 }, { top: 4, height: 60 })).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '@clusterlab/shared';
import { eventFactory } from '../testing/events';
import { clusterView } from '../testing/views';
import { createAppStore } from './store';

const step = (ev: ReturnType<typeof eventFactory>, run: string, i: number, state: 'running' | 'passed') =>
  ev(0, 'supervisor', 'lesson.step', { run, lesson: 'failover', step: i, title: `step ${i + 1}`, state, detail: null });

const snapshot = (events: ClusterEvent[], lastSeq = events.at(-1)?.seq ?? 0) => ({ type: 'snapshot' as const, cluster: clusterView(), events, lastSeq, bootId: 'b1' });

describe('the lessons slice, fed by the live feed', () => {
  it('learns the run in progress from a snapshot’s history, and counts the snapshot', () => {
    const store = createAppStore();
    const ev = eventFactory();
    store.getState().actions.applyFrame(snapshot([step(ev, 'l4', 0, 'running'), step(ev, 'l4', 0, 'passed'), step(ev, 'l4', 1, 'running')]), 0);
    const { lessons } = store.getState();
    expect(lessons.snapshots).toBe(1);
    expect(lessons.runs.latest).toBe('l4');
    expect(lessons.runs.byLesson.failover!.steps.map((s) => s.state)).toEqual(['passed', 'running']);
  });

  it('folds each event once, also while time travel shows the past', () => {
    const store = createAppStore();
    const ev = eventFactory();
    const first = step(ev, 'l1', 0, 'running');
    store.getState().actions.applyFrame(snapshot([first]), 0);
    const passed = step(ev, 'l1', 0, 'passed');
    // The same event twice (a resume that overlaps) moves nothing the second time.
    store.getState().actions.applyFrame({ type: 'events', events: [first, passed] }, 0);
    store.getState().actions.applyFrame({ type: 'events', events: [passed] }, 0);
    expect(store.getState().lessons.runs.byLesson.failover!.steps.map((s) => s.state)).toEqual(['passed']);

    const moment = { cluster: store.getState().cluster, events: store.getState().events, faults: { list: [], periods: [] } };
    store.getState().actions.showMoment({ id: 'r1', label: 'this run' }, moment, { index: 0, count: 1, seq: 1, time: 0 });
    store.getState().actions.applyFrame({ type: 'events', events: [step(ev, 'l1', 1, 'running')] }, 0);
    expect(store.getState().lessons.runs.byLesson.failover!.steps.map((s) => s.state)).toEqual(['passed', 'running']);
  });

  it('forgets the runs of a supervisor that was restarted (its sequence numbers start again)', () => {
    const store = createAppStore();
    const ev = eventFactory(100);
    store.getState().actions.applyFrame(snapshot([step(ev, 'l1', 0, 'running')]), 0);
    store.getState().actions.applyFrame(snapshot([], 5), 0);
    expect(store.getState().lessons.runs.byLesson).toEqual({});
    expect(store.getState().lessons.snapshots).toBe(2);
  });
});

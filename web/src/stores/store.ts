import { createStore } from 'zustand/vanilla';
import type { FaultView, ServerFrame } from '@clusterlab/shared';
import { foldFaultEvents, foldFaultPeriods, type FaultPeriod } from '../lib/faults';
import type { MomentState } from '../lib/travel';
import { initialCluster } from './clusterReducer';
import { initialEvents } from './eventsReducer';
import { reduceFrame, type FeedState } from './frameReducer';
import { initialKeys, type KeysState } from './keysSlice';
import { initialLessons, lessonsFromFrame, type LessonsSliceState } from './lessonsSlice';
import { initialWorkload, type WorkloadSliceState } from './workloadSlice';
import { initialUi, pushToast, type Connection, type LogFilter, type Theme, type Toast, type UiState } from './uiSlice';

/**
 * The lasting faults in force: loaded from GET /api/faults (again after every snapshot, since
 * a reconnect may have missed some), then moved by fault.network / fault.healed events.
 */
export type FaultsState = {
  list: readonly FaultView[];
  /** When each fault seen by this page was in force, for the leader timeline's shading. */
  periods: readonly FaultPeriod[];
  loaded: boolean;
  snapshots: number;
  error: string | null;
};
export const initialFaults: FaultsState = { list: [], periods: [], loaded: false, snapshots: 0, error: null };

/**
 * Live, or looking at one moment of a recorded run (time travel, lib/travel.ts). In the past,
 * the cluster, events and faults slices hold that moment, and what the live feed brings waits
 * in `live` until the learner comes back to it.
 */
export type TravelState =
  | { mode: 'live' }
  | {
      mode: 'past';
      /** The run on screen: its name, and the link to this moment. */
      run: { id: string; label: string };
      /** The moment: just after the run's event at `index` (of `count`), whose seq is `seq`. */
      index: number;
      count: number;
      seq: number;
      time: number;
      live: FeedState & { faults: FaultsState; keys: KeysState };
    };

export type AppState = FeedState & {
  faults: FaultsState;
  keys: KeysState;
  ui: UiState;
  workload: WorkloadSliceState;
  lessons: LessonsSliceState;
  travel: TravelState;
  actions: Actions;
};

export type Actions = {
  applyFrame(frame: ServerFrame, receivedAt: number): void;
  setConnection(c: Partial<Connection>): void;
  setTheme(theme: Theme): void;
  selectEvent(seq: number | null): void;
  setLogFilter(change: Partial<LogFilter>): void;
  toast(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
  setBusy(target: string, action: string | null): void;
  setKeys(change: Partial<KeysState>): void;
  setAnimateMessages(on: boolean): void;
  setFaults(change: Partial<FaultsState>): void;
  setWorkload(change: Partial<WorkloadSliceState>): void;
  setLessons(change: Partial<LessonsSliceState> | ((l: LessonsSliceState) => Partial<LessonsSliceState>)): void;
  /** Shows one moment of a recorded run in place of the live cluster. */
  /** The keys table of the moment on screen (ignored once back to live). */
  setMomentKeys(change: Partial<KeysState>): void;
  showMoment(run: { id: string; label: string }, moment: MomentState, at: { index: number; count: number; seq: number; time: number }): void;
  backToLive(): void;
};

let toastId = 0;

export function createAppStore() {
  return createStore<AppState>()((set) => {
    const setUi = (f: (ui: UiState) => UiState) => set((s) => ({ ui: f(s.ui) }));
    return {
      cluster: initialCluster,
      events: initialEvents,
      faults: initialFaults,
      keys: initialKeys,
      ui: initialUi,
      workload: initialWorkload,
      lessons: initialLessons,
      travel: { mode: 'live' },
      actions: {
        applyFrame(frame, receivedAt) {
          // One set per frame: a batch of 500 events costs one notification, not 500.
          set((s) => {
            if (s.travel.mode === 'past') {
              // The learner is looking at the past: the live feed goes on, out of sight (the lessons panel always shows the present).
              const { live } = s.travel;
              const next = reduceFrame({ cluster: live.cluster, events: live.events }, frame, receivedAt);
              const faults = nextFaults(live.faults, live.events.lastSeq, frame);
              const lessons = lessonsFromFrame(s.lessons, live.events.lastSeq, frame);
              return { travel: { ...s.travel, live: { ...live, ...next, faults } }, lessons };
            }
            const next = reduceFrame({ cluster: s.cluster, events: s.events }, frame, receivedAt);
            const faults = nextFaults(s.faults, s.events.lastSeq, frame);
            const lessons = lessonsFromFrame(s.lessons, s.events.lastSeq, frame);
            if (faults === s.faults && lessons === s.lessons && next.cluster === s.cluster && next.events === s.events) return s;
            return { ...next, faults, lessons };
          });
        },
        setConnection: (c) => setUi((ui) => ({ ...ui, connection: { ...ui.connection, ...c } })),
        setTheme: (theme) => setUi((ui) => ({ ...ui, theme })),
        selectEvent: (selectedSeq) => setUi((ui) => ({ ...ui, selectedSeq })),
        setLogFilter: (change) => setUi((ui) => ({ ...ui, log: { ...ui.log, ...change } })),
        toast: (kind, text) => setUi((ui) => pushToast(ui, { id: ++toastId, kind, text })),
        dismissToast: (id) => setUi((ui) => ({ ...ui, toasts: ui.toasts.filter((t) => t.id !== id) })),
        setBusy: (target, action) =>
          setUi((ui) => {
            const busy = { ...ui.busy };
            if (action === null) delete busy[target];
            else busy[target] = action;
            return { ...ui, busy };
          }),
        // In the past the live keys wait aside (an answer still on its way lands there).
        setKeys: (change) =>
          set((s) => (s.travel.mode === 'past' ? { travel: { ...s.travel, live: { ...s.travel.live, keys: { ...s.travel.live.keys, ...change } } } } : { keys: { ...s.keys, ...change } })),
        setMomentKeys: (change) => set((s) => (s.travel.mode === 'past' ? { keys: { ...s.keys, ...change } } : s)),
        setWorkload: (change) => set((s) => ({ workload: { ...s.workload, ...change } })),
        setLessons: (change) => set((s) => ({ lessons: { ...s.lessons, ...(typeof change === 'function' ? change(s.lessons) : change) } })),
        setAnimateMessages: (animateMessages) => setUi((ui) => ({ ...ui, animateMessages })),
        showMoment: (run, moment, at) =>
          set((s) => {
            const live = s.travel.mode === 'past' ? s.travel.live : { cluster: s.cluster, events: s.events, faults: s.faults, keys: s.keys };
            return {
              // The keys at a moment take a replay of every core to it: they come a moment later (api/travel.ts).
              keys: s.travel.mode === 'past' ? s.keys : { ...initialKeys, tableError: null },
              cluster: moment.cluster,
              events: moment.events,
              faults: { ...s.faults, list: moment.faults.list, periods: moment.faults.periods, loaded: true, error: null },
              travel: { mode: 'past', run, ...at, live },
              ui: { ...s.ui, selectedSeq: null },
            };
          }),
        backToLive: () =>
          set((s) => {
            if (s.travel.mode !== 'past') return s;
            const { live } = s.travel;
            return { cluster: live.cluster, events: live.events, faults: live.faults, keys: live.keys, travel: { mode: 'live' }, ui: { ...s.ui, selectedSeq: null } };
          }),
        setFaults: (change) =>
          set((s) => {
            const live = s.travel.mode === 'past' ? s.travel.live.faults : s.faults;
            const faults = { ...live, ...change };
            // A list read from GET /api/faults may hold faults applied before this page saw their events.
            if (change.list) faults.periods = foldFaultPeriods(faults.periods, [], change.list);
            // In the past, what the supervisor says now is for the live view, when the learner is back.
            return s.travel.mode === 'past' ? { travel: { ...s.travel, live: { ...s.travel.live, faults } } } : { faults };
          }),
      },
    };
  });
}

/** A snapshot asks for a fresh GET /api/faults; new fault events move the list. */
function nextFaults(prev: FaultsState, lastSeq: number, frame: ServerFrame): FaultsState {
  const isFault = (e: { kind: string }) => e.kind === 'fault.network' || e.kind === 'fault.healed';
  if (frame.type === 'snapshot') return { ...prev, snapshots: prev.snapshots + 1, periods: foldFaultPeriods(prev.periods, frame.events.filter(isFault)) };
  if (frame.type !== 'events') return prev;
  const fresh = frame.events.filter((e) => e.seq > lastSeq && isFault(e));
  if (fresh.length === 0) return prev;
  const list = foldFaultEvents(prev.list, fresh);
  const periods = foldFaultPeriods(prev.periods, fresh);
  return list === prev.list && periods === prev.periods ? prev : { ...prev, list, periods };
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The page's one store; tests make their own with createAppStore(). */
export const appStore = createAppStore();

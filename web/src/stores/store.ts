import { createStore } from 'zustand/vanilla';
import type { FaultView, ServerFrame } from '@clusterlab/shared';
import { foldFaultEvents, foldFaultPeriods, type FaultPeriod } from '../lib/faults';
import { initialCluster } from './clusterReducer';
import { initialEvents } from './eventsReducer';
import { reduceFrame, type FeedState } from './frameReducer';
import { initialKeys, type KeysState } from './keysSlice';
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

export type AppState = FeedState & {
  faults: FaultsState;
  keys: KeysState;
  ui: UiState;
  workload: WorkloadSliceState;
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
      actions: {
        applyFrame(frame, receivedAt) {
          // One set per frame: a batch of 500 events costs one notification, not 500.
          set((s) => {
            const next = reduceFrame({ cluster: s.cluster, events: s.events }, frame, receivedAt);
            const faults = nextFaults(s.faults, s.events.lastSeq, frame);
            if (faults !== s.faults) return { ...next, faults };
            return next.cluster === s.cluster && next.events === s.events ? s : next;
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
        setKeys: (change) => set((s) => ({ keys: { ...s.keys, ...change } })),
        setWorkload: (change) => set((s) => ({ workload: { ...s.workload, ...change } })),
        setAnimateMessages: (animateMessages) => setUi((ui) => ({ ...ui, animateMessages })),
        setFaults: (change) =>
          set((s) => {
            const faults = { ...s.faults, ...change };
            // A list read from GET /api/faults may hold faults applied before this page saw their events.
            if (change.list) faults.periods = foldFaultPeriods(faults.periods, [], change.list);
            return { faults };
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

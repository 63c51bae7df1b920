import { createStore } from 'zustand/vanilla';
import type { ServerFrame } from '@clusterlab/shared';
import { initialCluster } from './clusterReducer';
import { initialEvents } from './eventsReducer';
import { reduceFrame, type FeedState } from './frameReducer';
import { initialKeys, type KeysState } from './keysSlice';
import { initialUi, pushToast, type Connection, type LogFilter, type Theme, type Toast, type UiState } from './uiSlice';

export type AppState = FeedState & {
  keys: KeysState;
  ui: UiState;
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
};

let toastId = 0;

export function createAppStore() {
  return createStore<AppState>()((set) => {
    const setUi = (f: (ui: UiState) => UiState) => set((s) => ({ ui: f(s.ui) }));
    return {
      cluster: initialCluster,
      events: initialEvents,
      keys: initialKeys,
      ui: initialUi,
      actions: {
        applyFrame(frame, receivedAt) {
          // One set per frame: a batch of 500 events costs one notification, not 500.
          set((s) => {
            const next = reduceFrame({ cluster: s.cluster, events: s.events }, frame, receivedAt);
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
        setAnimateMessages: (animateMessages) => setUi((ui) => ({ ...ui, animateMessages })),
      },
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The page's one store; tests make their own with createAppStore(). */
export const appStore = createAppStore();

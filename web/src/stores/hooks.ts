import type { AlgorithmId } from '@clusterlab/shared';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from './store';

/** Read one narrow piece of state; the component re-renders only when that piece changes. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

/** For selectors that build a fresh object or array each time: compares it field by field. */
export function useAppShallow<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, useShallow(selector));
}

export function useActions(): AppState['actions'] {
  return useStore(appStore, (s) => s.actions);
}

/** The algorithm the cluster runs (bully until the first view says otherwise). */
export function useAlgorithm(): AlgorithmId {
  return useStore(appStore, (s) => s.cluster.settings?.algorithm ?? 'bully');
}

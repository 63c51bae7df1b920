import type { EventFamily } from '@clusterlab/shared';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';
export type Connection = {
  status: ConnectionStatus;
  /** Failed attempts since the last open; drives the backoff. */
  attempt: number;
  /** When the next attempt starts (browser clock), while closed. */
  retryAt: number | null;
  /** False until the first open: the first "connecting" is not an outage. */
  everOpened: boolean;
  /**
   * While the feed is down, the browser time of the last frame: countdowns stop there rather
   * than run on into "late" and "expiring" that the cluster never did.
   */
  frozenAt: number | null;
  /**
   * Why the feed is down, when the supervisor said (the reason it gave for closing the feed,
   * or why it refused to connect); null when it just went away.
   */
  closeReason: string | null;
};

export type Theme = 'system' | 'light' | 'dark';

export type LogFilter = {
  newestFirst: boolean;
  hideHeartbeats: boolean;
  /** null = every node. */
  node: string | null;
  hiddenFamilies: EventFamily[];
  search: string;
  /** Off = the list holds still while new events arrive. */
  follow: boolean;
};

export type Toast = { id: number; kind: 'error' | 'info'; text: string };

export type UiState = {
  connection: Connection;
  theme: Theme;
  selectedSeq: number | null;
  log: LogFilter;
  toasts: Toast[];
  /** Requests in flight, by target ("n2", "registry", "cluster"), so their buttons wait. */
  busy: Record<string, string>;
  animateMessages: boolean;
};

export const MAX_TOASTS = 4;

export const initialUi: UiState = {
  connection: { status: 'connecting', attempt: 0, retryAt: null, everOpened: false, frozenAt: null, closeReason: null },
  theme: 'system',
  selectedSeq: null,
  log: { newestFirst: true, hideHeartbeats: true, node: null, hiddenFamilies: [], search: '', follow: true },
  toasts: [],
  busy: {},
  animateMessages: true,
};

export function pushToast(ui: UiState, toast: Toast): UiState {
  const toasts = [...ui.toasts, toast];
  return { ...ui, toasts: toasts.length > MAX_TOASTS ? toasts.slice(toasts.length - MAX_TOASTS) : toasts };
}

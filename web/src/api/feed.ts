import { appStore } from '../stores/store';
import { connectFeed } from './ws';

/** The page's one feed connection, started by main.tsx. */
let feed: ReturnType<typeof connectFeed> | null = null;

export function startFeed(): void {
  feed ??= connectFeed(appStore);
}

export function retryFeedNow(): void {
  feed?.retryNow();
}

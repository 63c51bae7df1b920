/**
 * A supervisor bound beyond loopback prints a URL ending in ?token=…. The page keeps the token
 * for this tab (sessionStorage: not shared with other sites, gone when the tab closes), takes
 * it out of the address bar so it is not bookmarked, shared in a screenshot or sent on as a
 * Referer, and sends it with every request and on the live feed.
 */

const KEY = 'clusterlab.token';

export function adoptTokenFromUrl(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    memoryToken = token; // Storage refused (a locked-down browser): keep it for this page's life.
  }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

let memoryToken: string | null = null;

export function authToken(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

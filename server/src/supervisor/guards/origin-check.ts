import type { Refusal } from '../../http/guards/refusal';

/**
 * A browser says which page a request comes from in `Origin`. Only the dashboard itself — a
 * page served by this supervisor under the Host it was asked for — may call the API or open
 * the stream; a request from any other page is refused before it does anything. Requests with
 * no Origin (curl, scripts, a same-origin GET) pass: they are not another page acting for a user.
 */
export function checkOrigin(origin: string | undefined, host: string | undefined): Refusal | null {
  if (origin === undefined) return null;
  const own = host ? originOf(`http://${host}`) : null;
  if (own !== null && originOf(origin) === own) return null;
  return {
    status: 403,
    error:
      `refused a request from the web page at ${JSON.stringify(origin)}: only the dashboard's own page` +
      `${own ? ` (${own})` : ''} may use this supervisor's API and live stream`,
  };
}

/** Normalised (default port dropped, lowercase); null for "null" and anything else not a URL. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

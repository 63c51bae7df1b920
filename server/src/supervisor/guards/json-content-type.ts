import type { Refusal } from '../../http/guards/refusal';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Another web page can make a browser send a "simple" cross-site request — a form post with
 * text/plain, say — without asking first. Requiring application/json on every request that
 * changes something makes any such request one a browser must ask permission for (a CORS
 * preflight), which this supervisor never grants. Body-less ones (kill, DELETE) too.
 */
export function checkJsonContentType(method: string, contentType: string | undefined, path: string): Refusal | null {
  if (!STATE_CHANGING.has(method)) return null;
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return null;
  const got = contentType === undefined ? 'none' : JSON.stringify(contentType);
  const body = path.startsWith('/api/kv/') && method !== 'DELETE' ? 'the body {"value": "<text>"}' : 'a JSON body, or none for an action';
  return {
    status: 415,
    error:
      `${method} ${path} needs Content-Type: application/json (got ${got}): send -H 'Content-Type: application/json' with ${body}; ` +
      'other types are refused so that no other web page can change the cluster',
  };
}

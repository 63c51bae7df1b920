/** Small fetch helpers for tests: status and parsed JSON in one call, no exceptions on 4xx/5xx. */

export type JsonAnswer<T = unknown> = { status: number; headers: Headers; body: T };

export async function call<T = any>(url: string, init: RequestInit = {}): Promise<JsonAnswer<T>> {
  const res = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(15_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the raw text is the body.
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export function json(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A body-less write (kill, restart, DELETE): the supervisor takes writes only as application/json. */
export function action(method = 'POST'): RequestInit {
  return { method, headers: { 'content-type': 'application/json' } };
}

/** PUT (or POST) /api/kv/:key: the value travels as JSON `{ value }`. */
export function kvWrite(value: string, method = 'PUT'): RequestInit {
  return json(method, { value });
}

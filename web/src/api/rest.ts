import type { ApiError } from '@clusterlab/shared';
import { authToken } from './token';

/** An HTTP error from the supervisor, carrying its `{ error }` text for the status line. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The supervisor's own sentence, without the status in front (for a panel that says the status its own way). */
    readonly reason: string = message,
  ) {
    super(message);
  }
}

/** Requests to the supervisor never hang the UI: a stuck one fails after this long. */
const REQUEST_TIMEOUT_MS = 15_000;

type Options = {
  method?: string;
  body?: unknown;
  okStatuses?: number[];
  /** Extra request headers (a conditional write's If-Match). They cannot replace the ones the supervisor requires. */
  headers?: Record<string, string>;
};

/**
 * JSON request to the supervisor. Every write says Content-Type: application/json, even one
 * with no body (kill, DELETE): the supervisor refuses any other, so that other web pages cannot
 * post to it. `okStatuses` lets KV calls receive a 404/503 result body instead of throwing.
 */
export async function request<T>(path: string, opts: Options = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (method !== 'GET' && method !== 'HEAD') headers['Content-Type'] = 'application/json';
  const token = authToken();
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    throw new ApiRequestError(0, timedOut ? `no answer from the supervisor in ${REQUEST_TIMEOUT_MS / 1000} s` : 'cannot reach the supervisor');
  }
  const raw = await res.text();
  let parsed: unknown = undefined;
  if (raw) {
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
  }
  if (res.ok || opts.okStatuses?.includes(res.status)) {
    if (parsed === undefined && raw) throw new ApiRequestError(res.status, `unexpected answer from ${path}`);
    return parsed as T;
  }
  const message = isApiError(parsed) ? parsed.error : raw.slice(0, 200) || res.statusText || 'request failed';
  throw new ApiRequestError(res.status, `${res.status}: ${message}`, message);
}

function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && typeof (x as ApiError).error === 'string';
}

/**
 * The supervisor's one way of talking HTTP to its children: always with a deadline (a paused
 * process accepts connections and then says nothing, forever) and a cap on the answer's size.
 */

export type HttpAnswer = { status: number; headers: Headers; body: string };

export type FailureReason = 'timeout' | 'unreachable' | 'too-large';

export class HttpClientError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    /** The system's error code when there is one: ECONNREFUSED means the request never reached a process. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export type RequestOptions = {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Answers larger than this are abandoned rather than held in memory. */
  maxBodyBytes: number;
};

export async function request(url: string, options: RequestOptions): Promise<HttpAnswer> {
  const { method = 'GET', body, headers, timeoutMs, maxBodyBytes } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method, body, headers, signal, redirect: 'manual' });
    return { status: res.status, headers: res.headers, body: await readCapped(res, maxBodyBytes) };
  } catch (err) {
    if (err instanceof HttpClientError) throw err;
    if (signal.aborted) throw new HttpClientError('timeout', `no answer within ${timeoutMs} ms`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new HttpClientError('unreachable', cause?.code ?? cause?.message ?? (err as Error).message, cause?.code);
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new HttpClientError('too-large', `the answer is ${declared} bytes, more than the ${maxBytes} we accept`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new HttpClientError('too-large', `the answer is more than the ${maxBytes} bytes we accept`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON in an answer, or undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

import { RequestSigner, SIGNATURE_HEADER } from '../auth/request-signature';

/** The cluster secret of the in-process clusters tests build (a real supervisor makes its own). */
export const TEST_SECRET = 'a-test-cluster-secret-of-some-length';
export const testSigner = new RequestSigner(TEST_SECRET);

/** A request as a member of the test cluster sends it: signed. `path` is the request target. */
export function signedFetch(base: string, path: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<Response> {
  const body = init.body ?? '';
  const signature = testSigner.sign({ method: init.method, target: path, body }, Date.now());
  return fetch(`${base}${path}`, { ...init, headers: { ...init.headers, [SIGNATURE_HEADER]: signature } });
}

/** POST /peer, signed, with `message` (an envelope or a batch) as JSON. */
export function postPeer(base: string, message: unknown): Promise<Response> {
  return signedFetch(base, '/peer', { method: 'POST', body: typeof message === 'string' ? message : JSON.stringify(message), headers: { 'content-type': 'application/json' } });
}

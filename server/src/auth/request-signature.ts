import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a member of a cluster proves it is one: every peer message and every registry call
 * carries an HMAC-SHA256, keyed by the cluster's secret, over the method, the request target,
 * a timestamp and the exact body bytes. Anyone who can reach a port but does not hold the
 * secret can neither forge a request nor change a signed one; the timestamp bounds how long
 * a captured request can be replayed (the algorithms' own terms make a replayed old message
 * harmless within that window: it is a duplicate, or from an older term).
 */

export const SIGNATURE_HEADER = 'x-clusterlab-signature';

/** Clocks on one machine agree; this much allows for a paused process and a loaded machine. */
export const MAX_CLOCK_SKEW_MS = 30_000;

export type SignedRequest = { method: string; target: string; body: Buffer | string };

export type Verdict = { ok: true } | { ok: false; reason: string };

export class RequestSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('a cluster secret must be at least 16 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  /** The header value for a request sent at `now`: `t=<ms>,sig=<hex>`. */
  sign(request: SignedRequest, now: number): string {
    return `t=${now},sig=${this.mac(request, now).toString('hex')}`;
  }

  verify(header: string | string[] | undefined, request: SignedRequest, now: number): Verdict {
    const parsed = parseHeader(header, now);
    if (!parsed.ok) return parsed;
    const expected = this.mac(request, parsed.sentAt);
    if (!timingSafeEqual(expected, parsed.sig)) return { ok: false, reason: 'the signature does not match: not signed with this cluster\'s secret' };
    return { ok: true };
  }

  /**
   * What can be told before the body is read: a header that is missing, malformed or too old
   * can never verify, so a stranger's megabytes need not be buffered to say no.
   */
  precheck(header: string | string[] | undefined, now: number): Verdict {
    const parsed = parseHeader(header, now);
    return parsed.ok ? { ok: true } : parsed;
  }

  private mac({ method, target, body }: SignedRequest, sentAt: number): Buffer {
    return createHmac('sha256', this.key).update(`${sentAt}\n${method.toUpperCase()}\n${target}\n`).update(body).digest();
  }
}

function parseHeader(header: string | string[] | undefined, now: number): { ok: true; sentAt: number; sig: Buffer } | { ok: false; reason: string } {
  if (header === undefined) return { ok: false, reason: `no ${SIGNATURE_HEADER} header: only members of this cluster may send this` };
  const match = /^t=(\d{1,16}),sig=([0-9a-f]{64})$/.exec(Array.isArray(header) ? (header[0] ?? '') : header);
  if (!match) return { ok: false, reason: `${SIGNATURE_HEADER} must be t=<ms>,sig=<64 hex digits>` };
  const sentAt = Number(match[1]);
  if (Math.abs(now - sentAt) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: `the signature is ${Math.round(Math.abs(now - sentAt) / 1000)} s away from this clock (at most ${MAX_CLOCK_SKEW_MS / 1000} s)` };
  }
  return { ok: true, sentAt, sig: Buffer.from(match[2]!, 'hex') };
}

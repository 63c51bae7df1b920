import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessPolicy } from './access-policy';
import type { Refusal } from '../../http/guards/refusal';

/** The header the dashboard and scripts send the token in: `Authorization: Bearer <token>`. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1]! : null;
}

export function checkToken(presented: string | null, policy: AccessPolicy): Refusal | null {
  if (policy.token === null) return null;
  if (presented !== null && sameSecret(presented, policy.token)) return null;
  const how = "open the URL it printed at start (it ends in ?token=…), or send 'Authorization: Bearer <token>' (the live stream also takes ?token=<token>)";
  return {
    status: 401,
    error: presented === null ? `${policy.tokenReason}, so it needs its token: ${how}` : `that is not this supervisor's token: ${how}`,
    headers: { 'WWW-Authenticate': 'Bearer realm="clusterlab"' },
  };
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

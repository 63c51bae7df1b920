import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Who the supervisor answers, decided once at start from the address it binds. On loopback
 * only this machine can connect, so the browser's own protections (Host and Origin checks
 * against other web pages) are enough and nobody types a token. Bound to anything else,
 * other machines can connect too: then every API call and the live stream need a token.
 */
export type AccessPolicy = {
  /** Host names (lowercase, IPv6 in brackets) a request may name; null = any, because a token is required. */
  hostnames: ReadonlySet<string> | null;
  /** The token every /api request and /ws connection must carry; null = none needed. */
  token: string | null;
  /** Why a token is needed, for the 401's sentence. */
  tokenReason: string;
};

/** URL- and header-safe, so it travels unescaped in ?token= and in Authorization. */
export const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

export function accessPolicy(bindHost: string, token?: string): AccessPolicy {
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    throw new Error('the token must be 16 to 256 characters of A-Z, a-z, 0-9, ".", "_", "~" and "-"');
  }
  if (isLoopback(bindHost)) {
    const hostnames = new Set(['localhost', '127.0.0.1', '[::1]', asHostname(bindHost)]);
    return { hostnames, token: token ?? null, tokenReason: 'this supervisor was started with a token' };
  }
  // DNS rebinding makes any Host header possible, and people reach a shared machine by names
  // it cannot know (mybox.local, a proxy's), so the token, not the Host, keeps other pages out:
  // a page from another origin cannot read the one this page keeps.
  return {
    hostnames: null,
    token: token ?? randomBytes(24).toString('base64url'),
    tokenReason: `this supervisor listens on ${bindHost}, where other machines can reach it`,
  };
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/** How an address appears as the hostname of a Host header: IPv6 in brackets. */
function asHostname(host: string): string {
  const lower = host.toLowerCase();
  return isIP(lower) === 6 ? `[${lower}]` : lower;
}

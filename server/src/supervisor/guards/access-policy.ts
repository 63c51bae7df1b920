import { randomBytes } from 'node:crypto';
import { isLoopback, loopbackHostnames, type HostPolicy } from '../../http/guards/host-check';

/**
 * Who the supervisor answers, decided once at start from the address it binds. On loopback
 * only this machine can connect, so the browser's own protections (Host and Origin checks
 * against other web pages) are enough and nobody types a token. Bound to anything else,
 * other machines can connect too: then every API call and the live stream need a token.
 */
export type AccessPolicy = HostPolicy & {
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
  const name = 'this supervisor';
  if (isLoopback(bindHost)) {
    return { name, hostnames: loopbackHostnames(bindHost), token: token ?? null, tokenReason: 'this supervisor was started with a token' };
  }
  // DNS rebinding makes any Host header possible, and people reach a shared machine by names
  // it cannot know (mybox.local, a proxy's), so the token, not the Host, keeps other pages out:
  // a page from another origin cannot read the one this page keeps.
  return {
    name,
    hostnames: null,
    token: token ?? randomBytes(24).toString('base64url'),
    tokenReason: `this supervisor listens on ${bindHost}, where other machines can reach it`,
  };
}


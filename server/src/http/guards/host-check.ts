import { isIP } from 'node:net';
import type { Refusal } from './refusal';

/** The names a server may be asked for in `Host`, and how it calls itself in a refusal. */
export type HostPolicy = {
  /** Host names (lowercase, IPv6 in brackets); null = any (bound beyond loopback, where names cannot be known). */
  hostnames: ReadonlySet<string> | null;
  /** "this supervisor", "node n2", "the registry". */
  name: string;
};

/** Loopback's own names for a server bound to `bindHost`, or null (any) for one bound beyond it. */
export function loopbackHostnames(bindHost: string): ReadonlySet<string> | null {
  if (!isLoopback(bindHost)) return null;
  const lower = bindHost.toLowerCase();
  return new Set(['localhost', '127.0.0.1', '[::1]', isIP(lower) === 6 ? `[${lower}]` : lower]);
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/** `name` or `name:port`, the name a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/;

/**
 * DNS rebinding: a page at evil.example can point its own name at 127.0.0.1 and then talk to
 * a server here as if same-origin — but its requests still say `Host: evil.example`. So on
 * loopback only the names of this machine's loopback are answered.
 */
export function checkHost(host: string | undefined, policy: HostPolicy): Refusal | null {
  if (policy.hostnames === null) return null;
  const allowed = [...policy.hostnames].join(', ');
  if (host === undefined || host === '') {
    return { status: 421, error: `the request has no Host header; ${policy.name} answers only requests for ${allowed}` };
  }
  const match = HOST_HEADER.exec(host.toLowerCase());
  if (match && policy.hostnames.has(match[1]!)) return null;
  return {
    status: 421,
    error:
      `refused Host ${JSON.stringify(host)}: ${policy.name} answers only requests for ${allowed} ` +
      `(another name pointing here is how a web page could reach it by DNS rebinding); use http://127.0.0.1:<port>/`,
  };
}

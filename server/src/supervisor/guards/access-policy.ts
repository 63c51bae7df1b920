import { isIP } from 'node:net';

/**
 * Who the supervisor answers, decided once at start from the address it binds: requests that
 * name this machine's loopback, or that address itself.
 */
export type AccessPolicy = {
  /** Host names (lowercase, IPv6 in brackets) a request may name. */
  hostnames: ReadonlySet<string>;
};

export function accessPolicy(bindHost: string): AccessPolicy {
  return { hostnames: new Set(['localhost', '127.0.0.1', '[::1]', asHostname(bindHost)]) };
}

/** How an address appears as the hostname of a Host header: IPv6 in brackets. */
function asHostname(host: string): string {
  const lower = host.toLowerCase();
  return isIP(lower) === 6 ? `[${lower}]` : lower;
}

import type { AccessPolicy } from './access-policy';
import type { Refusal } from './refusal';

/** `name` or `name:port`, the name a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/;

/**
 * DNS rebinding: a page at evil.example can point its own name at 127.0.0.1 and then talk to
 * this supervisor as if same-origin — but its requests still say `Host: evil.example`. So on
 * loopback only the names of this machine's loopback are answered.
 */
export function checkHost(host: string | undefined, policy: AccessPolicy): Refusal | null {
  if (policy.hostnames === null) return null;
  const allowed = [...policy.hostnames].join(', ');
  if (host === undefined || host === '') {
    return { status: 421, error: `the request has no Host header; this supervisor answers only requests for ${allowed}` };
  }
  const match = HOST_HEADER.exec(host.toLowerCase());
  if (match && policy.hostnames.has(match[1]!)) return null;
  return {
    status: 421,
    error:
      `refused Host ${JSON.stringify(host)}: this supervisor answers only requests for ${allowed} ` +
      `(another name pointing here is how a web page could reach it by DNS rebinding); open it as http://127.0.0.1:<port>/`,
  };
}

import { checkHost, type HostPolicy } from './host-check';
import type { Refusal } from './refusal';

/**
 * For servers no web page has any business calling — a node, the registry: the dashboard
 * reaches them only through the supervisor. A browser names the page behind every
 * cross-origin request in `Origin`, so any Origin at all is refused (a page could otherwise
 * POST a write or a membership change with a "simple" text/plain request, which needs no
 * preflight); and only loopback's names are answered, against DNS rebinding. curl and the
 * cluster's own processes send no Origin and pass.
 */
export function refuseWebPages(headers: { host?: string; origin?: string }, policy: HostPolicy): Refusal | null {
  const wrongHost = checkHost(headers.host, policy);
  if (wrongHost) return wrongHost;
  if (headers.origin === undefined) return null;
  return {
    status: 403,
    error: `refused a request from the web page at ${JSON.stringify(headers.origin)}: ${policy.name} takes no requests from web pages (the dashboard goes through the supervisor)`,
  };
}

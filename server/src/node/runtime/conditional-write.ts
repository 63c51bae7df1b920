import type { Txn, TxnCompare, TxnOutcome } from '@clusterlab/shared';
import { HttpError } from '../../http/json-http';

/**
 * HTTP's own conditional requests, made transactions: `If-Match: "<version>"` (or `*`: the key
 * exists) and `If-None-Match: *` (the key does not exist) on a PUT or DELETE become one compare
 * and the write, with a get of the key on the failure branch, so a 412 can say what the
 * version is now. The leader judges the compare when the entry applies, in log order: of two
 * racing writes conditional on the same version, exactly one applies.
 */
export type Precondition = { header: string; compare: TxnCompare };

/** The precondition a write's headers ask for, or null when they ask none. */
export function preconditionOf(key: string, ifMatch: string | undefined, ifNoneMatch: string | undefined): Precondition | null {
  if (ifMatch !== undefined && ifNoneMatch !== undefined) throw new HttpError(400, 'send If-Match or If-None-Match, not both');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw new HttpError(400, `If-None-Match on a write must be * ("create only if absent"), not ${JSON.stringify(ifNoneMatch.slice(0, 40))}`);
    return { header: 'If-None-Match: *', compare: { key, target: 'exists', op: '=', value: false } };
  }
  if (ifMatch === undefined) return null;
  const raw = ifMatch.trim();
  if (raw === '*') return { header: 'If-Match: *', compare: { key, target: 'exists', op: '=', value: true } };
  const m = /^"(\d{1,15})"$/.exec(raw);
  if (!m) throw new HttpError(400, `If-Match must be one version in quotes, as the ETag gives it (like "42"), or *; not ${JSON.stringify(raw.slice(0, 40))}`);
  return { header: `If-Match: ${raw}`, compare: { key, target: 'version', op: '=', value: Number(m[1]) } };
}

/** The header a client sends to write only while a key is at `version`: If-Match on it, or If-None-Match: * for "absent" (0). */
export function conditionHeaders(version: number): { ifMatch?: string; ifNoneMatch?: string } {
  return version === 0 ? { ifNoneMatch: '*' } : { ifMatch: `"${version}"` };
}

/** The precondition of a write made only while the key is at `version` (0: absent), as those headers ask it. */
export function preconditionAt(key: string, version: number): Precondition {
  const h = conditionHeaders(version);
  return preconditionOf(key, h.ifMatch, h.ifNoneMatch)!;
}

/** The transaction of one conditional write. */
export function conditionalTxn(key: string, p: Precondition, write: { put: string; value: string } | { delete: string }): Txn {
  return { compare: [p.compare], success: [write], failure: [{ get: key }] };
}

/** Why the precondition failed, and what the key is now: the 412's body. */
export function preconditionFailed(key: string, p: Precondition, outcome: TxnOutcome, node: string) {
  const now = outcome.results[0];
  const version = now?.type === 'get' ? now.version : 0;
  const state = version === 0 ? 'does not exist' : `is at version ${version}`;
  return { error: `precondition failed (${p.header}): key ${JSON.stringify(key)} ${state}`, key, version, node };
}

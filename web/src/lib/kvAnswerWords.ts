import type { KvResult } from '@clusterlab/shared';

/** One single-key request and its answer, as the "Last key request" line tells it. */
export type KvAnswer = {
  op: 'put' | 'delete' | 'get';
  key: string;
  via: string;
  value?: string;
  /** The version the write was conditional on ("Only if version is"), if it was. */
  ifVersion?: number;
  result: KvResult;
};

const ok = (r: KvResult) => r.status >= 200 && r.status < 300;

/** The request and what came of it, in one sentence. */
export function describeKvAnswer(a: KvAnswer): string {
  const { op, key, result: r } = a;
  const verb = op === 'put' ? `Write ${key} = ${JSON.stringify(a.value ?? '')}` : op === 'delete' ? `Delete ${key}` : `Read ${key}`;
  const condition = a.ifVersion === undefined ? '' : a.ifVersion === 0 ? ' only if absent' : ` only if at version ${a.ifVersion}`;
  const route = `through ${a.via}${r.redirectedFrom ? `, redirected from ${r.redirectedFrom}` : ''}${r.servedBy ? `, answered by ${r.servedBy}` : ''}`;
  return `${verb}${condition} ${route} → ${outcome(a)}`;
}

function outcome(a: KvAnswer): string {
  const { op, key, result: r } = a;
  const version = r.version !== undefined ? ` (version ${r.version})` : '';
  if (ok(r)) {
    if (op === 'get') return `${JSON.stringify(r.value ?? null)}${version || (r.index !== undefined ? ` (written at index ${r.index})` : '')}`;
    return `acknowledged${r.index !== undefined ? ` at index ${r.index}` : ''}${op === 'put' ? version : ''}`;
  }
  if (r.status === 404) return op === 'get' ? 'not found (absent: version 0)' : 'not found';
  if (r.status === 412) return `${op === 'delete' ? 'not deleted' : 'not written'}: ${whyNot(key, a.ifVersion, r)}`;
  return `failed (${r.status})${r.error ? `: ${r.error}` : ''}`;
}

/** A 412 in plain words: where the key is now, against where the write wanted it. */
function whyNot(key: string, wanted: number | undefined, r: KvResult): string {
  const now = r.version;
  if (now === undefined || wanted === undefined) return r.error ?? 'the precondition did not hold';
  const k = `key ${JSON.stringify(key)}`;
  if (wanted === 0) return `${k} already exists, at version ${now}`;
  if (now === 0) return `${k} does not exist (version 0), not version ${wanted}`;
  return `${k} is at version ${now}, not ${wanted}`;
}

/**
 * The version the next write can be made conditional on, after this answer: what a read
 * found (0 when absent), what a write made, or, after a 412, the version the key is at now
 * (the retry of compare-and-set). Null when the answer says nothing about it.
 */
export function versionToUse(a: KvAnswer): number | null {
  const r = a.result;
  if (a.op === 'get' && r.status === 404) return 0;
  if (a.op === 'delete' && ok(r)) return null;
  if ((ok(r) || r.status === 412) && r.version !== undefined) return r.version;
  return null;
}

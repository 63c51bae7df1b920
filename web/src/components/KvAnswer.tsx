import type { KvResult } from '@clusterlab/shared';
import { formatDuration } from '../lib/format';
import { useApp } from '../stores/hooks';

function describe(op: string, key: string, via: string, value: string | undefined, r: KvResult): string {
  const verb = op === 'put' ? `Write ${key} = ${JSON.stringify(value ?? '')}` : op === 'delete' ? `Delete ${key}` : `Read ${key}`;
  const route = `through ${via}${r.redirectedFrom ? `, redirected from ${r.redirectedFrom}` : ''}${r.servedBy ? `, answered by ${r.servedBy}` : ''}`;
  let outcome: string;
  if (r.status >= 200 && r.status < 300) {
    if (op === 'get') outcome = `${JSON.stringify(r.value ?? null)}${r.index !== undefined ? ` (written at index ${r.index})` : ''}`;
    else outcome = `acknowledged${r.index !== undefined ? ` at index ${r.index}` : ''}`;
  } else if (r.status === 404) {
    outcome = 'not found';
  } else {
    outcome = `failed (${r.status})${r.error ? `: ${r.error}` : ''}`;
  }
  return `${verb} ${route} → ${outcome}`;
}

/** The answer to the last single-node request, in one sentence. Space is reserved so the form does not jump. */
export function KvAnswer() {
  const last = useApp((s) => s.keys.last);
  const ok = last ? last.result.status >= 200 && last.result.status < 300 : true;
  return (
    <p className={`kv-answer${ok ? '' : ' kv-answer--bad'}`} role="status" aria-live="polite" aria-label="Last key request">
      {last ? (
        <>
          {describe(last.op, last.key, last.via, last.value, last.result)}
          <span className="muted"> · {formatDuration(last.latencyMs)}</span>
        </>
      ) : (
        <span className="muted">Write a key, then read it from a follower, kill the leader, and read again.</span>
      )}
    </p>
  );
}

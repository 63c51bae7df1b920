import type { WorkloadCounts, WorkloadVerdict } from '@clusterlab/shared/workloads';

/*
 * Counts in words for the verdict and the progress line. The headline itself is the
 * supervisor's `summary`; these are the chips under it.
 */

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "3 acknowledged writes lost", "12 stale reads", "2 keys whose replicas diverge"; only the non-zero ones. */
export function anomalyCounts(v: Pick<WorkloadVerdict, 'lostWrites' | 'staleReads' | 'divergentReplicas'>): string[] {
  const out: string[] = [];
  if (v.lostWrites > 0) out.push(`${plural(v.lostWrites, 'acknowledged write', 'acknowledged writes')} lost`);
  if (v.staleReads > 0) out.push(plural(v.staleReads, 'stale read', 'stale reads'));
  if (v.divergentReplicas > 0) out.push(`${plural(v.divergentReplicas, 'key', 'keys')} whose replicas diverge`);
  return out;
}

/** Operations by outcome over every kind. */
export function totals(counts: WorkloadCounts): { ok: number; fail: number; unknown: number; all: number } {
  const t = { ok: 0, fail: 0, unknown: 0, all: 0 };
  for (const byOutcome of Object.values(counts)) {
    t.ok += byOutcome.ok;
    t.fail += byOutcome.fail;
    t.unknown += byOutcome.unknown;
  }
  t.all = t.ok + t.fail + t.unknown;
  return t;
}

export const count = (n: number) => n.toLocaleString('en');

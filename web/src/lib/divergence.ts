/**
 * Which replicas disagree. The reference is the leader's copy when we have it (that is what
 * the cluster has decided), otherwise the most common one. `null` means "absent" and counts
 * as a value: a key missing on one node is exactly the lag a learner should see.
 * `undefined` means "no answer" (unreachable) and is never called different.
 */
export type Copy = string | null | undefined;

export function referenceValue(copies: Record<string, Copy>, leader: string | null): Copy {
  if (leader !== null && copies[leader] !== undefined) return copies[leader];
  const counts = new Map<string | null, number>();
  for (const v of Object.values(copies)) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: Copy = undefined;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

export function differingNodes(copies: Record<string, Copy>, leader: string | null): Set<string> {
  const ref = referenceValue(copies, leader);
  const out = new Set<string>();
  if (ref === undefined) return out;
  for (const [node, v] of Object.entries(copies)) if (v !== undefined && v !== ref) out.add(node);
  return out;
}

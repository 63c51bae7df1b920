import { formatTerm } from '@clusterlab/shared';
import type { SimResult } from './runner';

/**
 * The simulator knows what the checker cannot: which leader acknowledged a write, at which
 * log index, and which nodes later threw that index away. One clause that says how an
 * acknowledged write was lost, e.g.
 *   "acknowledged by n2 as leader of 10·n2 at index 388; n1 became leader of 11·n1 at
 *    t=17.74 s without it, and n2 (t=18.04 s) and n4 (t=18.05 s) dropped index 388 for n1's snapshot"
 */
export function explainLostWrite(opId: number, r: SimResult): string {
  const write = r.history.find((op) => op.id === opId);
  const ack = r.acks.get(opId);
  if (!write || !ack) return 'the simulator has no record of where it was acknowledged';
  const term = (t: number) => formatTerm(r.options.settings.algorithm, t);
  const parts = [`acknowledged by ${write.node ?? '?'} as leader of ${term(ack.term)} at index ${ack.index}`];
  // The write may have been dropped before the client heard it acknowledged (the ack was in
  // flight) or at any time after, until the cluster settled.
  const dropped = r.stats.truncations.filter((t) => t.fromIndex <= ack.index && ack.index <= t.toIndex && t.atMs >= write.invokeMs);
  const culprits = [...new Set(dropped.map((t) => t.leader).filter((l): l is string => l !== null))];
  for (const leader of culprits) {
    const victims = dropped.filter((t) => t.leader === leader);
    const rise = r.stats.leaders.filter((l) => l.node === leader && l.term > ack.term && l.atMs <= victims[0]!.atMs).at(0);
    const firstDrops = new Map<string, number>();
    for (const t of victims) if (!firstDrops.has(t.node)) firstDrops.set(t.node, t.atMs);
    const who = [...firstDrops].map(([node, atMs]) => `${node} (${at(atMs)})`);
    parts.push(
      (rise ? `${leader} became leader of ${term(rise.term)} at ${at(rise.atMs)} without it, and ` : '') +
        `${joinAnd(who)} dropped index ${ack.index} for ${leader}'s snapshot`,
    );
  }
  if (culprits.length === 0) {
    const next = r.stats.leaders.find((l) => l.term > ack.term);
    parts.push(next ? `the next leader, ${next.node} (${term(next.term)} at ${at(next.atMs)}), never had it` : 'no later leader had it');
  }
  return parts.join('; ');
}

function at(ms: number): string {
  return `t=${(ms / 1000).toFixed(2)} s`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

import { formatEpoch } from '@clusterlab/shared';
import type { LostWrite } from '../check';
import type { SimResult } from './runner';

/**
 * The simulator knows what the checker cannot: which leader acknowledged a write, at which
 * log index, and which nodes later threw that index away. One clause that says how an
 * acknowledged write was lost, e.g.
 *   "acknowledged by n2 as leader of 10·n2 at index 388; n1 became leader of 11·n1 at
 *    t=17.74 s without it, and n2, n4 dropped index 388 for n1's snapshot at t=18.04 s"
 */
export function explainLostWrite(lw: LostWrite, r: SimResult): string {
  const write = r.history.find((op) => op.id === lw.writeOpId);
  const ack = r.acks.get(lw.writeOpId);
  if (!write || !ack) return 'the simulator has no record of where it was acknowledged';
  const parts = [`acknowledged by ${write.node ?? '?'} as leader of ${formatEpoch(ack.epoch)} at index ${ack.index}`];
  // The write may have been dropped before the client heard it acknowledged (the ack was in
  // flight) or after the read that noticed (that read may just have been a lagging follower).
  const dropped = r.stats.truncations.filter((t) => t.fromIndex <= ack.index && ack.index <= t.toIndex && t.atMs >= write.invokeMs);
  const culprits = [...new Set(dropped.map((t) => t.leader).filter((l): l is string => l !== null))];
  for (const leader of culprits) {
    const victims = dropped.filter((t) => t.leader === leader);
    const rise = r.stats.leaders.filter((l) => l.node === leader && l.epoch > ack.epoch && l.atMs <= victims[0]!.atMs).at(0);
    const nodes = [...new Set(victims.map((t) => t.node))].join(', ');
    const when = `t=${(victims[0]!.atMs / 1000).toFixed(2)} s`;
    parts.push(
      (rise ? `${leader} became leader of ${formatEpoch(rise.epoch)} at t=${(rise.atMs / 1000).toFixed(2)} s without it, and ` : '') +
        `${nodes} dropped index ${ack.index} for ${leader}'s snapshot at ${when}`,
    );
  }
  if (culprits.length === 0) {
    const next = r.stats.leaders.find((l) => l.epoch > ack.epoch);
    parts.push(next ? `the next leader, ${next.node} (${formatEpoch(next.epoch)} at t=${(next.atMs / 1000).toFixed(2)} s), never had it` : 'no later leader had it');
  }
  return parts.join('; ');
}

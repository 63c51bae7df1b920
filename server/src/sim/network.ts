import type { Party, Rng } from '@clusterlab/shared';
import { ActiveFaults } from '../net/active-faults';
import { isCut, linkRules, messageFate, type LinkRules } from '../net/link-rules';

/**
 * The in-memory network: how long each message takes, whether it arrives at all, whether it
 * arrives twice, and who can reach whom.
 *
 * - Latency: every message is delayed independently (a floor plus exponential jitter), so
 *   there is no FIFO per link: messages overtake each other, as they can over several
 *   kept-alive HTTP connections. That is the reordering.
 * - Everything faults do to a link — cuts, partitions, delays, losses, duplicates — comes from
 *   the link rules (server/src/faults/link-rules.ts), the same ones a real node's transport
 *   obeys; this file only adds the latency a network has anyway. Links are directed, so a
 *   one-way cut is just a link that is cut.
 */
export type Latency = {
  /** The least a message takes, in ms. */
  minMs: number;
  /** Mean of the exponential jitter on top, in ms. */
  meanJitterMs: number;
};

export const DEFAULT_LATENCY: Latency = { minMs: 1, meanJitterMs: 2 };

export type Fate = { lost: string } | { delaysMs: number[] };

export class Network {
  private readonly draw: () => number;

  constructor(
    private readonly rng: Rng,
    readonly latency: Latency = DEFAULT_LATENCY,
    readonly faults: ActiveFaults = new ActiveFaults(),
  ) {
    this.draw = () => rng.next();
  }

  rules(from: Party, to: Party): LinkRules {
    return linkRules(this.faults.list(), from, to);
  }

  /** Does what `from` sends to `to` get through right now? (The other way is another link.) */
  connected(from: Party, to: Party): boolean {
    return !isCut(this.rules(from, to));
  }

  /** What happens to a message sent now from `from` to `to`: lost (and why), or when each copy arrives. */
  fate(from: Party, to: Party): Fate {
    const fate = messageFate(this.rules(from, to), this.draw);
    if (fate.lost) return { lost: fate.reason };
    return { delaysMs: fate.extraMs.map((extra) => this.travelMs(extra)) };
  }

  /** How long an answer that cannot be lost takes (a refused connection's reset): latency and the link's delays. */
  roundTripLegMs(from: Party, to: Party): number {
    const fate = messageFate({ ...this.rules(from, to), cutBy: [], losses: [], duplicates: [] }, this.draw);
    return this.travelMs(fate.lost ? 0 : fate.extraMs[0]!);
  }

  /** One message's travel time, a whole number of ms, at least 1. */
  private travelMs(extraMs: number): number {
    const ms = this.latency.minMs + this.rng.exponential(this.latency.meanJitterMs) + extraMs;
    return Math.max(1, Math.round(ms));
  }
}

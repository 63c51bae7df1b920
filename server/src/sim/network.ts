import { NODE_ID_PATTERN, type Fault } from '@clusterlab/shared';
import type { Rng } from '@clusterlab/shared';

/**
 * The in-memory network: how long each message takes, whether it arrives at all, whether it
 * arrives twice, and who can reach whom.
 *
 * - Latency: every message is delayed independently (a floor plus exponential jitter, plus
 *   whatever a `delay` fault adds), so there is no FIFO per link: messages overtake each
 *   other, as they can over several kept-alive HTTP connections. That is the reordering.
 * - Drops and duplicates apply to peer messages (node ↔ node). Client and registry calls are
 *   request/response over TCP: they are delayed and cut by partitions, never silently lost
 *   or doubled.
 * - A partition splits parties into groups (see the `partition` fault in shared/src/faults.ts):
 *   unnamed nodes form one more group, unnamed clients and the registry reach everyone.
 */
export type Latency = {
  /** The least a message takes, in ms. */
  minMs: number;
  /** Mean of the exponential jitter on top, in ms. */
  meanJitterMs: number;
};

export const DEFAULT_LATENCY: Latency = { minMs: 1, meanJitterMs: 2 };

export type LinkKind = 'peer' | 'client' | 'registry';

export type Fate = { lost: string } | { delaysMs: number[] };

/** Group number of everyone a partition does not name: unnamed nodes, together. */
const REST = -1;

export class Network {
  dropRate = 0;
  duplicateRate = 0;
  extraMs = 0;
  extraJitterMs = 0;
  /** Party → group while a partition holds; null when every link works. */
  private groups: Map<string, number> | null = null;

  constructor(
    private readonly rng: Rng,
    readonly latency: Latency = DEFAULT_LATENCY,
  ) {}

  get partitioned(): boolean {
    return this.groups !== null;
  }

  /** Carries out a network fault; node faults are not the network's business. */
  apply(fault: Fault): void {
    switch (fault.kind) {
      case 'partition':
        this.groups = new Map(fault.groups.flatMap((group, i) => group.map((party) => [party, i] as const)));
        break;
      case 'heal':
        this.groups = null;
        break;
      case 'drop':
        this.dropRate = fault.rate;
        break;
      case 'duplicate':
        this.duplicateRate = fault.rate;
        break;
      case 'delay':
        this.extraMs = fault.extraMs;
        this.extraJitterMs = fault.jitterMs;
        break;
      default:
        throw new Error(`${fault.kind} is not a network fault`);
    }
  }

  /** Mends everything at once: the start of the quiet period at the end of a run. */
  healAll(): void {
    this.groups = null;
    this.dropRate = 0;
    this.duplicateRate = 0;
    this.extraMs = 0;
    this.extraJitterMs = 0;
  }

  /** Can `a` reach `b` right now? Links are symmetric. */
  connected(a: string, b: string): boolean {
    if (!this.groups) return true;
    const ga = this.groupOf(a);
    const gb = this.groupOf(b);
    return ga === null || gb === null || ga === gb;
  }

  /** What happens to a message sent now from `from` to `to`. */
  fate(from: string, to: string, kind: LinkKind): Fate {
    if (!this.connected(from, to)) return { lost: 'partitioned' };
    if (kind !== 'peer') return { delaysMs: [this.delayMs()] };
    if (this.rng.chance(this.dropRate)) return { lost: `lost (drop rate ${this.dropRate})` };
    const delaysMs = [this.delayMs()];
    if (this.rng.chance(this.duplicateRate)) delaysMs.push(this.delayMs());
    return { delaysMs };
  }

  /** One message's travel time, a whole number of ms, at least 1. */
  delayMs(): number {
    let ms = this.latency.minMs + this.rng.exponential(this.latency.meanJitterMs);
    if (this.extraMs > 0 || this.extraJitterMs > 0) ms += this.extraMs + this.rng.next() * this.extraJitterMs;
    return Math.max(1, Math.round(ms));
  }

  /** A party's group; null for a client or the registry that the partition does not name (it reaches everyone). */
  private groupOf(party: string): number | null {
    const g = this.groups?.get(party);
    if (g !== undefined) return g;
    return NODE_ID_PATTERN.test(party) ? REST : null;
  }
}

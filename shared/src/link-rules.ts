import type { ActiveFault, FaultId, LastingFault } from './faults';
import { CLIENT_PARTY, isClientParty, partyCovers, REGISTRY_PARTY, type Party } from './parties';

/**
 * The rules of a link: which of the faults in force apply to what `from` sends to `to`, and
 * the fate of one message on it. The one definition, used by the simulator's network and (on
 * send and on receive) by each node's real transport, so a fault means the same thing in both.
 * Pure: no clock, no I/O; randomness comes in as draws. Zod-free (its imports of the schemas
 * are types only), so the dashboard draws the ring from this same rule.
 *
 * Links are directed: `from → to` and `to → from` are two links, which is what lets a cut be
 * one-way. How faults compose on one link:
 * - a partition cuts it when `from` and `to` are in different groups (a party in no group
 *   keeps all its links; a client in no group by its id is where `client` is, if anywhere);
 *   a cut cuts it when its `from` and `to` cover the link's; either is enough;
 * - delays add: their `ms` add and their jitters add;
 * - losses combine as 1 − Π(1 − rate) — each loss in force gets its own draw, so the one that
 *   took a message can be named; duplicates the same way, and a message is copied at most once;
 * - duplicates apply between nodes only (a request to or from a client or the registry rides
 *   on TCP, which never hands it over twice), whatever a fault leaves unnamed.
 */
export type LinkKind = 'peer' | 'client' | 'registry';

export type LinkRules = {
  kind: LinkKind;
  /** The partitions and cuts that cut this link, in the order applied; empty when it works. */
  cutBy: readonly FaultId[];
  /** Each message takes delayMs more, give or take jitterMs (uniformly, never less than 0). */
  delayMs: number;
  jitterMs: number;
  /** The chance a message is lost, and the losses that make it up, in the order applied. */
  lossRate: number;
  losses: readonly Share[];
  /** The chance a message arrives twice, and the duplicates that make it up. */
  duplicateRate: number;
  duplicates: readonly Share[];
};
type Share = { id: FaultId; rate: number };

/** What happens to one message: lost, and to which fault; or the extra time each copy that arrives takes. */
export type MessageFate = { lost: true; by: FaultId; reason: string } | { lost: false; extraMs: number[] };

/** Between nodes, a client's request or answer, or the registry's. */
export function linkKind(from: Party, to: Party): LinkKind {
  if (from === REGISTRY_PARTY || to === REGISTRY_PARTY) return 'registry';
  if (isClientParty(from) || isClientParty(to)) return 'client';
  return 'peer';
}

const OPEN: Omit<LinkRules, 'kind'> = { cutBy: [], delayMs: 0, jitterMs: 0, lossRate: 0, losses: [], duplicateRate: 0, duplicates: [] };

export function linkRules(active: readonly ActiveFault[], from: Party, to: Party): LinkRules {
  const kind = linkKind(from, to);
  if (active.length === 0) return { kind, ...OPEN };
  const cutBy: FaultId[] = [];
  const losses: Share[] = [];
  const duplicates: Share[] = [];
  let delayMs = 0;
  let jitterMs = 0;
  for (const { id, fault } of active) {
    switch (fault.kind) {
      case 'partition':
        if (separates(fault.groups, from, to)) cutBy.push(id);
        break;
      case 'cut':
        if (partyCovers(fault.from, from) && partyCovers(fault.to, to)) cutBy.push(id);
        break;
      case 'delay':
        if (matches(fault, from, to)) {
          delayMs += fault.ms;
          jitterMs += fault.jitterMs;
        }
        break;
      case 'loss':
        if (matches(fault, from, to)) losses.push({ id, rate: fault.rate });
        break;
      case 'duplicate':
        if (kind === 'peer' && matches(fault, from, to)) duplicates.push({ id, rate: fault.rate });
        break;
      case 'clock':
        break;
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
  }
  return { kind, cutBy, delayMs, jitterMs, lossRate: combined(losses), losses, duplicateRate: combined(duplicates), duplicates };
}

/**
 * One message's fate under these rules. `draw` gives uniform numbers in [0, 1): the
 * simulator's seeded stream, or a real transport's unseeded one. Nothing is drawn for what
 * no fault asks for, so a link without faults leaves the stream untouched.
 */
export function messageFate(rules: LinkRules, draw: () => number): MessageFate {
  const cutter = rules.cutBy[0];
  if (cutter !== undefined) return { lost: true, by: cutter, reason: `cut by ${cutter}` };
  for (const { id, rate } of rules.losses) {
    if (draw() < rate) return { lost: true, by: id, reason: `lost to ${id} (${percent(rate)} of messages)` };
  }
  let copies = 1;
  for (const { rate } of rules.duplicates) {
    if (draw() < rate) {
      copies = 2;
      break;
    }
  }
  const extraMs: number[] = [];
  for (let i = 0; i < copies; i++) extraMs.push(extraDelayMs(rules, draw));
  return { lost: false, extraMs };
}

export function isCut(rules: LinkRules): boolean {
  return rules.cutBy.length > 0;
}

function extraDelayMs(rules: LinkRules, draw: () => number): number {
  if (rules.jitterMs === 0) return rules.delayMs;
  return Math.max(0, rules.delayMs + (2 * draw() - 1) * rules.jitterMs);
}

type LinkFault = Extract<LastingFault, { kind: 'delay' | 'loss' | 'duplicate' }>;

/** A side the fault leaves out matches everyone. */
function matches(fault: LinkFault, from: Party, to: Party): boolean {
  return (fault.from === undefined || partyCovers(fault.from, from)) && (fault.to === undefined || partyCovers(fault.to, to));
}

function separates(groups: readonly (readonly Party[])[], a: Party, b: Party): boolean {
  const ga = groupOf(groups, a);
  const gb = groupOf(groups, b);
  return ga !== -1 && gb !== -1 && ga !== gb;
}

/** The group that names the party; for a client not named by its id, the group that names `client`; -1 for none. */
function groupOf(groups: readonly (readonly Party[])[], party: Party): number {
  const own = groups.findIndex((g) => g.includes(party));
  if (own !== -1 || party === CLIENT_PARTY || !isClientParty(party)) return own;
  return groups.findIndex((g) => g.includes(CLIENT_PARTY));
}

/** 1 − Π(1 − rate); one share is its own rate exactly, as the fault said it. */
function combined(shares: readonly Share[]): number {
  if (shares.length === 1) return shares[0]!.rate;
  return 1 - shares.reduce((kept, s) => kept * (1 - s.rate), 1);
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

import { NODE_ID_PATTERN } from './ids';

/**
 * Who a link joins: the parties a fault can name. Zod-free, so the dashboard can use it.
 *
 * - a node: `n1` … `n99`;
 * - `registry`;
 * - clients: `client` stands for every client — the supervisor's own requests and workload
 *   clients — and `c1`, `c2`, … for one of them (the simulator's clients have these ids).
 *
 * Links exist between a node and anyone: clients and the registry never talk to each other.
 */
export const REGISTRY_PARTY = 'registry';
export const CLIENT_PARTY = 'client';
export const CLIENT_ID_PATTERN = /^c[1-9][0-9]*$/;

export type Party = string;

export function isClientParty(party: string): boolean {
  return party === CLIENT_PARTY || CLIENT_ID_PATTERN.test(party);
}

export function isParty(party: string): boolean {
  return NODE_ID_PATTERN.test(party) || party === REGISTRY_PARTY || isClientParty(party);
}

/**
 * Does a fault's party stand for this end of a link? `client` stands for every client, so a
 * fault that names it reaches `c1` too; every other name stands for itself alone.
 */
export function partyCovers(named: Party, end: Party): boolean {
  return named === end || (named === CLIENT_PARTY && isClientParty(end));
}

/** Is there a link between these two at all? One end must be a node. */
export function linkExists(a: Party, b: Party): boolean {
  return a !== b && (NODE_ID_PATTERN.test(a) || NODE_ID_PATTERN.test(b));
}

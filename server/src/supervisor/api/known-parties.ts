import { CLIENT_ID_PATTERN, CLIENT_PARTY, REGISTRY_PARTY } from '@clusterlab/shared';

/**
 * Whether a fault may name this party here: a node the cluster has, the registry, every
 * client, or one of `clients` workload clients (`c1`…`cN`). One rule for the fault API (the
 * running workload's clients) and a workload's own schedule (the clients it will have).
 */
export function isKnownParty(party: string, nodes: readonly string[], clients: number): boolean {
  if (party === REGISTRY_PARTY || party === CLIENT_PARTY || nodes.includes(party)) return true;
  return CLIENT_ID_PATTERN.test(party) && Number(party.slice(1)) <= clients;
}

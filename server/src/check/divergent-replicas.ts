import { joinWords, showKey, showValue } from './describe';
import { valuesByNode as valuesOf, type FinalStates } from './final-states';

export type { FinalStates } from './final-states';

/**
 * Divergent replicas: a key whose final value is not the same on every node. Once a cluster
 * has quiesced, replicas that still disagree will serve different answers forever.
 * A key missing from a node's state counts as absent there.
 */
export interface DivergentReplicas {
  readonly kind: 'divergent-replicas';
  readonly key: string;
  /** Every node's value for the key (null: absent). */
  readonly valuesByNode: Record<string, string | null>;
  readonly sentence: string;
}

export function findDivergentReplicas(finalStates: FinalStates): DivergentReplicas[] {
  const nodes = Object.keys(finalStates).sort();
  const keys = new Set<string>();
  for (const node of nodes) for (const key of Object.keys(finalStates[node] ?? {})) keys.add(key);

  const found: DivergentReplicas[] = [];
  for (const key of [...keys].sort()) {
    const valuesByNode = valuesOf(finalStates, key);
    const nodesByValue = new Map<string | null, string[]>();
    for (const node of nodes) {
      const value = valuesByNode[node]!;
      nodesByValue.set(value, [...(nodesByValue.get(value) ?? []), node]);
    }
    if (nodesByValue.size < 2) continue;
    const groups = [...nodesByValue].map(([value, holders]) => {
      const has = holders.length === 1 ? 'has' : 'have';
      return value === null ? `${joinWords(holders)} ${has} it absent` : `${joinWords(holders)} ${has} ${showValue(value)}`;
    });
    found.push({
      kind: 'divergent-replicas',
      key,
      valuesByNode,
      sentence: `Divergent replicas: nodes disagree on ${showKey(key)}: ${groups.join('; ')}.`,
    });
  }
  return found;
}

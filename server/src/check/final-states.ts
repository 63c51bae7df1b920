/** What each node holds at the end: node id → key → value (null or missing: absent). */
export type FinalStates = Record<string, Record<string, string | null>>;

/** True when there is at least one node to read a final state from. */
export function hasFinalStates(finalStates: FinalStates | undefined): finalStates is FinalStates {
  return finalStates !== undefined && Object.keys(finalStates).length > 0;
}

/** Every node's value for the key, nodes in name order; a key a node lacks is absent there. */
export function valuesByNode(finalStates: FinalStates, key: string): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  for (const node of Object.keys(finalStates).sort()) values[node] = finalStates[node]?.[key] ?? null;
  return values;
}

/**
 * The value every node ended with for the key (null: absent everywhere), or `divergent` when
 * the nodes disagree — then there is no one final value to reason from.
 */
export function agreedFinalValue(finalStates: FinalStates, key: string): { value: string | null } | 'divergent' {
  const values = new Set(Object.values(valuesByNode(finalStates, key)));
  if (values.size !== 1) return 'divergent';
  return { value: [...values][0]! };
}

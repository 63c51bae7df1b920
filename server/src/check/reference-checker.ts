import type { History, HistoryOp } from '@clusterlab/shared';

/**
 * A second, deliberately naive linearizability checker, written from the definition and
 * sharing no code with the real one (not its op model, not its search), so that tests can
 * hold the two against each other. Exponential: for histories of a few ops per key only.
 *
 * The definition it executes: per key, some sequence of the ops that took effect, starting
 * from an absent key, in which every read returns the value of the last write or delete before
 * it (absent if none), every cas finds the value it expected there (and then writes its own),
 * and no op comes after one that started after it finished. Acknowledged ops all took effect;
 * failed ones did not; writes, deletes and cas of unknown outcome may or may not have; reads
 * of unknown outcome are ignored, having returned nothing.
 */
export function referenceLinearizable(history: History): boolean {
  const keys = new Set(history.map((op) => op.key));
  return [...keys].every((key) => keyLinearizable(history.filter((op) => op.key === key)));
}

export const REFERENCE_MAX_OPS_PER_KEY = 22;

function keyLinearizable(all: readonly HistoryOp[]): boolean {
  const ops = all.filter((op) => op.outcome !== 'fail' && !(op.kind === 'read' && op.outcome === 'unknown'));
  if (ops.length > REFERENCE_MAX_OPS_PER_KEY) throw new Error(`the reference checker takes at most ${REFERENCE_MAX_OPS_PER_KEY} ops per key`);
  const required = ops.map((op) => op.outcome === 'ok');
  // before[i][j]: op i finished before op j started, so i must come first if both happen.
  const before = ops.map((a) => ops.map((b) => a.completeMs !== null && a.outcome === 'ok' && a.completeMs < b.invokeMs));
  const failed = new Set<string>();

  const extend = (placed: boolean[], value: string | null): boolean => {
    if (ops.every((_, i) => placed[i] || !required[i])) return true;
    const memo = `${placed.map((p) => (p ? 1 : 0)).join('')}:${value === null ? '' : `=${value}`}`;
    if (failed.has(memo)) return false;
    for (let j = 0; j < ops.length; j++) {
      if (placed[j]) continue;
      // Everything that must precede j and has to happen is already in the sequence.
      if (ops.some((_, i) => i !== j && !placed[i] && required[i] && before[i]![j])) continue;
      const op = ops[j]!;
      if (op.kind === 'read' && op.value !== value) continue;
      if (op.kind === 'cas' && op.expected !== value) continue;
      const next = op.kind === 'read' ? value : op.kind === 'delete' ? null : op.value;
      placed[j] = true;
      const ok = extend(placed, next);
      placed[j] = false;
      if (ok) return true;
    }
    failed.add(memo);
    return false;
  };
  return extend(ops.map(() => false), null);
}

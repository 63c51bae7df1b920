import { INITIAL, type ReadMapping } from './read-mapping';
import type { RegisterOp } from './register-ops';

/**
 * A guess of a source for each absent read that has several live ones (read-mapping.ts): reads
 * in order of invocation, each where it widens its cluster's span least (a cluster's ops span
 * at least [earliest acknowledgement, latest invocation] when that is not empty, and two such
 * spans must not overlap), the latest source on ties. A guess can only prove a history
 * linearizable, by the order it yields (which is checked); one that yields none proves nothing.
 */
export function tightestSources(mapping: ReadMapping, ops: readonly RegisterOp[]): Map<number, number> {
  const sources = new Map(mapping.sources);
  const bounds = new Map<number, { lo: number; hi: number }>();
  const boundsOf = (writer: number) => {
    let b = bounds.get(writer);
    if (!b) {
      b = writer === INITIAL ? { lo: -Infinity, hi: -Infinity } : { lo: ops[writer]!.returnMs, hi: ops[writer]!.invokeMs };
      bounds.set(writer, b);
    }
    return b;
  };
  const widen = (writer: number, read: RegisterOp) => {
    const b = boundsOf(writer);
    b.lo = Math.min(b.lo, read.returnMs);
    b.hi = Math.max(b.hi, read.invokeMs);
  };
  for (const [r, writer] of sources) widen(writer, ops[r]!);
  const span = (lo: number, hi: number) => Math.max(0, hi - lo);
  const byInvoke = [...mapping.ambiguous].sort((a, b) => ops[a.read]!.invokeMs - ops[b.read]!.invokeMs);
  for (const { read, live } of byInvoke) {
    const op = ops[read]!;
    let best = live[live.length - 1]!;
    let bestCost = Infinity;
    for (let i = live.length - 1; i >= 0; i--) {
      const b = boundsOf(live[i]!);
      const lo = Math.min(b.lo, op.returnMs);
      const hi = Math.max(b.hi, op.invokeMs);
      // The initial state's span starts at the beginning of time: what grows is how far it reaches.
      const cost = lo === -Infinity ? (b.hi === -Infinity ? Number.MAX_VALUE : hi - b.hi) : span(lo, hi) - span(b.lo, b.hi);
      if (cost < bestCost) {
        bestCost = cost;
        best = live[i]!;
      }
    }
    widen(best, op);
    sources.set(read, best);
  }
  return sources;
}

import type { RegisterOp } from './register-ops';
import { countWhile } from './binary-search';

/** The initial state as a source: the "write" that made every key absent before time began. */
export const INITIAL = -1;

/**
 * Which writer each read can have read from. With every value written once, a read names its
 * write. The absent value is the exception: the initial state and every delete produce it.
 *
 * A source S is dead for a read R when some op X started after S was acknowledged and was
 * acknowledged before R started, X being a write (of any value) or a read of a value: every
 * valid order puts X between S and R, so the key was written again in between, and R reads
 * what the last write before it left. Every valid order uses a live source. So an absent read
 * with exactly one live source has a forced one, and checking under it is exact. One with none
 * is mapped to its newest candidate: that source is dead, so the cluster check finds the X
 * that must sit between them, as it should (no order exists). One with several is ambiguous.
 *
 * Keys with a cas that may have taken effect never get here (unique-writes.ts sends them to
 * the search), so every op is a plain read or write.
 */
export interface ReadMapping {
  /** Read index → writer index (or INITIAL), for every read with a forced source. */
  readonly sources: Map<number, number>;
  /** Reads whose value nobody wrote. */
  readonly sourceless: number[];
  /** Absent reads with several live sources, each with them in order of invocation (INITIAL first). */
  readonly ambiguous: { read: number; live: number[] }[];
}

/** The mapping, or undefined when some value is written twice (then nothing is forced). */
export function mapReadsToWrites(ops: readonly RegisterOp[], included: readonly boolean[]): ReadMapping | undefined {
  const writerOf = new Map<string, number>();
  const ackedDeletes: number[] = [];
  const unknownDeletes: number[] = [];
  /** Ops that prove the key was written by their acknowledgement: acknowledged writes, reads of a value. */
  const witnesses: number[] = [];
  let longestDelete = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (!included[i]) continue;
    if (op.returnMs !== Infinity && (op.kind === 'write' || op.value !== null)) witnesses.push(i);
    if (op.kind !== 'write') continue;
    if (op.value !== null) {
      if (writerOf.has(op.value)) return undefined;
      writerOf.set(op.value, i);
    } else if (op.returnMs === Infinity) {
      unknownDeletes.push(i);
    } else {
      ackedDeletes.push(i);
      longestDelete = Math.max(longestDelete, op.returnMs - op.invokeMs);
    }
  }
  const byInvoke = (a: number, b: number) => ops[a]!.invokeMs - ops[b]!.invokeMs;
  ackedDeletes.sort(byInvoke);
  unknownDeletes.sort(byInvoke);
  // Witnesses by acknowledgement, with the latest start among those acknowledged so far.
  witnesses.sort((a, b) => ops[a]!.returnMs - ops[b]!.returnMs);
  const latestStart: number[] = [];
  let latest = -Infinity;
  for (const i of witnesses) latestStart.push((latest = Math.max(latest, ops[i]!.invokeMs)));

  const sources = new Map<number, number>();
  const sourceless: number[] = [];
  const ambiguous: { read: number; live: number[] }[] = [];
  for (let r = 0; r < ops.length; r++) {
    const read = ops[r]!;
    if (!included[r] || read.kind !== 'read') continue;
    if (read.value !== null) {
      const w = writerOf.get(read.value);
      if (w === undefined) sourceless.push(r);
      else sources.set(r, w);
      continue;
    }
    // Sources acknowledged before the latest start of a witness acknowledged before the read started are dead.
    const done = countWhile(witnesses.length, (k) => ops[witnesses[k]!]!.returnMs < read.invokeMs);
    const deadBefore = done === 0 ? -Infinity : latestStart[done - 1]!;
    const live: number[] = done === 0 ? [INITIAL] : [];
    // Acknowledged deletes begun before the read ended and acknowledged no earlier than deadBefore:
    // none begun before deadBefore - longestDelete qualifies.
    const lastBegun = countWhile(ackedDeletes.length, (k) => ops[ackedDeletes[k]!]!.invokeMs <= read.returnMs);
    const window: number[] = [];
    for (let k = lastBegun - 1; k >= 0; k--) {
      const d = ops[ackedDeletes[k]!]!;
      if (d.invokeMs < deadBefore - longestDelete) break;
      if (d.returnMs >= deadBefore) window.push(ackedDeletes[k]!);
    }
    // Unknown deletes are never acknowledged, so never dead.
    for (const u of unknownDeletes) {
      if (ops[u]!.invokeMs > read.returnMs) break;
      live.push(u);
    }
    live.push(...window.reverse());
    if (live.length === 1) sources.set(r, live[0]!);
    else if (live.length > 1) ambiguous.push({ read: r, live: live.sort((a, b) => (a === INITIAL ? -1 : b === INITIAL ? 1 : byInvoke(a, b))) });
    // No live source (so no unknown delete begun in time): the newest candidate, dead as all are.
    else sources.set(r, lastBegun > 0 ? ackedDeletes[lastBegun - 1]! : INITIAL);
  }
  return { sources, sourceless, ambiguous };
}

import type { RegisterOp, RegisterValue } from './register-ops';

/**
 * Where a read's value could have come from, and what that proves about order. Used both to
 * explain a violation and to name the simpler anomalies, so the two always agree on what
 * "older" and "overwritten" mean.
 */
export interface ReadSources {
  /**
   * Writes (deletes, for an absent result) of exactly the value read, that started no later
   * than the read ended (ops that merely touch count as concurrent, as in the search).
   */
  readonly writes: RegisterOp[];
  /** True when the read found the key absent, which the initial state also explains. */
  readonly initial: boolean;
}

export function readSources(read: RegisterOp, ops: readonly RegisterOp[]): ReadSources {
  const writes = ops.filter((w) => w.kind === 'write' && w.value === read.value && w.invokeMs <= read.returnMs);
  return { writes, initial: read.value === null };
}

/** readSources for every read, grouping writes by value first so long histories stay cheap. */
export function sourcesOfReads(ops: readonly RegisterOp[]): Map<RegisterOp, ReadSources> {
  const writesByValue = new Map<RegisterValue, RegisterOp[]>();
  for (const op of ops) {
    if (op.kind !== 'write') continue;
    const list = writesByValue.get(op.value);
    if (list) list.push(op);
    else writesByValue.set(op.value, [op]);
  }
  const sourcesOf = new Map<RegisterOp, ReadSources>();
  for (const read of ops) {
    if (read.kind === 'read') sourcesOf.set(read, readSources(read, writesByValue.get(read.value) ?? []));
  }
  return sourcesOf;
}

/**
 * The sources a witness must keep for each read: the live ones. A source S is dead when an
 * acknowledged write of another value started after S was acknowledged and was acknowledged
 * before the read started — every valid order puts that write between S and the read. In
 * any valid order a read's value comes from a live source, so keeping those is enough for a
 * witness to be exact, and it spares a read that found the key absent from dragging along
 * every delete since the beginning. A read with no live source has no valid place at all;
 * it keeps its newest source, so the explanation can name the write it read and what
 * overwrote it (the same overwrite also buried every older source).
 */
export function sourcesToKeep(ops: readonly RegisterOp[], all: ReadonlyMap<RegisterOp, ReadSources>): Map<RegisterOp, RegisterOp[]> {
  // Sweep reads by start time over writes by acknowledgement, tracking the latest-started
  // acknowledged write and the latest-started one of a different value: together they give,
  // for any read value, the latest start of an acknowledged overwrite with another value.
  const acked = ops.filter((op) => op.kind === 'write' && op.returnMs !== Infinity).sort((a, b) => a.returnMs - b.returnMs);
  const reads = [...all.keys()].sort((a, b) => a.invokeMs - b.invokeMs);
  let best: RegisterOp | undefined;
  let runnerUp: RegisterOp | undefined; // latest start among writes whose value differs from best's
  let next = 0;
  const keep = new Map<RegisterOp, RegisterOp[]>();
  for (const read of reads) {
    for (; next < acked.length && acked[next]!.returnMs < read.invokeMs; next++) {
      const w = acked[next]!;
      if (!best || w.value === best.value) {
        if (!best || w.invokeMs > best.invokeMs) best = w;
      } else if (w.invokeMs > best.invokeMs) {
        runnerUp = best;
        best = w;
      } else if (!runnerUp || w.invokeMs > runnerUp.invokeMs) {
        runnerUp = w;
      }
    }
    const overwrite = best && best.value !== read.value ? best : runnerUp;
    const sources = all.get(read)?.writes ?? [];
    const live = overwrite ? sources.filter((s) => !(s.returnMs < overwrite.invokeMs)) : sources;
    const newest = sources.reduce<RegisterOp | undefined>((n, s) => (!n || s.returnMs > n.returnMs ? s : n), undefined);
    keep.set(read, live.length > 0 || !newest ? live : [newest]);
  }
  return keep;
}

/** True when the read's value cannot have come from anywhere: nothing wrote it in time. */
export function hasNoSource(sources: ReadSources): boolean {
  return !sources.initial && sources.writes.length === 0;
}

/**
 * By when a write certainly took effect. Its acknowledgement always proves it; inside a
 * witness, a read that returned the write's value proves it earlier, if no other write could
 * have produced that value.
 */
export interface EffectEvidence {
  effectMs(write: RegisterOp): number;
  /** The read that proves the write took effect before its acknowledgement, if any. */
  seenBy(write: RegisterOp): RegisterOp | undefined;
}

/** Only acknowledgements count: the plain rule the named anomalies use. */
export const acknowledgedOnly: EffectEvidence = {
  effectMs: (write) => write.returnMs,
  seenBy: () => undefined,
};

/**
 * Acknowledgements, plus reads of a value that only one write among `ops` wrote. Sound only
 * when `ops` holds every possible source of each of its reads (the witness does).
 */
export function effectEvidence(ops: readonly RegisterOp[]): EffectEvidence {
  const seenBy = new Map<RegisterOp, RegisterOp>();
  for (const write of ops) {
    if (write.kind !== 'write' || write.value === null) continue;
    if (ops.some((other) => other !== write && other.kind === 'write' && other.value === write.value)) continue;
    for (const read of ops) {
      if (read.kind !== 'read' || read.value !== write.value || !(read.returnMs < write.returnMs)) continue;
      const best = seenBy.get(write);
      if (!best || read.returnMs < best.returnMs) seenBy.set(write, read);
    }
  }
  return {
    effectMs: (write) => seenBy.get(write)?.returnMs ?? write.returnMs,
    seenBy: (write) => seenBy.get(write),
  };
}

/**
 * True when every possible source of a read's value took effect before `write` started, so
 * that once `write` took effect the value read was gone (until written again, which would be
 * another source). The initial state counts as taking effect at the beginning of time. An
 * unknown-outcome source is never acknowledged, so on acknowledgements alone it is never
 * "before" anything.
 */
export function allSourcesPrecede(sources: ReadSources, write: RegisterOp, evidence = acknowledgedOnly): boolean {
  return sources.writes.every((s) => evidence.effectMs(s) < write.invokeMs);
}

/**
 * An acknowledged write (of a different value) that replaced every possible source of what
 * `read` returned, and was itself acknowledged before the read started: proof that the read
 * returned an overwritten value. Among several, the last acknowledged is the most telling.
 * Returns undefined when there is none, or when the value has no source at all (that is a
 * different problem: a value nobody wrote).
 */
export function overwriterBefore(read: RegisterOp, ops: readonly RegisterOp[], evidence = acknowledgedOnly): RegisterOp | undefined {
  const sources = readSources(read, ops);
  if (hasNoSource(sources)) return undefined;
  let best: RegisterOp | undefined;
  for (const w of ops) {
    if (w.kind !== 'write' || w.value === read.value) continue;
    if (!(w.returnMs < read.invokeMs)) continue;
    if (!allSourcesPrecede(sources, w, evidence)) continue;
    if (!best || w.returnMs > best.returnMs) best = w;
  }
  return best;
}

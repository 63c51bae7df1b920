import { observedValue, setsValue, type RegisterOp, type RegisterValue } from './register-ops';

/**
 * Where a read's value could have come from, and what that proves about order. Used both to
 * explain a violation and to name the simpler anomalies, so the two always agree on what
 * "older" and "overwritten" mean. A cas counts as a read of the value it expected (a cas that
 * took effect found it there) and as a write of its own value.
 */
export interface ReadSources {
  /**
   * Writes, deletes and cas that set exactly the value read (for a cas: the value it
   * expected), that started no later than the read ended (ops that merely touch count as
   * concurrent, as in the search).
   */
  readonly writes: RegisterOp[];
  /** True when the read found the key absent, which the initial state also explains. */
  readonly initial: boolean;
}

export function readSources(read: RegisterOp, ops: readonly RegisterOp[]): ReadSources {
  const seen = foundValue(read);
  const writes = ops.filter((w) => w !== read && setsValue(w) && w.value === seen && w.invokeMs <= read.returnMs);
  return { writes, initial: seen === null };
}

/** What a read or cas found in the register; a plain write looks at nothing, so asking is a bug. */
export function foundValue(op: RegisterOp): RegisterValue {
  const seen = observedValue(op);
  if (seen === undefined) throw new Error(`invariant: op ${op.source.id} is a ${op.kind}, which reads nothing`);
  return seen;
}

/**
 * True for the ops that prove what the register held: reads, and cas that took effect. A cas
 * of unknown outcome may never have happened, so what it expected proves nothing.
 */
export function observed(op: RegisterOp): boolean {
  return op.kind === 'read' || (op.kind === 'cas' && op.returnMs !== Infinity);
}

/**
 * readSources for every read and every cas (of unknown outcome too: when one took effect, it
 * found one of these), grouping writes by value first so long histories stay cheap.
 */
export function sourcesOfReads(ops: readonly RegisterOp[]): Map<RegisterOp, ReadSources> {
  const writesByValue = new Map<RegisterValue, RegisterOp[]>();
  for (const op of ops) {
    if (!setsValue(op)) continue;
    const list = writesByValue.get(op.value);
    if (list) list.push(op);
    else writesByValue.set(op.value, [op]);
  }
  const sourcesOf = new Map<RegisterOp, ReadSources>();
  for (const read of ops) {
    const seen = observedValue(read);
    if (seen !== undefined) sourcesOf.set(read, readSources(read, writesByValue.get(seen) ?? []));
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
  const acked = ops.filter((op) => setsValue(op) && op.returnMs !== Infinity).sort((a, b) => a.returnMs - b.returnMs);
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
    const overwrite = best && best.value !== foundValue(read) ? best : runnerUp;
    const sources = all.get(read)?.writes ?? [];
    const live = overwrite ? sources.filter((s) => !(s.returnMs < overwrite.invokeMs)) : sources;
    const newest = sources.reduce<RegisterOp | undefined>((n, s) => (!n || s.returnMs > n.returnMs ? s : n), undefined);
    keep.set(read, live.length > 0 || !newest ? live : [newest]);
  }
  return keep;
}

/**
 * True when the read's value cannot have come from anywhere: nothing wrote it in time. For a
 * cas of unknown outcome that only means it never took effect (see `observed`).
 */
export function hasNoSource(sources: ReadSources): boolean {
  return !sources.initial && sources.writes.length === 0;
}

/**
 * By when a write certainly took effect. Its acknowledgement always proves it; inside a
 * witness, a read that returned the write's value proves it earlier, if no other write could
 * have produced that value. (A cas that expected the value would prove it too; only reads are
 * used, so that "seen by a read" is what the sentences can say.)
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
    if (!setsValue(write) || write.value === null) continue;
    if (ops.some((other) => other !== write && setsValue(other) && other.value === write.value)) continue;
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
 * `read` returned (or a cas expected), and was itself acknowledged before the read started:
 * proof that the read returned an overwritten value, or the cas found one — if it took effect. Among several, the last acknowledged is the most telling.
 * Returns undefined when there is none, or when the value has no source at all (that is a
 * different problem: a value nobody wrote).
 */
export function overwriterBefore(read: RegisterOp, ops: readonly RegisterOp[], evidence = acknowledgedOnly): RegisterOp | undefined {
  const sources = readSources(read, ops);
  if (hasNoSource(sources)) return undefined;
  const seen = foundValue(read);
  let best: RegisterOp | undefined;
  for (const w of ops) {
    if (!setsValue(w) || w.value === seen) continue;
    if (!(w.returnMs < read.invokeMs)) continue;
    if (!allSourcesPrecede(sources, w, evidence)) continue;
    if (!best || w.returnMs > best.returnMs) best = w;
  }
  return best;
}

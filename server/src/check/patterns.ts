import type { HistoryOp } from '@clusterlab/shared';
import { aReader, Describer, joinWords, saw, showKey, showValue } from './describe';
import { cannotHaveApplied, casCycle, overwrittenUnderCas, valueTakenByCas } from './cas-patterns';
import { olderSources, overwrittenSentence, tookEffect, writeOf } from './overwrite-phrases';
import type { RegisterOp } from './register-ops';
import { allSourcesPrecede, effectEvidence, foundValue, hasNoSource, observed, overwriterBefore, readSources, type EffectEvidence } from './sources';

/** A read that cannot be placed, and why, in one sentence. */
export interface NamedPattern {
  readonly culprit: RegisterOp;
  readonly reason: string;
}

export interface Context {
  /** The witness. */
  readonly ops: readonly RegisterOp[];
  /**
   * The key's whole register history, for claims the witness cannot back: it keeps every
   * write a read can have found, but of a read that can have found none, the newest anyway.
   */
  readonly all: readonly RegisterOp[];
  readonly describe: Describer;
  readonly evidence: EffectEvidence;
  /** Every op on the key as recorded, failed ones included. */
  readonly recorded: readonly HistoryOp[];
}

/** A reason why `read` (a read, or a cas that took effect: it read what it expected) has no place. */
export type Pattern = (read: RegisterOp, context: Context) => string | undefined;

/**
 * Names the mistake a witness shows, trying the patterns from plainest to subtlest and, within
 * each, the latest read first. `witness` must hold every possible source of each of its reads,
 * so that what is true of the witness is true of the whole history. Undefined when no pattern fits.
 */
export function namePattern(
  witness: readonly RegisterOp[],
  describe: Describer,
  recorded: readonly HistoryOp[],
  all: readonly RegisterOp[] = witness,
): NamedPattern | undefined {
  const context: Context = { ops: witness, all, describe, evidence: effectEvidence(witness), recorded };
  const reads = witness.filter(observed).sort((a, b) => b.invokeMs - a.invokeMs);
  const patterns = [valueNobodyWrote, valueTakenByCas, cannotHaveApplied, casCycle, overwrittenValue, overwrittenUnderCas, readWentBackInTime, readsDisagreeOnceSettled];
  for (const pattern of patterns) {
    for (const read of reads) {
      const reason = pattern(read, context);
      if (reason) return { culprit: read, reason };
    }
  }
  return undefined;
}

/**
 * "a read at t=2.05 s returned 5, but no write of k=5 had started by the time that read finished (t=2.10 s)";
 * "a cas at t=2.05 s found 5 and replaced it with 6, but no write of k=5 had started by the time that cas finished (t=2.10 s)"
 */
const valueNobodyWrote: Pattern = (read, { ops, describe, recorded }) => {
  if (!hasNoSource(readSources(read, ops))) return undefined;
  const value = foundValue(read);
  let reason =
    `${aReader(read.source)} at ${describe.at(read.invokeMs)} ${saw(read.source)}, but no write of ` +
    `${showKey(read.source.key)}=${showValue(value)} had started by the time that ${read.kind} finished (${describe.at(read.returnMs)})`;
  const attempts = recorded.filter((op) => (op.kind === 'write' || op.kind === 'cas') && op.value === value);
  const failed = attempts.find((op) => op.outcome === 'fail' && op.invokeMs <= read.returnMs);
  const later = attempts.find((op) => op.outcome !== 'fail' && op.invokeMs > read.returnMs);
  if (failed) reason += `; ${failed.kind} #${failed.id} of that value failed, so it never took effect`;
  else if (later) reason += `; the first write of that value started only at ${describe.at(later.invokeMs)}`;
  return reason;
};

/** A value read after an acknowledged write had replaced it (see overwrittenSentence). */
const overwrittenValue: Pattern = (read, { ops, describe, evidence }) => {
  const overwriter = overwriterBefore(read, ops, evidence);
  return overwriter ? overwrittenSentence(read, overwriter, ops, describe, evidence) : undefined;
};

/**
 * A read that saw an older value than an earlier read did. Read R' returned x and finished
 * before read R started; R returned v. Either every write of v came before every write of x
 * ("the write of 7 had taken effect; yet a later read returned 5"), or every write of v had
 * taken effect before R' started — so the write of x that R' saw was the newer one. Either
 * way, R went back in time. (A cas that took effect read what it expected, so either may be one.)
 */
const readWentBackInTime: Pattern = (read, { ops, describe, evidence }) => {
  const sources = readSources(read, ops);
  if (hasNoSource(sources)) return undefined;
  const value = foundValue(read);
  for (const earlier of ops) {
    if (!observed(earlier) || foundValue(earlier) === value || !(earlier.returnMs < read.invokeMs)) continue;
    const newer = readSources(earlier, ops).writes;
    const [first] = newer;
    if (!first) continue;
    const newerWrite = newer.length === 1 ? writeOf(first) : writeOf(first).replace(/^the /, 'a ');
    const later =
      `yet a later ${read.kind} at ${describe.at(read.invokeMs)} (which started after that ${earlier.kind} finished) ${saw(read.source)}`;
    const before = `${aReader(earlier.source)} at ${describe.at(earlier.invokeMs)} ${saw(earlier.source)}`;
    if (newer.every((w) => allSourcesPrecede(sources, w, evidence))) {
      return `${before}, so ${newerWrite} had taken effect; ${later}${olderSources(read, ops, first, describe, evidence)}`;
    }
    if (sources.writes.length > 0 && sources.writes.every((s) => evidence.effectMs(s) < earlier.invokeMs)) {
      return (
        `${before}, although ${tookEffect(sources.writes, describe, evidence)}, before that ${earlier.kind} started, ` +
        `so ${newerWrite} took effect after it; ${later}${value === null ? `, as if ${newerWrite} had never happened` : ', an older value'}`
      );
    }
  }
  return undefined;
};

/**
 * Two reads that both started after every write of both their values had taken effect must
 * see the same value — the one written last — whatever their order; these did not. (A cas
 * that took effect counts as a read of what it expected: it saw it, at one instant.)
 */
const readsDisagreeOnceSettled: Pattern = (read, { ops, describe, evidence }) => {
  const mine = readSources(read, ops).writes;
  for (const other of ops) {
    if (!observed(other) || foundValue(other) === foundValue(read)) continue;
    const theirs = readSources(other, ops).writes;
    const writes = [...mine, ...theirs];
    if (writes.length === 0) continue;
    const settledMs = Math.max(...writes.map((w) => evidence.effectMs(w)));
    if (!(settledMs < Math.min(read.invokeMs, other.invokeMs))) continue;
    const [first, second] = [other, read].sort((a, b) => a.invokeMs - b.invokeMs);
    const anyRead = read.kind === 'read' && other.kind === 'read' ? 'any read' : 'any read or cas';
    return (
      `${joinWords(writes.map(writeOf))} had ${writes.length === 2 ? 'both' : 'all'} taken effect by ${describe.at(settledMs)}, so ${anyRead} ` +
      `starting after that must see whichever came last; yet ${aReader(first!.source)} at ${describe.at(first!.invokeMs)} ` +
      `${saw(first!.source)} and ${aReader(second!.source)} at ${describe.at(second!.invokeMs)} ${saw(second!.source)}`
    );
  }
  return undefined;
};

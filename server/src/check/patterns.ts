import type { HistoryOp } from '@clusterlab/shared';
import { Describer, joinWords, returned, showKey, showValue } from './describe';
import { olderSources, overwrittenSentence, tookEffect, writeOf } from './overwrite-phrases';
import type { RegisterOp } from './register-ops';
import { allSourcesPrecede, effectEvidence, hasNoSource, overwriterBefore, readSources, type EffectEvidence } from './sources';

/** A read that cannot be placed, and why, in one sentence. */
export interface NamedPattern {
  readonly culprit: RegisterOp;
  readonly reason: string;
}

interface Context {
  readonly ops: readonly RegisterOp[];
  readonly describe: Describer;
  readonly evidence: EffectEvidence;
  /** Every op on the key as recorded, failed ones included. */
  readonly recorded: readonly HistoryOp[];
}

type Pattern = (read: RegisterOp, context: Context) => string | undefined;

/**
 * Names the mistake a witness shows, trying the patterns from plainest to subtlest and, within
 * each, the latest read first. `witness` must hold every possible source of each of its reads,
 * so that what is true of the witness is true of the whole history. Undefined when no pattern fits.
 */
export function namePattern(witness: readonly RegisterOp[], describe: Describer, recorded: readonly HistoryOp[]): NamedPattern | undefined {
  const context: Context = { ops: witness, describe, evidence: effectEvidence(witness), recorded };
  const reads = witness.filter((op) => op.kind === 'read').sort((a, b) => b.invokeMs - a.invokeMs);
  for (const pattern of [valueNobodyWrote, overwrittenValue, readWentBackInTime, readsDisagreeOnceSettled]) {
    for (const read of reads) {
      const reason = pattern(read, context);
      if (reason) return { culprit: read, reason };
    }
  }
  return undefined;
}

/** "a read at t=2.05 s returned 5, but no write of k=5 had started by the time that read finished (t=2.10 s)" */
const valueNobodyWrote: Pattern = (read, { ops, describe, recorded }) => {
  if (!hasNoSource(readSources(read, ops))) return undefined;
  let reason =
    `a read at ${describe.at(read.invokeMs)} returned ${showValue(read.value)}, but no write of ` +
    `${showKey(read.source.key)}=${showValue(read.value)} had started by the time that read finished (${describe.at(read.returnMs)})`;
  const attempts = recorded.filter((op) => op.kind === 'write' && op.value === read.value);
  const failed = attempts.find((op) => op.outcome === 'fail' && op.invokeMs <= read.returnMs);
  const later = attempts.find((op) => op.outcome !== 'fail' && op.invokeMs > read.returnMs);
  if (failed) reason += `; write #${failed.id} of that value failed, so it never took effect`;
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
 * way, R went back in time.
 */
const readWentBackInTime: Pattern = (read, { ops, describe, evidence }) => {
  const sources = readSources(read, ops);
  if (hasNoSource(sources)) return undefined;
  for (const earlier of ops) {
    if (earlier.kind !== 'read' || earlier.value === read.value || !(earlier.returnMs < read.invokeMs)) continue;
    const newer = readSources(earlier, ops).writes;
    const [first] = newer;
    if (!first) continue;
    const newerWrite = newer.length === 1 ? writeOf(first) : writeOf(first).replace(/^the /, 'a ');
    const later = `yet a later read at ${describe.at(read.invokeMs)} (which started after that read finished) ${returned(read.value)}`;
    if (newer.every((w) => allSourcesPrecede(sources, w, evidence))) {
      return (
        `a read at ${describe.at(earlier.invokeMs)} ${returned(earlier.value)}, so ${newerWrite} had taken effect; ` +
        `${later}${olderSources(read, ops, first, describe, evidence)}`
      );
    }
    if (sources.writes.length > 0 && sources.writes.every((s) => evidence.effectMs(s) < earlier.invokeMs)) {
      return (
        `a read at ${describe.at(earlier.invokeMs)} ${returned(earlier.value)}, although ` +
        `${tookEffect(sources.writes, describe, evidence)}, before that read started, so ${newerWrite} took effect ` +
        `after it; ${later}${read.value === null ? `, as if ${newerWrite} had never happened` : ', an older value'}`
      );
    }
  }
  return undefined;
};

/**
 * Two reads that both started after every write of both their values had taken effect must
 * see the same value — the one written last — whatever their order; these did not.
 */
const readsDisagreeOnceSettled: Pattern = (read, { ops, describe, evidence }) => {
  const mine = readSources(read, ops).writes;
  for (const other of ops) {
    if (other.kind !== 'read' || other.value === read.value) continue;
    const theirs = readSources(other, ops).writes;
    const writes = [...mine, ...theirs];
    if (writes.length === 0) continue;
    const settledMs = Math.max(...writes.map((w) => evidence.effectMs(w)));
    if (!(settledMs < Math.min(read.invokeMs, other.invokeMs))) continue;
    const [first, second] = [other, read].sort((a, b) => a.invokeMs - b.invokeMs);
    return (
      `${joinWords(writes.map(writeOf))} had ${writes.length === 2 ? 'both' : 'all'} taken effect by ${describe.at(settledMs)}, so any read ` +
      `starting after that must see whichever came last; yet a read at ${describe.at(first!.invokeMs)} ` +
      `${returned(first!.value)} and a read at ${describe.at(second!.invokeMs)} ${returned(second!.value)}`
    );
  }
  return undefined;
};

import { aReader, Describer, joinWords, label, saw, showValue } from './describe';
import type { RegisterOp } from './register-ops';
import { acknowledgedOnly, foundValue, readSources, type EffectEvidence } from './sources';

/**
 * The sentence for a read that returned an overwritten value, shared by the linearizability
 * explanation and the stale-read anomaly so a learner meets one wording for one mistake:
 *
 * "write k=7 was acknowledged at t=1.20 s, but a read at t=2.05 s (which started after it
 * finished) returned 5; the write of 5 had been acknowledged at t=0.80 s, before the write of 7
 * started, so 5 was already overwritten"
 *
 * A cas that took effect read the value it expected, so it gets the same sentence: "… but a cas
 * at t=2.05 s (which started after it finished) found 5 and replaced it with 6; …".
 */
export function overwrittenSentence(
  read: RegisterOp,
  overwriter: RegisterOp,
  ops: readonly RegisterOp[],
  describe: Describer,
  evidence: EffectEvidence = acknowledgedOnly,
): string {
  return (
    `${label(overwriter.source)} was acknowledged at ${describe.at(overwriter.returnMs)}, but ${aReader(read.source)} at ` +
    `${describe.at(read.invokeMs)} (which started after it finished) ${saw(read.source)}` +
    olderSources(read, ops, overwriter, describe, evidence)
  );
}

/**
 * Why the value read is older than `newer`: "; the write of 5 had been acknowledged at t=0.80 s,
 * before the write of 7 started, so 5 was already overwritten". For a read that found the key
 * absent and that only the initial state explains: ", as if the write of 7 had never happened".
 */
export function olderSources(
  read: RegisterOp,
  ops: readonly RegisterOp[],
  newer: RegisterOp,
  describe: Describer,
  evidence: EffectEvidence = acknowledgedOnly,
): string {
  const sources = readSources(read, ops).writes;
  if (sources.length === 0) return `, as if ${writeOf(newer)} had never happened`;
  const found = foundValue(read);
  const gone = found === null ? 'the key had been written again since' : `${showValue(found)} was already overwritten`;
  return `; ${tookEffect(sources, describe, evidence)}, before ${writeOf(newer)} started, so ${gone}`;
}

/**
 * "the write of 5 had been acknowledged at t=0.80 s", "the write of 5 had been seen by a read
 * that ended at t=0.40 s", or "every write of 5 had taken effect (by t=0.80 s and t=0.95 s)".
 */
export function tookEffect(writes: readonly RegisterOp[], describe: Describer, evidence: EffectEvidence): string {
  const [only] = writes;
  if (writes.length === 1 && only) {
    const read = evidence.seenBy(only);
    return read
      ? `${writeOf(only)} had been seen by a read that ended at ${describe.at(read.returnMs)}`
      : `${writeOf(only)} had been acknowledged at ${describe.at(only.returnMs)}`;
  }
  const when = joinWords(writes.map((w) => describe.at(evidence.effectMs(w))));
  return `every ${writeOf(writes[0]!).replace(/^the /, '')} had taken effect (by ${when})`;
}

/** "the write of 7" or "the delete" */
export function writeOf(op: RegisterOp): string {
  return op.value === null ? 'the delete' : `the write of ${showValue(op.value)}`;
}

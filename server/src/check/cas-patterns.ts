import { aReader, label, saw, showKey, showValue } from './describe';
import { olderSources } from './overwrite-phrases';
import type { Pattern } from './patterns';
import { setsValue, type RegisterOp } from './register-ops';
import { allSourcesPrecede, foundValue, readSources } from './sources';

/**
 * The mistakes only a cas can make, named in sentences a learner can check against the list
 * of ops. "The only write it could have found" is judged on the key's whole history (see
 * lastWriteCandidates), not on the witness: the witness keeps every write an op can have
 * found, but also, for an op that can have found none, the newest one anyway.
 */

/**
 * A value only one write left there, found by two ops of which one, a cas that took effect,
 * replaced it. Both need that write to be the last before them; whichever comes second has
 * the other's cas in between. Two cas: any order. A read (or a cas that writes back what it
 * found): only when the cas finished before it started.
 *
 * "cas #2 at t=0.10 s and cas #3 at t=0.15 s both changed k from 5 (to 6 and to 7), but only
 * one of them can have seen 5: …"
 */
export const valueTakenByCas: Pattern = (read, { ops, all, describe }) => {
  const value = foundValue(read);
  const changes = read.kind === 'cas' && read.value !== value;
  for (const cas of ops) {
    if (cas === read || cas.kind !== 'cas' || cas.returnMs === Infinity) continue;
    if (cas.expected !== value || cas.value === value) continue;
    if (!changes && !(cas.returnMs < read.invokeMs)) continue;
    const candidates = new Set([...lastWriteCandidates(read, all), ...lastWriteCandidates(cas, all)]);
    if (candidates.size !== 1) continue;
    const [only] = candidates;
    const key = showKey(read.source.key);
    const what = value === null ? 'delete' : `write of ${showValue(value)}`;
    if (changes) {
      const [first, second] = [read, cas].sort((a, b) => a.invokeMs - b.invokeMs || a.source.id - b.source.id);
      const both = `cas #${first!.source.id} at ${describe.at(first!.invokeMs)} and cas #${second!.source.id} at ${describe.at(second!.invokeMs)}`;
      const to = first!.value === second!.value ? `both to ${showValue(first!.value)}` : `to ${showValue(first!.value)} and to ${showValue(second!.value)}`;
      const origin = only === INITIAL ? `nothing deleted ${key} in time for either` : `the only ${what} either could have found is #${only!.source.id}`;
      const did = value === null ? `found ${key} absent and wrote it` : `changed ${key} from ${showValue(value)}`;
      const seen = value === null ? 'found it absent' : `seen ${showValue(value)}`;
      const gone = value === null ? 'already written' : 'already replaced';
      return (
        `${both} both ${did} (${to}), but only one of them can have ${seen}: ${origin}, ` +
        `so whichever came second would have found it ${gone} by the first`
      );
    }
    const replaced =
      only === INITIAL
        ? `#${cas.source.id} had already written the key, and nothing deleted it in time for that ${read.kind}`
        : `#${cas.source.id} had already ${value === null ? 'written over' : 'replaced'} the only ${what} that ${read.kind} could have found (#${only!.source.id})`;
    return (
      `${label(cas.source)} was acknowledged at ${describe.at(cas.returnMs)}, but ${aReader(read.source)} at ` +
      `${describe.at(read.invokeMs)} (which started after it finished) ${saw(read.source)}; ${replaced}`
    );
  }
  return undefined;
};

/**
 * A value whose only write is a cas that cannot have taken effect in time: it had to before
 * the op that found its value finished, and before it finished itself, yet no write of the
 * value it expected that it could have found had started by then.
 *
 * "a read at t=0.40 s returned 6, but the only write of 6 it could have found, cas k: 5 → 6
 * (#2), cannot have taken effect: no write of k=5 had started by the time it finished (t=0.30 s)"
 */
export const cannotHaveApplied: Pattern = (read, { all, describe, recorded }) => {
  const value = foundValue(read);
  const [only, more] = lastWriteCandidates(read, all);
  if (value === null || more || !only || only === INITIAL || only.kind !== 'cas' || only.expected === null) return undefined;
  const expected = only.expected;
  const deadlineMs = Math.min(only.returnMs, read.returnMs);
  if (lastWriteCandidates(only, all).some((w) => w === INITIAL || w.invokeMs <= deadlineMs)) return undefined;
  const attempts = recorded.filter((op) => op.outcome !== 'fail' && (op.kind === 'write' || op.kind === 'cas') && op.value === expected);
  const needed = `${showKey(read.source.key)}=${showValue(expected)}`;
  const by = only.returnMs <= read.returnMs ? `the time it finished (${describe.at(only.returnMs)})` : `the time that ${read.kind} finished (${describe.at(read.returnMs)})`;
  const why =
    attempts.length === 0
      ? `nothing wrote ${needed} at all`
      : attempts.some((op) => op.invokeMs <= deadlineMs)
        ? `no write of ${needed} that cas could have found had started by ${by}`
        : `no write of ${needed} had started by ${by}`;
  return (
    `${aReader(read.source)} at ${describe.at(read.invokeMs)} ${saw(read.source)}, but the only write of ${showValue(value)} ` +
    `it could have found, ${label(only.source)} (#${only.source.id}), cannot have taken effect: ${why}`
  );
};

/**
 * Two cas that can each only have found what the other wrote: neither can have gone first.
 *
 * "cas #3 at t=0.11 s can only have found v21 written by cas #2, and cas #2 can only have found
 * v18 written by cas #3: neither can have taken effect first"
 */
export const casCycle: Pattern = (read, { all, describe }) => {
  if (read.kind !== 'cas' || read.expected === null) return undefined;
  const [other, more] = lastWriteCandidates(read, all);
  if (!other || more || other === INITIAL || other.kind !== 'cas' || other.expected === null) return undefined;
  const theirs = lastWriteCandidates(other, all);
  if (theirs.length !== 1 || theirs[0] !== read) return undefined;
  return (
    `cas #${read.source.id} at ${describe.at(read.invokeMs)} can only have found ${showValue(read.expected)} written by cas #${other.source.id}, ` +
    `and cas #${other.source.id} can only have found ${showValue(other.expected)} written by cas #${read.source.id}: ` +
    `neither can have taken effect first`
  );
};

/**
 * A stale read one cas removed: the value found has one write, a cas, so that cas and the op
 * that found its value sit together in any order, right after a write of what the cas
 * expected — and an acknowledged write had to come between that write and the op that found
 * the cas's value. Wherever it goes, it splits the chain.
 *
 * "write k=9 was acknowledged at t=0.30 s, but a read at t=0.40 s (which started after it
 * finished) returned 6; the only write of 6 it could have found is cas k: 5 → 6 (#2); the
 * write of 5 had been acknowledged at t=0.10 s, before the write of 9 started, so 5 was
 * already overwritten"
 */
export const overwrittenUnderCas: Pattern = (read, { ops, all, describe, evidence }) => {
  const [cas, more] = lastWriteCandidates(read, all);
  if (!cas || more || cas === INITIAL || cas.kind !== 'cas') return undefined;
  // Every write the cas can have found is in the witness (minimize.ts), so "all of them
  // preceded the overwrite" can be judged there, with what its reads prove.
  const expected = readSources(cas, ops);
  const value = foundValue(read);
  let best: RegisterOp | undefined;
  for (const w of ops) {
    if (w === cas || !setsValue(w) || w.value === value || !(w.returnMs < read.invokeMs)) continue;
    if (!allSourcesPrecede(expected, w, evidence)) continue;
    if (!best || w.returnMs > best.returnMs) best = w;
  }
  if (!best) return undefined;
  return (
    `${label(best.source)} was acknowledged at ${describe.at(best.returnMs)}, but ${aReader(read.source)} at ` +
    `${describe.at(read.invokeMs)} (which started after it finished) ${saw(read.source)}; the only write of ` +
    `${showValue(value)} it could have found is ${label(cas.source)} (#${cas.source.id})${olderSources(cas, ops, best, describe, evidence)}`
  );
};

/** The initial state, as a candidate for the last write before an op that found the key absent. */
const INITIAL = 'initial';

/**
 * The writes of what `op` found (and the initial state, for absent) that can be the last write
 * before it in a valid order of `all`: not those after which another write had to come before
 * it (acknowledged before it began, and begun after they were acknowledged).
 */
function lastWriteCandidates(op: RegisterOp, all: readonly RegisterOp[]): (RegisterOp | typeof INITIAL)[] {
  const { writes, initial } = readSources(op, all);
  const superseded = (ackMs: number, self?: RegisterOp) =>
    all.some((x) => x !== self && x !== op && setsValue(x) && x.returnMs < op.invokeMs && ackMs < x.invokeMs);
  const candidates: (RegisterOp | typeof INITIAL)[] = writes.filter((w) => !superseded(w.returnMs, w));
  if (initial && !superseded(-Infinity)) candidates.push(INITIAL);
  return candidates;
}

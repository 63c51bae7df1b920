import type { History } from '@clusterlab/shared';
import { Describer, label, showKey, showValue } from './describe';
import { agreedFinalValue, hasFinalStates, type FinalStates } from './final-states';
import { registerOpsByKey, setsValue, type RegisterOp } from './register-ops';

/**
 * A lost write: an acknowledged write (or delete) that the cluster's final state has undone —
 * not overwritten by anything after it, but rolled back to what was there before it began.
 * It needs each node's final state; from the clients' reads alone nothing is claimed (see below).
 *
 * Precisely, take a key k on which every node ends with the same value f (a node that lacks k
 * has it absent; f = absent is a value too). The *sources* of f are the writes of exactly f to
 * k that did not fail — for f absent, the deletes of k that did not fail, plus the initial
 * state, which counts as acknowledged at the beginning of time. A cas counts as a write of its
 * value (a conditional delete, as a delete). A write, delete or cas W of k with outcome ok,
 * writing w ≠ f, is lost when
 *   1. f has at least one source (for f absent, the initial state always is one), and
 *   2. every source of f was acknowledged before W was invoked.
 * Then every order consistent with real time puts all of f's sources before W, and nothing
 * that may come after W writes f: had W's effect stayed, k would end with w or with a value
 * written after W, never with f.
 *
 * Equivalently: W is lost exactly when a read of k made after every op had finished, returning
 * f, would be a stale read with W among its overwriters (stale-reads.ts).
 *
 * What is never claimed:
 *   - a key whose replicas disagree (divergent-replicas.ts reports it; there is no one final
 *     value to reason from);
 *   - a final value that may have come from a write of unknown outcome — it may have taken
 *     effect at any moment after its invocation, after W included;
 *   - a final value that no op wrote (no source: a different problem);
 *   - unknown or failed writes: they were never acknowledged. `fail` ops are ignored altogether.
 * A value written by several ops is fine when all of them finished before W began; if any did
 * not, the final value may be W's successor's, and nothing is claimed.
 *
 * Why not from reads: a read that saw an older value after W was acknowledged may have been
 * served by a lagging follower, and W may then be overwritten legitimately before anyone reads
 * it again — "never read again" is not "lost". The final state is what decides.
 *
 * What it cannot see: a lost write whose key was later written again by a write that stayed.
 * The final state then looks exactly as if W had been applied and overwritten; only the
 * replicas' logs (the simulator's ground truth) can tell those apart.
 */
export interface LostWrite {
  readonly kind: 'lost-write';
  readonly key: string;
  readonly writeOpId: number;
  /** What the lost write wrote (null for a delete). */
  readonly value: string | null;
  readonly writeInvokeMs: number;
  readonly writeAckMs: number;
  /** What every node ended with for the key (null: absent). */
  readonly finalValue: string | null;
  /**
   * The ops that could have produced the final value — the writes of it, or for absent, the
   * deletes — all acknowledged before the lost write began. Empty when only the initial state
   * explains it (the key ended absent and was never deleted).
   */
  readonly finalSourceOpIds: number[];
  /** When the last of them was acknowledged; null when there are none. */
  readonly finalSourceAckMs: number | null;
  readonly sentence: string;
}

/**
 * The lost writes of `history`, judged against the nodes' final states. Returns nothing without
 * final states: reads alone cannot tell a lost write from one overwritten before anyone read it.
 */
export function findLostWrites(history: History, finalStates: FinalStates | undefined, describe = Describer.forHistory(history)): LostWrite[] {
  if (!hasFinalStates(finalStates)) return [];
  const found: LostWrite[] = [];
  for (const [key, ops] of registerOpsByKey(history)) {
    const final = agreedFinalValue(finalStates, key);
    if (final === 'divergent') continue;
    const sources = ops.filter((op) => setsValue(op) && op.value === final.value);
    if (final.value !== null && sources.length === 0) continue; // nobody wrote it
    // +Infinity when a source's outcome is unknown: it may come after anything, so nothing is lost.
    const lastSourceAck = sources.reduce((last, s) => Math.max(last, s.returnMs), -Infinity);
    for (const write of ops) {
      if (!setsValue(write) || write.source.outcome !== 'ok' || write.value === final.value) continue;
      if (!(lastSourceAck < write.invokeMs)) continue;
      found.push({
        kind: 'lost-write',
        key,
        writeOpId: write.source.id,
        value: write.value,
        writeInvokeMs: write.invokeMs,
        writeAckMs: write.returnMs,
        finalValue: final.value,
        finalSourceOpIds: sources.map((s) => s.source.id),
        finalSourceAckMs: sources.length > 0 ? lastSourceAck : null,
        sentence: sentence(write, key, final.value, sources, describe),
      });
    }
  }
  return found;
}

const MAX_NAMED_SOURCES = 5;

/**
 * "Lost write #2: write k=7 was acknowledged at t=1.20 s, but the cluster ended with k=5, written
 * by #1 and acknowledged at t=0.90 s, before #2 began (t=1.00 s): #2 was undone, not overwritten."
 */
function sentence(write: RegisterOp, key: string, finalValue: string | null, sources: RegisterOp[], describe: Describer): string {
  const id = `#${write.source.id}`;
  const ended = finalValue === null ? `${showKey(key)} absent` : `${showKey(key)}=${showValue(finalValue)}`;
  const before = `before ${id} began (${describe.at(write.invokeMs)})`;
  let how: string;
  if (sources.length === 0) {
    how = 'as it started, and no one ever deleted it';
  } else if (sources.length === 1) {
    const [only] = sources;
    how = `${finalValue === null ? 'deleted' : 'written'} by #${only!.source.id} and acknowledged at ${describe.at(only!.returnMs)}, ${before}`;
  } else {
    const ids = sources.slice(0, MAX_NAMED_SOURCES).map((s) => `#${s.source.id}`);
    const more = sources.length > MAX_NAMED_SOURCES ? ` and ${sources.length - MAX_NAMED_SOURCES} more` : '';
    const what = finalValue === null ? `delete of ${showKey(key)}` : `write of ${showValue(finalValue)}`;
    const lastAck = Math.max(...sources.map((s) => s.returnMs));
    how = `and every ${what} (${ids.join(', ')}${more}) was acknowledged by ${describe.at(lastAck)}, ${before}`;
  }
  return (
    `Lost write ${id}: ${label(write.source)} was acknowledged at ${describe.at(write.returnMs)}, ` +
    `but the cluster ended with ${ended}, ${how}: ${id} was undone, not overwritten.`
  );
}

import type { History, HistoryOp } from '@clusterlab/shared';
import { Describer, showKey } from './describe';
import { explainViolation, type Violation } from './explain';
import { assertValidHistory } from './history-validation';
import { registerOpsByKey, type RegisterOp } from './register-ops';
import { decideRegister, type DecisionMethod } from './decide';
import { searchLinearization, type SearchOutcome } from './search';

export interface CheckOptions {
  /**
   * Work limit per key: attempts to place an op in the search. Past it the key's verdict is
   * 'unknown' instead of a hang. Ordinary histories need a few per op; the limit is for
   * pathological ones (many concurrent writes of the same value, many unknown outcomes).
   */
  maxStatesPerKey?: number;
  /** Shrink each violation to a witness and describe it (default true). */
  explain?: boolean;
  /** Work limit per violating key for shrinking it to a witness. */
  maxExplainStatesPerKey?: number;
  /**
   * Time zero of the "t=1.20 s" in explanations (default: the history's first invocation).
   * Pass 0 to match a caller whose own narrative counts from the start of its clock.
   */
  originMs?: number;
}

export const DEFAULT_MAX_STATES_PER_KEY = 1_000_000;
export const DEFAULT_MAX_EXPLAIN_STATES_PER_KEY = 1_000_000;

interface KeyVerdictBase {
  readonly key: string;
  /** Ops that count for the check: not failed, and not reads of unknown outcome. */
  readonly opCount: number;
  /** Search steps spent on the verdict (explaining a violation is not counted); the fast check counts one per op. */
  readonly exploredStates: number;
  /** Which check decided the key: 'unique-writes' (polynomial, every read's source forced) or 'search'. */
  readonly method: DecisionMethod;
  /** Milliseconds the key's check took, explaining a violation included. */
  readonly ms: number;
}

export type KeyVerdict =
  | (KeyVerdictBase & { readonly verdict: 'linearizable' })
  | (KeyVerdictBase & { readonly verdict: 'not-linearizable'; readonly violation?: Violation })
  | (KeyVerdictBase & { readonly verdict: 'unknown'; readonly reason: string });

export interface LinearizabilityResult {
  /** True only when every key is linearizable; a key the checker gave up on makes it false. */
  readonly linearizable: boolean;
  /** 'unknown' when no key is violated but the checker gave up on at least one. */
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  /** One verdict per key in the history, sorted by key. */
  readonly keys: KeyVerdict[];
  /** A few lines for a learner: the verdict and, per violated key, why. */
  readonly explanation: string;
}

/** How many violated keys the explanation spells out; the rest are counted. */
const MAX_EXPLAINED_KEYS = 5;

/**
 * Checks that a key/value history is linearizable: that there is one order of its operations,
 * consistent with real time, in which every read returns the latest value written before it.
 * Each key is an independent register (initially absent), checked on its own.
 *
 * Throws InvalidHistoryError on histories that make no sense (see historyProblems).
 */
export function checkLinearizability(history: History, options: CheckOptions = {}): LinearizabilityResult {
  assertValidHistory(history);
  const maxStates = options.maxStatesPerKey ?? DEFAULT_MAX_STATES_PER_KEY;
  const describe = options.originMs === undefined ? Describer.forHistory(history) : new Describer(options.originMs);

  const recordedByKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    const list = recordedByKey.get(op.key);
    if (list) list.push(op);
    else recordedByKey.set(op.key, [op]);
  }

  const keys: KeyVerdict[] = [];
  for (const [key, ops] of registerOpsByKey(history)) {
    // The one clock reading in the checker: how long each key took, for finding the slow ones.
    const startedMs = performance.now();
    const outcome = decideRegister(ops, maxStates);
    const base = { key, opCount: ops.length, exploredStates: outcome.steps, method: outcome.method };
    const elapsed = () => performance.now() - startedMs;
    switch (outcome.kind) {
      case 'linearizable':
        keys.push({ ...base, ms: elapsed(), verdict: 'linearizable' });
        break;
      case 'gave-up':
        keys.push({
          ...base,
          ms: elapsed(),
          verdict: 'unknown',
          reason: `gave up after exploring ${maxStates} states (${ops.length} ops on this key); raise maxStatesPerKey to decide`,
        });
        break;
      case 'violation': {
        if (options.explain === false) {
          keys.push({ ...base, ms: elapsed(), verdict: 'not-linearizable' });
          break;
        }
        const budget = { remaining: options.maxExplainStatesPerKey ?? DEFAULT_MAX_EXPLAIN_STATES_PER_KEY };
        const violation = explainViolation(key, ops, stuckSearch(ops, outcome), describe, budget, recordedByKey.get(key) ?? []);
        keys.push({ ...base, ms: elapsed(), verdict: 'not-linearizable', violation });
        break;
      }
    }
  }

  const violated = keys.filter((k): k is ViolatedKey => k.verdict === 'not-linearizable');
  const undecided = keys.filter((k): k is UndecidedKey => k.verdict === 'unknown');
  const verdict = violated.length > 0 ? 'not-linearizable' : undecided.length > 0 ? 'unknown' : 'linearizable';
  return {
    linearizable: verdict === 'linearizable',
    verdict,
    keys,
    explanation: summarize(history.length, keys.length, violated, undecided),
  };
}

/** Steps the search may spend retracing a violation the fast check found, for its "how far it got". */
const STUCK_SEARCH_STEPS = 20_000;

/**
 * Where a search gets stuck reads better than where the fast check's order breaks: the search
 * places every op it can before giving up on one. So a violation the fast check found is
 * retraced by a short search, and keeps the fast check's own account if that runs out.
 */
function stuckSearch(ops: readonly RegisterOp[], outcome: Extract<SearchOutcome, { kind: 'violation' }> & { method: DecisionMethod }) {
  if (outcome.method === 'search') return outcome;
  const retraced = searchLinearization(ops, STUCK_SEARCH_STEPS);
  return retraced.kind === 'violation' ? retraced : outcome;
}

type ViolatedKey = Extract<KeyVerdict, { verdict: 'not-linearizable' }>;
type UndecidedKey = Extract<KeyVerdict, { verdict: 'unknown' }>;

function summarize(opCount: number, keyCount: number, violated: ViolatedKey[], undecided: UndecidedKey[]): string {
  const size = `${plural(opCount, 'operation')} on ${plural(keyCount, 'key')}`;
  if (violated.length === 0 && undecided.length === 0) {
    return `Linearizable: ${size}; every key's history fits one order consistent with real time.`;
  }
  const lines: string[] = [];
  if (violated.length > 0) {
    const have = violated.length === 1 ? 'has' : 'have';
    lines.push(`Not linearizable: ${violated.length} of ${plural(keyCount, 'key')} ${have} no valid order (${size}).`);
    for (const k of violated.slice(0, MAX_EXPLAINED_KEYS)) {
      lines.push('', k.violation ? k.violation.text : `Key ${showKey(k.key)} is not linearizable.`);
    }
    if (violated.length > MAX_EXPLAINED_KEYS) lines.push('', `… and ${plural(violated.length - MAX_EXPLAINED_KEYS, 'more key')}.`);
    if (undecided.length > 0) lines.push('', `The checker also gave up on ${plural(undecided.length, 'key')}:`);
  } else {
    lines.push(`Undecided: no violation found, but the checker gave up on ${undecided.length} of ${plural(keyCount, 'key')} (${size}).`);
  }
  for (const k of undecided.slice(0, MAX_EXPLAINED_KEYS)) lines.push(`Key ${showKey(k.key)}: ${k.reason}.`);
  if (undecided.length > MAX_EXPLAINED_KEYS) lines.push(`… and ${plural(undecided.length - MAX_EXPLAINED_KEYS, 'more key')}.`);
  return lines.join('\n');
}

/** "1 key", "3 keys" */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

import type { HistoryOp } from '@clusterlab/shared';
import { Describer, label, showKey } from './describe';
import { shrinkViolation, type StepBudget } from './minimize';
import { namePattern } from './patterns';
import type { RegisterOp } from './register-ops';
import { decideRegister } from './decide';

/** Why one key's history has no valid order, in data and in words. */
export interface Violation {
  readonly key: string;
  /** The op that cannot be placed (usually the read that returned the impossible value, or the cas that found it). */
  readonly culpritOpId: number;
  /** A small set of the key's ops that on its own has no valid order, in time order. */
  readonly witness: HistoryOp[];
  readonly witnessOpIds: number[];
  /** False when the work budget ran out before the witness was shrunk as far as it goes. */
  readonly witnessIsMinimal: boolean;
  /** The longest run of the key's ops the search could put in a valid order (op ids, in that order). */
  readonly longestPrefixOpIds: number[];
  /** One sentence: why no order fits. */
  readonly reason: string;
  /** The reason, the ops involved, and how far the search got: several lines for a learner. */
  readonly text: string;
}

/** Limits on the text, for witnesses that could not be narrowed down: it is for reading. */
const MAX_LISTED_OPS = 20;
const MAX_LISTED_FACTS = 12;

/** Where the search got stuck on the full key history (see SearchOutcome). */
export interface StuckSearch {
  readonly longestPrefix: number[];
  readonly stuckOp: number;
}

/**
 * Explains a violation found by the search: shrinks the key's history to a witness, then names
 * the pattern it shows (see patterns.ts, cas-patterns.ts) — a value nobody wrote, a value two
 * ops found although a cas between them replaced it, a value read after it was overwritten, a
 * read that went back in time, reads that disagree once writes have settled — or, for anything
 * subtler, lists the ops and their real-time order.
 */
export function explainViolation(
  key: string,
  ops: readonly RegisterOp[],
  stuck: StuckSearch,
  describe: Describer,
  budget: StepBudget,
  /** Every op on the key as recorded, failed ones included, for remarks like "that write failed". */
  recorded: readonly HistoryOp[],
): Violation {
  const stuckOp = ops[stuck.stuckOp];
  const witness = shrinkViolation(ops, budget, stuckOp);
  const inTimeOrder = [...witness.ops].sort((a, b) => a.invokeMs - b.invokeMs || a.source.id - b.source.id);
  const pattern = namePattern(inTimeOrder, describe, recorded, ops);
  const named = pattern ? { ...pattern, details: [] } : fallback(inTimeOrder, describe, budget);

  const lines = [
    `Key ${showKey(key)} is not linearizable: ${named.reason}.`,
    `Operations involved${witness.minimal ? '' : ' (not fully narrowed down: work limit reached)'}:`,
    ...inTimeOrder.slice(0, MAX_LISTED_OPS).map((op) => `  ${describe.line(op.source)}`),
    ...(inTimeOrder.length > MAX_LISTED_OPS ? [`  … and ${inTimeOrder.length - MAX_LISTED_OPS} more (see witness)`] : []),
    ...named.details,
  ];
  if (stuckOp) {
    lines.push(
      `The longest valid order the checker found covers ${stuck.longestPrefix.length} of the key's ` +
        `${ops.length} operations; after it, #${stuckOp.source.id} (${label(stuckOp.source)}) could not be placed.`,
    );
  }
  return {
    key,
    culpritOpId: named.culprit.source.id,
    witness: inTimeOrder.map((op) => op.source),
    witnessOpIds: inTimeOrder.map((op) => op.source.id),
    witnessIsMinimal: witness.minimal,
    longestPrefixOpIds: stuck.longestPrefix.map((i) => ops[i]!.source.id),
    reason: named.reason,
    text: lines.join('\n'),
  };
}

interface Named {
  readonly culprit: RegisterOp;
  readonly reason: string;
  readonly details: string[];
}

/** For witnesses no pattern names: list the real-time order that leaves no room for a valid order. */
function fallback(ops: readonly RegisterOp[], describe: Describer, budget: StepBudget): Named {
  const outcome = decideRegister(ops, Math.max(1, budget.remaining));
  budget.remaining -= outcome.steps;
  const culprit = (outcome.kind === 'violation' ? ops[outcome.stuckOp] : undefined) ?? ops[ops.length - 1]!;
  const cas = ops.some((op) => op.kind === 'cas') ? ', and every cas the value it expected' : '';
  const reason =
    `no order of these ${ops.length} operations both respects real time (an operation that finished ` +
    `before another started must come first) and gives every read the latest value written before it${cas}`;
  if (ops.length > MAX_LISTED_OPS) return { culprit, reason, details: [] };
  const facts = realTimeFacts(ops).map(
    ([a, b]) => `  #${a.source.id} finished (${describe.at(a.returnMs)}) before #${b.source.id} started (${describe.at(b.invokeMs)})`,
  );
  if (facts.length === 0) return { culprit, reason, details: [] };
  const shown = facts.slice(0, MAX_LISTED_FACTS);
  if (facts.length > MAX_LISTED_FACTS) shown.push(`  … and ${facts.length - MAX_LISTED_FACTS} more`);
  return { culprit, reason, details: ['Real-time order among them:', ...shown] };
}

/**
 * Pairs (a, b) with a finished before b started, leaving out those implied by a chain
 * a → c → b: the facts that force an order on the witness, and nothing a reader can infer.
 */
function realTimeFacts(ops: readonly RegisterOp[]): [RegisterOp, RegisterOp][] {
  const before = (a: RegisterOp, b: RegisterOp) => a.returnMs < b.invokeMs;
  const facts: [RegisterOp, RegisterOp][] = [];
  for (const a of ops) {
    for (const b of ops) {
      if (!before(a, b)) continue;
      if (ops.some((c) => before(a, c) && before(c, b))) continue;
      facts.push([a, b]);
    }
  }
  return facts;
}


/**
 * The history as a time-ordered, doubly linked list of call and return entries, the structure
 * of Lowe's version of the Wing–Gong search (and of Porcupine). Linearizing an op "lifts" its
 * call and return out of the list; backtracking "unlifts" them back into the same places,
 * which is O(1) because a lifted entry still remembers its neighbours.
 */
export interface Entry {
  /** Index of the op in the array given to buildEntryList; -1 for the head sentinel. */
  readonly op: number;
  readonly timeMs: number;
  /** On a call entry: its return entry. Null on return entries and on the head. */
  readonly match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

/**
 * Builds the list and returns its head sentinel. An op's return entry sits at its deadline:
 * the moment by which it must have taken effect. Entries are sorted by time; at equal times a
 * call comes before a return, so two ops that merely touch (one returns at the instant the
 * other is invoked) count as concurrent — the checker never blames an order on a tie.
 */
export function buildEntryList(ops: readonly { invokeMs: number; deadlineMs: number }[]): Entry {
  const entries: { entry: Entry; isCall: boolean }[] = [];
  ops.forEach((op, i) => {
    const ret: Entry = { op: i, timeMs: op.deadlineMs, match: null, prev: null, next: null };
    const call: Entry = { op: i, timeMs: op.invokeMs, match: ret, prev: null, next: null };
    entries.push({ entry: call, isCall: true }, { entry: ret, isCall: false });
  });
  // Stable sort: ties between two calls (or two returns) keep history order.
  entries.sort((a, b) => a.entry.timeMs - b.entry.timeMs || Number(b.isCall) - Number(a.isCall));

  const head: Entry = { op: -1, timeMs: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const { entry } of entries) {
    entry.prev = last;
    last.next = entry;
    last = entry;
  }
  return head;
}

/** Removes a call entry and its return from the list (the op is now linearized). */
export function lift(call: Entry): void {
  unlink(call);
  unlink(mustMatch(call));
}

/** Puts a lifted call entry and its return back where they were (undoing `lift`). */
export function unlift(call: Entry): void {
  relink(mustMatch(call));
  relink(call);
}

function unlink(entry: Entry): void {
  if (entry.prev) entry.prev.next = entry.next;
  if (entry.next) entry.next.prev = entry.prev;
}

function relink(entry: Entry): void {
  if (entry.prev) entry.prev.next = entry;
  if (entry.next) entry.next.prev = entry;
}

function mustMatch(call: Entry): Entry {
  if (!call.match) throw new Error(`invariant: entry of op ${call.op} is not a call`);
  return call.match;
}

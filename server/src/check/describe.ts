import type { History, HistoryOp } from '@clusterlab/shared';

/**
 * Words for operations, values and times, shared by every explanation so they all read alike.
 * Times are shown in seconds with two decimals, counted from the history's first invocation:
 * "t=1.20 s" means 1.2 seconds after the first op started.
 */
export class Describer {
  constructor(readonly originMs: number) {}

  static forHistory(history: History): Describer {
    let origin = Infinity;
    for (const op of history) origin = Math.min(origin, op.invokeMs);
    return new Describer(Number.isFinite(origin) ? origin : 0);
  }

  /** "t=1.20 s" */
  at(ms: number): string {
    return `t=${this.seconds(ms)} s`;
  }

  /** "1.20" */
  seconds(ms: number): string {
    return ((ms - this.originMs) / 1000).toFixed(2);
  }

  /** One line per op for a list of the ops involved: id, client, what, when, outcome. */
  line(op: HistoryOp): string {
    const end = op.completeMs === null ? '?' : this.seconds(op.completeMs);
    const outcome = op.outcome === 'unknown' ? 'unknown outcome' : op.outcome === 'fail' ? 'failed' : 'ok';
    const node = op.node ? ` via ${op.node}` : '';
    return `#${op.id} ${op.client}: ${label(op)}, t=${this.seconds(op.invokeMs)} s → ${end} s, ${outcome}${node}`;
  }
}

/** "write k=7", "delete k", "read k → 5", "read k → absent", "cas k: 5 → 6", "cas k: absent → 1". */
export function label(op: HistoryOp): string {
  switch (op.kind) {
    case 'write':
      return `write ${showKey(op.key)}=${showValue(op.value)}`;
    case 'delete':
      return `delete ${showKey(op.key)}`;
    case 'read':
      return `read ${showKey(op.key)} → ${op.value === null ? 'absent' : showValue(op.value)}`;
    case 'cas':
      return `cas ${showKey(op.key)}: ${showValue(op.expected ?? null)} → ${showValue(op.value)}`;
  }
}

/** What a read saw, as a verb phrase: "returned 5" or "found the key absent". */
export function returned(value: string | null): string {
  return value === null ? 'found the key absent' : `returned ${showValue(value)}`;
}

/**
 * What a read saw or a cas did, as a verb phrase: "returned 5", "found the key absent",
 * "found 5 and replaced it with 6", "found the key absent and wrote 1", "found 5 and deleted it".
 */
export function saw(op: HistoryOp): string {
  if (op.kind !== 'cas') return returned(op.value);
  const expected = op.expected ?? null;
  const found = expected === null ? 'found the key absent' : `found ${showValue(expected)}`;
  if (op.value === null) return `${found} and ${expected === null ? 'left it so' : 'deleted it'}`;
  return `${found} and ${expected === null ? 'wrote' : 'replaced it with'} ${showValue(op.value)}`;
}

/** "a read" or "a cas": the op that saw something, for "a read at t=2.05 s returned 5". */
export function aReader(op: HistoryOp): string {
  return op.kind === 'cas' ? 'a cas' : 'a read';
}

/** Values that read well bare (7, v-12, a.b) stay bare; anything else is quoted and cut short. */
export function showValue(value: string | null): string {
  if (value === null) return 'absent';
  return /^[\w.:/+-]{1,40}$/.test(value) ? value : quote(value);
}

export function showKey(key: string): string {
  return /^[\w.:/+-]{1,40}$/.test(key) ? key : quote(key);
}

const MAX_SHOWN_CHARS = 40;

function quote(text: string): string {
  const cut = text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text;
  return JSON.stringify(cut);
}

/** "a, b and c" */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

import type { HistoryOp, KvResult, NodeId, WorkloadVerdict } from '@clusterlab/shared';
import type { FinalStates } from '../check/final-states';
import { judgeHistory } from '../check/verdict';

/** The lesson's reads and writes are one client's, in the history the checker reads. */
const LESSON_CLIENT = 'lesson';

type Clock = { now(): number; sleep(ms: number): Promise<void> };

/**
 * A lesson's own reads and writes, written down as the checker reads a client's operations,
 * and the checker's verdict on them: the same judge as a workload's, so a lesson can show the
 * lost write or the stale read it provoked in the same words.
 */
export class LessonHistory {
  private startedMs = 0;

  constructor(
    private readonly clock: Clock,
    /** Where the operations go, as they complete (a run's view shows this very array). */
    readonly ops: HistoryOp[],
  ) {}

  /** Times count from now: a fresh cluster, whose history starts empty. */
  begin(): void {
    this.ops.length = 0;
    this.startedMs = this.clock.now();
  }

  /**
   * A read, a write or a compare-and-set (applied only if the key still holds `expected`),
   * carried to the cluster by `send`, and written down as `client`'s.
   */
  async record(
    kind: 'read' | 'write' | 'cas',
    key: string,
    value: string | null,
    send: () => Promise<KvResult>,
    client = LESSON_CLIENT,
    expected?: string | null,
  ): Promise<{ result: KvResult; op: HistoryOp }> {
    // A client's next request comes a moment after its last answer, as a real one's does: in
    // virtual time the two would share an instant, and the checker would rightly call them concurrent.
    await this.clock.sleep(1);
    const invokeMs = this.clock.now() - this.startedMs;
    const result = await send();
    const outcome = outcomeOf(kind, result.status);
    const op: HistoryOp = {
      id: this.ops.length + 1,
      client,
      kind,
      key,
      value: kind === 'read' ? (outcome === 'ok' ? (result.value ?? null) : null) : value,
      invokeMs,
      completeMs: outcome === 'unknown' ? null : this.clock.now() - this.startedMs,
      outcome,
      ...(kind === 'cas' ? { expected: expected ?? null } : {}),
      ...(result.servedBy ? { node: result.servedBy } : {}),
      reply: `${result.status}${result.error ? `: ${result.error}` : result.index !== undefined ? ` at index ${result.index}` : ''}`.slice(0, 500),
    };
    this.ops.push(op);
    return { result, op };
  }

  keys(): string[] {
    return [...new Set(this.ops.map((op) => op.key))];
  }

  /** The checker's findings on the operations so far, against what each node holds (`finalStates`). */
  judge(finalStates: FinalStates): WorkloadVerdict {
    const began = performance.now();
    const verdict = judgeHistory(this.ops, finalStates);
    return { ...verdict, checkMs: performance.now() - began };
  }
}

/** What each node holds for the keys, from one read of each node per key; a node that could not be asked says nothing. */
export function finalStatesOf(reads: { key: string; reads: { node: NodeId; value: string | null | undefined }[] }[]): FinalStates {
  const states: FinalStates = {};
  for (const { key, reads: all } of reads) for (const r of all) if (r.value !== undefined) (states[r.node] ??= {})[key] = r.value;
  return states;
}

/** Whether every node that answered holds the same value for every key. */
export function replicasAgree(states: FinalStates, keys: readonly string[]): boolean {
  const held = Object.values(states);
  return keys.every((k) => new Set(held.map((s) => s[k] ?? null)).size <= 1);
}

/**
 * What a client may conclude from an answer, as the workload's clients do: a 2xx (or a read's
 * 404, "absent") happened; a 3xx or 4xx did not (a redirect: the follower did not log it); a
 * 5xx or no answer may have — a write the leader logged but could not acknowledge can still be
 * applied later. A compare-and-set refused with a 412 found the key moved on: it did not apply.
 */
function outcomeOf(kind: 'read' | 'write' | 'cas', status: number): HistoryOp['outcome'] {
  if ((status >= 200 && status < 300) || (kind === 'read' && status === 404)) return 'ok';
  if (status < 500) return 'fail';
  return kind === 'read' ? 'fail' : 'unknown';
}

import { setsValue, type RegisterOp } from './register-ops';
import { countWhile } from './binary-search';

/**
 * Fits reads that found the key absent into a valid order of everything else, or says it
 * could not. Reads change nothing, so each only needs a place where the key is absent, after
 * every op that finished before it started and before every op that started after it ended.
 * Each read takes the earliest such place; two reads one after the other in real time then
 * never end up the wrong way round (the later one's earliest place is no earlier), and reads
 * sharing a place go by invocation.
 *
 * Exact for the given order, not for the history: another valid order might have room where
 * this one has none. So a result proves linearizability (the caller checks it), and no result
 * proves nothing.
 */
export function insertAbsentReads(order: readonly number[], reads: readonly number[], ops: readonly RegisterOp[]): number[] | undefined {
  const n = order.length;
  // absentAt[p]: the key is absent just before order[p] (p = n: after everything).
  const absentAt = new Array<boolean>(n + 1);
  let absent = true;
  for (let p = 0; p < n; p++) {
    absentAt[p] = absent;
    const op = ops[order[p]!]!;
    if (setsValue(op)) absent = op.value === null;
  }
  absentAt[n] = absent;
  const nextAbsent = new Array<number>(n + 2);
  nextAbsent[n + 1] = Infinity;
  for (let p = n; p >= 0; p--) nextAbsent[p] = absentAt[p] ? p : nextAbsent[p + 1]!;

  // Positions by acknowledgement (with the latest position so far) and by invocation (with the earliest from there on).
  const byReturn = order.map((op, p) => ({ ms: ops[op]!.returnMs, p })).sort((a, b) => a.ms - b.ms);
  const latestPos: number[] = [];
  let latest = -1;
  for (const e of byReturn) latestPos.push((latest = Math.max(latest, e.p)));
  const byInvoke = order.map((op, p) => ({ ms: ops[op]!.invokeMs, p })).sort((a, b) => a.ms - b.ms);
  const earliestPosFrom = new Array<number>(n + 1);
  earliestPosFrom[n] = n;
  for (let k = n - 1; k >= 0; k--) earliestPosFrom[k] = Math.min(earliestPosFrom[k + 1]!, byInvoke[k]!.p);

  const placed: { read: number; at: number }[] = [];
  for (const r of reads) {
    const read = ops[r]!;
    const finishedBefore = countWhile(n, (k) => byReturn[k]!.ms < read.invokeMs);
    const from = finishedBefore === 0 ? 0 : latestPos[finishedBefore - 1]! + 1;
    const startedAfter = countWhile(n, (k) => byInvoke[k]!.ms <= read.returnMs);
    const until = earliestPosFrom[startedAfter]!;
    const at = nextAbsent[from]!;
    if (at > until) return undefined;
    placed.push({ read: r, at });
  }
  placed.sort((a, b) => a.at - b.at || ops[a.read]!.invokeMs - ops[b.read]!.invokeMs);
  const result: number[] = [];
  let next = 0;
  for (let p = 0; p <= n; p++) {
    while (next < placed.length && placed[next]!.at === p) result.push(placed[next++]!.read);
    if (p < n) result.push(order[p]!);
  }
  return result;
}

import type { History, HistoryOp } from '@clusterlab/shared';
import { Rng } from '@clusterlab/shared';

export interface CasCounterOptions {
  readonly seed: number;
  readonly clients: number;
  /** Successful increments each client makes before it stops. */
  readonly increments: number;
  /** Share of ops that time out: taking effect later half of the time, never otherwise (default 0). */
  readonly unknownRate?: number;
}

/**
 * A counter on one key ('counter') that clients increment with compare-and-set retry loops,
 * the way an HTTP client does with If-Match: each client first tries to create it at "0"
 * (If-None-Match), then reads the value, sets it one higher if it still holds what was read,
 * and on a 412 (outcome fail) or a timeout reads again and retries. After a success it knows
 * the value it wrote and tries the next increment from there without reading.
 *
 * Linearizable by construction: one register plays every op at an instant inside its
 * interval, in time order, and each client decides its next op from what it was told. Values
 * run from "0" up, each written by one successful cas — the failed ones, written again and
 * again, are ignored by the checker — so every state has only one cas out of it: the shape of
 * history that must not make the search explode.
 */
export function casCounterHistory(options: CasCounterOptions): History {
  const prng = new Rng(options.seed);
  const unknownRate = options.unknownRate ?? 0;
  let register: string | null = null;
  const ops: Omit<HistoryOp, 'id'>[] = [];

  interface Client {
    readonly name: string;
    done: number;
    /** What it will expect next; undefined: read first. */
    expected: string | null | undefined;
  }
  type Event =
    | { readonly atMs: number; readonly kind: 'effect'; readonly op: Omit<HistoryOp, 'id'> }
    | { readonly atMs: number; readonly kind: 'answer'; readonly client: Client; readonly op: Omit<HistoryOp, 'id'> };
  const events: Event[] = [];

  const issue = (client: Client, nowMs: number) => {
    const invokeMs = nowMs + prng.uniform(0, 5);
    const latencyMs = prng.uniform(2, 30);
    const unknown = prng.chance(unknownRate);
    const op: Omit<HistoryOp, 'id'> =
      client.expected === undefined
        ? { client: client.name, kind: 'read', key: 'counter', value: null, invokeMs, completeMs: null, outcome: 'ok' }
        : {
            client: client.name,
            kind: 'cas',
            key: 'counter',
            expected: client.expected,
            value: client.expected === null ? '0' : String(Number(client.expected) + 1),
            invokeMs,
            completeMs: null,
            outcome: 'ok',
          };
    ops.push(op);
    if (unknown) {
      op.outcome = 'unknown';
      if (prng.chance(0.5)) events.push({ atMs: invokeMs + prng.uniform(0, 3 * latencyMs), kind: 'effect', op });
      // The client gives up waiting and reads again.
      events.push({ atMs: invokeMs + 100, kind: 'answer', client, op });
    } else {
      op.completeMs = invokeMs + latencyMs;
      events.push({ atMs: invokeMs + prng.next() * latencyMs, kind: 'effect', op });
      events.push({ atMs: op.completeMs, kind: 'answer', client, op });
    }
  };

  const clients: Client[] = Array.from({ length: options.clients }, (_, i) => ({ name: `c${i + 1}`, done: 0, expected: null }));
  for (const client of clients) issue(client, prng.uniform(0, 10));

  while (events.length > 0) {
    let next = 0;
    for (let i = 1; i < events.length; i++) if (events[i]!.atMs < events[next]!.atMs) next = i;
    const event = events.splice(next, 1)[0]!;
    const { op } = event;
    if (event.kind === 'effect') {
      if (op.kind === 'read') op.value = register;
      else if (register === op.expected) register = op.value;
      else if (op.outcome === 'ok') op.outcome = 'fail';
      continue;
    }
    const { client } = event;
    if (op.outcome === 'ok' && op.kind === 'read') client.expected = op.value;
    else if (op.outcome === 'ok') {
      // The create that made "0" counts for nobody: increments are what come after it.
      if (op.expected !== null) client.done++;
      client.expected = op.value;
    } else client.expected = undefined;
    if (client.done < options.increments) issue(client, event.atMs);
  }

  return ops.sort((a, b) => a.invokeMs - b.invokeMs).map((op, i) => ({ id: i + 1, ...op }));
}

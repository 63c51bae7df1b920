import type { History, HistoryOp } from '@clusterlab/shared';

type Outcome = HistoryOp['outcome'];
interface Extra {
  outcome?: Outcome;
  client?: string;
}

/**
 * Hand-made histories for tests and examples, one line per op:
 *
 *   const h = new HistoryBuilder();
 *   const w = h.write('k', '7', 1000, 1200);       // invoked at 1.0 s, acknowledged at 1.2 s
 *   const r = h.read('k', '5', 2050, 2100);
 *   h.write('k', '9', 1500, null);                  // no completion: outcome unknown
 *   h.cas('k', '7', '8', 2200, 2300);               // 7 → 8 if k holds 7; null for absent
 *
 * Ids count from 1; each op gets its own client unless one is given.
 */
export class HistoryBuilder {
  private readonly ops: HistoryOp[] = [];

  write(key: string, value: string, invokeMs: number, completeMs: number | null, extra?: Extra): number {
    return this.add('write', key, value, invokeMs, completeMs, extra);
  }

  delete(key: string, invokeMs: number, completeMs: number | null, extra?: Extra): number {
    return this.add('delete', key, null, invokeMs, completeMs, extra);
  }

  /** `value` is what the read returned; null means it found the key absent. */
  read(key: string, value: string | null, invokeMs: number, completeMs: number | null, extra?: Extra): number {
    return this.add('read', key, value, invokeMs, completeMs, extra);
  }

  /** Writes `value` if the key holds `expected` (null: absent); `value` null is a conditional delete. */
  cas(key: string, expected: string | null, value: string | null, invokeMs: number, completeMs: number | null, extra?: Extra): number {
    return this.add('cas', key, value, invokeMs, completeMs, extra, expected);
  }

  build(): History {
    return this.ops.map((op) => ({ ...op }));
  }

  private add(
    kind: HistoryOp['kind'],
    key: string,
    value: string | null,
    invokeMs: number,
    completeMs: number | null,
    extra: Extra = {},
    expected?: string | null,
  ): number {
    const id = this.ops.length + 1;
    const outcome = extra.outcome ?? (completeMs === null ? 'unknown' : 'ok');
    const op: HistoryOp = { id, client: extra.client ?? `c${id}`, kind, key, value, invokeMs, completeMs, outcome };
    if (kind === 'cas') op.expected = expected ?? null;
    this.ops.push(op);
    return id;
  }
}

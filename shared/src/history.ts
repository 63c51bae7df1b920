import { z } from 'zod';

/**
 * A client-observed history of key/value operations, as the simulator (or a real test client)
 * records it, for the linearizability checker. Times are in ms on one clock.
 *
 * - A read's `value` is what it returned (null = key absent); a write's is what it wrote;
 *   a delete has value null.
 * - A cas (compare-and-set, a conditional write) writes `value` only if the key holds
 *   `expected` at that instant, atomically: `expected` null means the key must be absent
 *   (HTTP `If-None-Match: *`), `value` null makes it a conditional delete. A client doing
 *   version-based CAS (`If-Match` on a version) records as `expected` the value it read at
 *   that version: with a unique value per write, "still at version 7" and "still holds what
 *   version 7 wrote" are the same condition. `expected` is present (possibly null) exactly on
 *   cas ops.
 * - outcome `ok`: completed and acknowledged (for a cas: the condition held and the write was
 *   applied). `fail`: definitely not applied (e.g. a 4xx/503 before the leader logged it, or a
 *   cas's 412 Precondition Failed) — the checker ignores it, as Knossos does a failed cas.
 *   `unknown`: timed out or connection lost; it may or may not have taken effect, at any time
 *   after `invokeMs` — the checker treats it as possibly applied, with no end time.
 */
export const HistoryOp = z
  .object({
    id: z.number().int(),
    client: z.string(),
    kind: z.enum(['read', 'write', 'delete', 'cas']),
    key: z.string(),
    value: z.string().nullable(),
    /** On a cas only: the value the key must hold for the write to apply (null: absent). */
    expected: z.string().nullable().optional(),
    invokeMs: z.number(),
    completeMs: z.number().nullable(),
    outcome: z.enum(['ok', 'fail', 'unknown']),
    /** The node that answered, when known (for explanations). */
    node: z.string().optional(),
    /** What the client was told, in a few words ("200 at index 42", "504: not acknowledged in time"), for a person hovering the op. */
    reply: z.string().max(500).optional(),
  })
  .superRefine((op, ctx) => {
    // Optional in the object so that histories recorded before cas existed still parse.
    const problem = expectedProblem(op);
    if (problem) ctx.addIssue({ code: 'custom', path: ['expected'], message: `op ${op.id}: ${problem}` });
  });
export type HistoryOp = z.infer<typeof HistoryOp>;
export const History = z.array(HistoryOp);
export type History = z.infer<typeof History>;

/**
 * What is wrong with an op's `expected`, in words, or undefined: a cas must say what it
 * expected, and no other op may (a read with one would look like a cas to a reader of the file).
 */
export function expectedProblem(op: Pick<HistoryOp, 'kind' | 'expected'>): string | undefined {
  if (op.kind === 'cas' && op.expected === undefined) {
    return 'a cas needs an expected value (null when the key must be absent)';
  }
  if (op.kind !== 'cas' && op.expected !== undefined) {
    return `only a cas carries an expected value, not a ${op.kind}`;
  }
  return undefined;
}

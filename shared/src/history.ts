import { z } from 'zod';

/**
 * A client-observed history of key/value operations, as the simulator (or a real test client)
 * records it, for the linearizability checker. Times are in ms on one clock.
 *
 * - A read's `value` is what it returned (null = key absent); a write's is what it wrote;
 *   a delete has value null.
 * - outcome `ok`: completed and acknowledged. `fail`: definitely not applied (e.g. a 4xx/503
 *   before the leader logged it). `unknown`: timed out or connection lost; it may or may not
 *   have taken effect, at any time after `invokeMs` — the checker treats it as possibly
 *   applied, with no end time.
 */
export const HistoryOp = z.object({
  id: z.number().int(),
  client: z.string(),
  kind: z.enum(['read', 'write', 'delete']),
  key: z.string(),
  value: z.string().nullable(),
  invokeMs: z.number(),
  completeMs: z.number().nullable(),
  outcome: z.enum(['ok', 'fail', 'unknown']),
  /** The node that answered, when known (for explanations). */
  node: z.string().optional(),
  /** What the client was told, in a few words ("200 at index 42", "504: not acknowledged in time"), for a person hovering the op. */
  reply: z.string().max(500).optional(),
});
export type HistoryOp = z.infer<typeof HistoryOp>;
export const History = z.array(HistoryOp);
export type History = z.infer<typeof History>;

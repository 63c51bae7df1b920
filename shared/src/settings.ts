import { z } from 'zod';

/** How a leader decides a write is acknowledged. */
export const WriteAck = z.enum(['none', 'majority', 'all']);
export type WriteAck = z.infer<typeof WriteAck>;

/**
 * Timing and safety knobs a learner can turn. The same values go to every node.
 * Election timeouts are drawn uniformly from [min, max] so nodes rarely time out together.
 */
export const ClusterSettings = z
  .object({
    heartbeatIntervalMs: z.number().int().min(10).max(5000),
    electionTimeoutMinMs: z.number().int().min(20).max(30_000),
    electionTimeoutMaxMs: z.number().int().min(20).max(30_000),
    /** How long a candidate waits for a higher node to answer its election ping. */
    electionAnswerTimeoutMs: z.number().int().min(5).max(10_000),
    /** How long a candidate that was answered waits for the victory message. */
    electionVictoryTimeoutMs: z.number().int().min(10).max(30_000),
    writeAck: WriteAck,
    /** A write not acknowledged in this time is answered 504 (it may still be applied). */
    writeTimeoutMs: z.number().int().min(50).max(60_000),
    /** Nodes heart-beat the registry this often; the registry forgets them after registryTtlMs. */
    registryIntervalMs: z.number().int().min(10).max(10_000),
    registryTtlMs: z.number().int().min(50).max(60_000),
  })
  .refine((s) => s.electionTimeoutMinMs <= s.electionTimeoutMaxMs, {
    message: 'electionTimeoutMinMs must not exceed electionTimeoutMaxMs',
  })
  .refine((s) => s.heartbeatIntervalMs * 2 <= s.electionTimeoutMinMs, {
    message: 'the election timeout must span at least two heartbeat intervals',
  });
export type ClusterSettings = z.infer<typeof ClusterSettings>;

export const DEFAULT_SETTINGS: ClusterSettings = {
  heartbeatIntervalMs: 50,
  electionTimeoutMinMs: 200,
  electionTimeoutMaxMs: 300,
  electionAnswerTimeoutMs: 150,
  electionVictoryTimeoutMs: 400,
  writeAck: 'majority',
  writeTimeoutMs: 2000,
  registryIntervalMs: 150,
  registryTtlMs: 1000,
};

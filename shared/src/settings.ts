import { z } from 'zod';
import { RaftSettings } from './algorithms/raft';

/** The algorithms a cluster can run. Bully is the original project's design and the default. */
export const AlgorithmId = z.enum(['bully', 'raft']);
export type AlgorithmId = z.infer<typeof AlgorithmId>;

/** How a bully leader decides a write is acknowledged. */
export const WriteAck = z.enum(['none', 'majority', 'all']);
export type WriteAck = z.infer<typeof WriteAck>;

/**
 * When a node's log reaches the disk itself, not just the page cache. `always`: each record
 * is fsync'ed before anything that depends on it. `batch` (group commit): the same promise,
 * but records written while one fsync runs share the next. `never`: written, not synced —
 * survives a killed process (the kernel still has it), not a power cut.
 */
export const Fsync = z.enum(['always', 'batch', 'never']);
export type Fsync = z.infer<typeof Fsync>;

/** What every algorithm reads: timing of heartbeats, elections, writes and the registry. */
const CommonSettings = z.object({
  algorithm: AlgorithmId,
  fsync: Fsync,
  heartbeatIntervalMs: z.number().int().min(10).max(5000),
  /** Election timeouts are drawn uniformly from [min, max] so nodes rarely time out together. */
  electionTimeoutMinMs: z.number().int().min(20).max(30_000),
  electionTimeoutMaxMs: z.number().int().min(20).max(30_000),
  /** A write not acknowledged in this time is answered 504 (it may still be applied). */
  writeTimeoutMs: z.number().int().min(50).max(60_000),
  /** Nodes heart-beat the registry this often; the registry forgets them after registryTtlMs. */
  registryIntervalMs: z.number().int().min(10).max(10_000),
  registryTtlMs: z.number().int().min(50).max(60_000),
});

/** Bully's own knobs. */
export const BullySettings = z.object({
  /** How long a candidate waits for a higher node to answer its election ping. */
  electionAnswerTimeoutMs: z.number().int().min(5).max(10_000),
  /** How long a candidate that was answered waits for the victory message. */
  electionVictoryTimeoutMs: z.number().int().min(10).max(30_000),
  writeAck: WriteAck,
});

/** Which settings belong to one algorithm alone, for the settings dialog and --help. */
export const ALGORITHM_SETTING_KEYS: Record<AlgorithmId, readonly string[]> = {
  bully: Object.keys(BullySettings.shape),
  raft: Object.keys(RaftSettings.shape),
};

/**
 * Timing and safety knobs a learner can turn; the same values go to every node. One flat
 * object (each key is also a --flag), holding every algorithm's own knobs: a cluster reads
 * the common ones and those of the algorithm it runs.
 */
export const ClusterSettings = CommonSettings.extend(BullySettings.shape)
  .extend(RaftSettings.shape)
  .refine((s) => s.electionTimeoutMinMs <= s.electionTimeoutMaxMs, {
    message: 'electionTimeoutMinMs must not exceed electionTimeoutMaxMs',
  })
  .refine((s) => s.heartbeatIntervalMs * 2 <= s.electionTimeoutMinMs, {
    message: 'the election timeout must span at least two heartbeat intervals',
  });
export type ClusterSettings = z.infer<typeof ClusterSettings>;

export const DEFAULT_SETTINGS: ClusterSettings = {
  algorithm: 'bully',
  fsync: 'batch',
  heartbeatIntervalMs: 50,
  electionTimeoutMinMs: 200,
  electionTimeoutMaxMs: 300,
  electionAnswerTimeoutMs: 150,
  electionVictoryTimeoutMs: 400,
  writeAck: 'majority',
  writeTimeoutMs: 2000,
  registryIntervalMs: 150,
  registryTtlMs: 1000,
  ...RaftSettings.parse({}),
};

import type { AlgorithmId } from '../settings';
import type { BullyMessageType } from './bully';
import { formatEpoch } from './bully-epochs';
import type { RaftMessageType } from './raft';

/**
 * What the parts outside an algorithm may say about it, zod-free so the browser loads it
 * without the schemas (the type imports above are erased).
 */

/**
 * The largest term (bully: epoch) a message may carry. A term only ever grows by one per
 * election, so no honest node gets near it in a lifetime; a message above it is nonsense or
 * forged, and refusing it keeps every term far below 2^53, where adding one stops working.
 */
export const MAX_TERM = 2 ** 48;

/** The same for log indexes (one per write): a leader appending past it would leave exact integer arithmetic. */
export const MAX_LOG_INDEX = 2 ** 48;

/** What a leader sends its followers; receiving one is the sign of a live leader. */
const BULLY_LEADER_TRAFFIC = ['heartbeat', 'append', 'snapshot', 'election.victory'] as const satisfies readonly BullyMessageType[];
const RAFT_LEADER_TRAFFIC = ['append_entries', 'install_snapshot'] as const satisfies readonly RaftMessageType[];
const LEADER_TRAFFIC: ReadonlySet<string> = new Set([...BULLY_LEADER_TRAFFIC, ...RAFT_LEADER_TRAFFIC]);

/** What a message is for, whichever algorithm sent it: how the dashboard draws it, and which it may thin out. */
export const MESSAGE_FAMILIES = ['heartbeat', 'election', 'victory', 'replication', 'other'] as const;
export type MessageFamily = (typeof MESSAGE_FAMILIES)[number];

/** True for a message a leader sends its followers, whichever algorithm sent it. */
export function isLeaderTraffic(type: string): boolean {
  return LEADER_TRAFFIC.has(type);
}

/**
 * How each algorithm shows the number that orders its leaderships: bully's term is an epoch
 * shown as "3·n2" (round 3, won by n2); Raft's is a plain counter.
 */
export function formatTerm(algorithm: AlgorithmId, term: number): string {
  if (algorithm === 'bully') return formatEpoch(term);
  return term > 0 ? String(term) : '—';
}

/** What the algorithm calls its term, for labels: "epoch 3·n2", "term 5". */
export function termNoun(algorithm: AlgorithmId): 'epoch' | 'term' {
  return algorithm === 'bully' ? 'epoch' : 'term';
}

/**
 * How a node whose log was damaged may come back, by algorithm. Bully: empty, syncing from the
 * leader, as any node that missed everything does — it never promised more. Raft: only as a
 * new, empty member, removed from the configuration and added back: an empty node still
 * counted as a voter could vote twice in a term it already voted in, or vote for a candidate
 * that lacks entries it once helped commit — two leaders, or a committed write lost.
 */
export const REBUILD_AFTER_DAMAGE: Record<AlgorithmId, 'from-leader' | 'as-new-member'> = { bully: 'from-leader', raft: 'as-new-member' };

/** The exit code of a node that will not start on a damaged write-ahead log (node.log_damaged says where). */
export const EXIT_LOG_DAMAGED = 3;

import { z } from 'zod';
import { NODE_ID_PATTERN } from '../ids';
import { KvCommand, StoredValue } from '../kv';
import { MAX_LOG_INDEX, MAX_TERM } from './vocabulary';

/**
 * Raft's protocol, as the dissertation ("Consensus: Bridging Theory and Practice", Ongaro
 * 2014) names it: RequestVote (with PreVote), AppendEntries (heartbeats are empty ones),
 * InstallSnapshot (chunked). Raft's term is a plain counter, shown as a number.
 */
const term = z.number().int().nonnegative().max(MAX_TERM);
const index = z.number().int().nonnegative().max(MAX_LOG_INDEX);
const nodeId = z.string().regex(NODE_ID_PATTERN);

/** A cluster configuration: who votes, and who only receives the log (a learner catching up). */
const distinct = (ids: string[]) => new Set(ids).size === ids.length;
export const RaftConfig = z
  .object({ voters: z.array(nodeId).max(99).refine(distinct, 'lists a voter twice'), learners: z.array(nodeId).max(99).refine(distinct, 'lists a learner twice') })
  .refine((c) => !c.learners.some((l) => c.voters.includes(l)), 'a node is a voter or a learner, not both');
export type RaftConfig = z.infer<typeof RaftConfig>;

/** What a Raft log entry carries: a client write, a new leader's no-op, or a configuration. */
export const RaftCommand = z.discriminatedUnion('type', [
  ...KvCommand.options,
  /** Appended by every new leader: entries of earlier terms commit only with one of its own (§3.6.2). */
  z.object({ type: z.literal('noop') }),
  /** A single-server membership change (§4.1): takes effect as soon as it is in the log. */
  z.object({ type: z.literal('config'), config: RaftConfig }),
]);
export type RaftCommand = z.infer<typeof RaftCommand>;

export const RaftEntry = z.object({ index: index.min(1), term, command: RaftCommand });
export type RaftEntry = z.infer<typeof RaftEntry>;

/** Why a vote (or pre-vote) was refused, in the words the dashboard shows. */
export const VoteRefusal = z.enum(['stale term', 'log behind', 'already voted', 'leader alive', 'not a voter']);
export type VoteRefusal = z.infer<typeof VoteRefusal>;

export const RaftMessage = z.discriminatedUnion('type', [
  /**
   * Candidate → voters: "vote for me in `term`; my log ends at (lastLogIndex, lastLogTerm)".
   * With `pre`, a PreVote (§9.6): "would you vote for me in `term`?" — nobody's term changes.
   */
  z.object({ type: z.literal('request_vote'), term, pre: z.boolean(), lastLogIndex: index, lastLogTerm: term }),
  z.object({ type: z.literal('request_vote.reply'), term, pre: z.boolean(), granted: z.boolean(), reason: VoteRefusal.nullable() }),
  /** Leader → follower: entries after (prevLogIndex, prevLogTerm); none at all is a heartbeat. */
  z.object({
    type: z.literal('append_entries'),
    term,
    prevLogIndex: index,
    prevLogTerm: term,
    entries: z.array(RaftEntry),
    leaderCommit: index,
    /** Echoed in the reply: a ReadIndex round (§6.4) waits for a majority to answer this round. */
    round: index,
  }),
  /**
   * Follower → leader. On success, its log matches the leader's up to matchIndex. On a
   * mismatch, where to back off to in one step (§5.3's optimisation): the term of the
   * conflicting entry and the first index this follower holds for that term, or, when its log
   * is too short, conflictTerm null and conflictIndex one past its last entry.
   */
  z.object({
    type: z.literal('append_entries.reply'),
    term,
    success: z.boolean(),
    matchIndex: index,
    conflictTerm: term.nullable(),
    conflictIndex: index,
    round: index,
  }),
  /**
   * Leader → follower too far behind: its state machine as of (lastIncludedIndex,
   * lastIncludedTerm), in chunks of key/value pairs starting at `offset`; `done` on the last.
   */
  z.object({
    type: z.literal('install_snapshot'),
    term,
    lastIncludedIndex: index,
    lastIncludedTerm: term,
    config: RaftConfig,
    offset: index,
    data: z.array(z.tuple([z.string(), StoredValue])),
    done: z.boolean(),
  }),
  /** Follower → leader: the pairs before `nextOffset` arrived (the whole snapshot once done). */
  z.object({ type: z.literal('install_snapshot.reply'), term, lastIncludedIndex: index, nextOffset: index, done: z.boolean() }),
]);
export type RaftMessage = z.infer<typeof RaftMessage>;
export type RaftMessageType = RaftMessage['type'];
export type RaftMessageOf<T extends RaftMessageType> = Extract<RaftMessage, { type: T }>;

export const RAFT_MESSAGE_TYPES = RaftMessage.options.map((o) => o.shape.type.value);

export const raftTermOf = (msg: RaftMessage): number => msg.term;

/** Raft's own knobs (each is also a --flag). */
export const RaftSettings = z.object({
  /** Ask "would you vote for me?" before starting an election, so a node that was cut off cannot depose a healthy leader. */
  preVote: z.boolean().default(true),
  /** A leader that has not heard from a majority within an election timeout steps down. */
  checkQuorum: z.boolean().default(true),
  /** Compact the log into a snapshot once it holds this many applied entries. */
  snapshotThresholdEntries: z.number().int().min(10).max(1_000_000).default(10_000),
});
export type RaftSettings = z.infer<typeof RaftSettings>;

const candidate = nodeId;
/** Events only Raft emits, beside the shared leadership vocabulary. */
export const raftEvents = [
  /** A follower asks the voters whether they would elect it, without changing any term. */
  z.object({ kind: z.literal('election.prevote_started'), data: z.object({ term, asked: z.array(nodeId) }) }),
  z.object({ kind: z.literal('election.vote_granted'), data: z.object({ term, candidate, pre: z.boolean() }) }),
  z.object({ kind: z.literal('election.vote_refused'), data: z.object({ term, candidate, pre: z.boolean(), reason: VoteRefusal }) }),
  /** A follower refused an append whose previous entry it does not hold: where the leader should back off to. */
  z.object({
    kind: z.literal('replication.rejected'),
    data: z.object({ leader: nodeId, prevLogIndex: index, prevLogTerm: term, conflictTerm: term.nullable(), conflictIndex: index }),
  }),
  /** The configuration in force changed (it takes effect when logged; `committed` says whether it is yet). */
  z.object({ kind: z.literal('membership.changed'), data: z.object({ index, voters: z.array(nodeId), learners: z.array(nodeId), committed: z.boolean() }) }),
] as const;

import { z } from 'zod';
import { bullyEvents } from './algorithms/bully';
import { MESSAGE_TYPES } from './algorithms';
import { MESSAGE_FAMILIES } from './algorithms/vocabulary';
import { raftEvents } from './algorithms/raft';
import { FaultId, LastingFault } from './faults';
import { MAX_LAMPORT } from './lamport';
import { AlgorithmId, ClusterSettings } from './settings';

/**
 * The one event schema. Nodes and the registry emit events (kind + data); the supervisor
 * stamps each with a cluster-wide sequence number and streams them to browsers and tests.
 *
 * Every algorithm speaks one leadership language: a **term** orders leaderships (bully's term
 * is its epoch), and elections start, leaders are elected, followed and step down. What only
 * one algorithm does (a bully answer, a Raft vote) is its own event kind, defined beside its
 * messages in algorithms/.
 */
const id = z.string();
const term = z.number().int().nonnegative();
const index = z.number().int().nonnegative();
const lamport = z.number().int().nonnegative().max(MAX_LAMPORT);
const messageType = z.enum(MESSAGE_TYPES as [string, ...string[]]);
/** Optional: events from before it existed, and hand-written ones, may leave it out. */
const family = z.enum(MESSAGE_FAMILIES).optional();
const faultAction = z.enum(['kill', 'stop', 'pause', 'resume', 'restart', 'add', 'remove', 'reset']);
export type FaultAction = z.infer<typeof faultAction>;

function kind<K extends string, D extends z.ZodRawShape>(k: K, data: D) {
  return z.object({ kind: z.literal(k), data: z.object(data) });
}

export const EventBody = z.discriminatedUnion('kind', [
  // Process lifecycle, as the supervisor sees it, and the node's own view of its peers.
  kind('cluster.started', { settings: ClusterSettings, nodes: z.number().int() }),
  kind('node.spawned', { id, pid: z.number().int() }),
  kind('node.ready', {
    id,
    pid: z.number().int(),
    port: z.number().int(),
    algorithm: AlgorithmId,
    restoredIndex: index,
    restoredKeys: z.number().int(),
  }),
  kind('node.exited', { id, code: z.number().int().nullable(), signal: z.string().nullable(), expected: z.boolean() }),
  kind('node.removed', { id }),
  kind('node.peers', { peers: z.array(id) }),
  /** On start, the write-ahead log's damaged or unfinished last record was cut off (the process died mid-write). */
  kind('node.log_repaired', { file: z.string(), cutBytes: z.number().int().nonnegative(), cutRecords: z.number().int().nonnegative() }),
  /**
   * On start, the write-ahead log was found damaged in the middle (good records after a bad
   * one): not a torn write but a damaged disk or an edited file. The node stops rather than
   * replay past it; the supervisor may rebuild it (node.rebuilt).
   */
  kind('node.log_damaged', { file: z.string(), record: z.number().int().positive(), records: z.number().int().positive() }),
  /**
   * The supervisor set a damaged node's data aside (`movedTo`) and started it empty:
   * bully syncs it from the leader; Raft takes it out of the configuration first and adds it
   * back as a new member, because an empty node must not vote as the one that was.
   */
  kind('node.rebuilt', { id, movedTo: z.string(), how: z.enum(['from-leader', 'as-new-member']) }),
  // The registry.
  kind('registry.ready', { pid: z.number().int(), port: z.number().int() }),
  kind('registry.exited', { code: z.number().int().nullable(), signal: z.string().nullable(), expected: z.boolean() }),
  kind('registry.registered', { id, host: z.string(), port: z.number().int() }),
  kind('registry.expired', { id, silentMs: z.number() }),
  kind('registry.deregistered', { id }),
  // Leadership, in every algorithm's words.
  kind('election.timeout', { term, leader: id.nullable(), silentMs: z.number() }),
  /** A node stands for `term` and asks these nodes (bully: the higher ranks; Raft: the voters). */
  kind('election.started', { term, asked: z.array(id) }),
  kind('leader.elected', { term, peers: z.array(id) }),
  kind('leader.followed', { term, leader: id }),
  /** A second node claimed to lead a term this node already follows another leader in: refused (forged or confused). */
  kind('leader.disputed', { term, leader: id, claimant: id, type: messageType }),
  kind('leader.stepped_down', { term, newerTerm: term, leader: id.nullable(), reason: z.string().optional() }),
  ...bullyEvents,
  ...raftEvents,
  // Replication.
  kind('replication.appended', { fromIndex: index, toIndex: index, term, leader: id }),
  kind('replication.committed', { index, term }),
  kind('replication.applied', { index, keyCount: z.number().int() }),
  kind('replication.sync_requested', { lastIndex: index, lastTerm: term, leader: id }),
  /** A snapshot says how many chunks and bytes of JSON it takes (each chunk is one message). */
  kind('replication.sync_sent', {
    to: id,
    mode: z.enum(['entries', 'snapshot']),
    fromIndex: index,
    toIndex: index,
    chunks: z.number().int().positive().optional(),
    bytes: z.number().int().nonnegative().optional(),
  }),
  kind('replication.synced', { mode: z.enum(['entries', 'snapshot']), fromIndex: index, toIndex: index, leader: id }),
  kind('replication.truncated', { fromIndex: index, toIndex: index, reason: z.string() }),
  // Client writes on the leader.
  /** A transaction's `key` is the first key it names, `keys` all of them. */
  kind('kv.write', { key: z.string(), op: z.enum(['put', 'delete', 'txn']), index, term, keys: z.array(z.string()).max(64).optional() }),
  kind('kv.acked', { key: z.string(), index, latencyMs: z.number() }),
  kind('kv.failed', { key: z.string(), index: index.nullable(), reason: z.string() }),
  // Faults a learner (or a test) injects through the supervisor.
  kind('fault.injected', { action: faultAction, target: id }),
  /**
   * A lasting fault (partition, cut, delay, loss, duplicate, clock) put in force, under the id
   * it is healed by, with the sentence that says which links it cuts or slows (describeFault).
   */
  kind('fault.network', { id: FaultId, fault: LastingFault, description: z.string() }),
  /** A lasting fault ended: healed by id, or with every other one ("heal all"). */
  kind('fault.healed', { id: FaultId, fault: LastingFault, description: z.string() }),
  // A lesson the supervisor runs (POST /api/lessons/:id/run): each step as it starts and ends, then the end.
  // A step that passed names the nodes its moment was about (the two that lead) and the event awaited, if any.
  kind('lesson.step', {
    run: id,
    lesson: id,
    step: z.number().int().nonnegative(),
    title: z.string(),
    state: z.enum(['running', 'passed', 'failed']),
    detail: z.string().nullable(),
    nodes: z.array(z.string()).optional(),
    eventSeq: z.number().int().nullable().optional(),
  }),
  // Played step by step: `done` steps are done and the run waits to be told to go on.
  kind('lesson.paused', { run: id, lesson: id, done: z.number().int().nonnegative() }),
  // The checker's headline on the lesson's own reads and writes (the run's view has the whole verdict).
  kind('lesson.verdict', { run: id, lesson: id, summary: z.string(), linearizable: z.boolean(), lostWrites: z.number().int(), staleReads: z.number().int() }),
  kind('lesson.ended', { run: id, lesson: id, passed: z.boolean() }),
  // A workload the supervisor runs against the cluster (POST /api/workloads), once a second while it runs.
  kind('workload.started', { id, clients: z.number().int(), durationMs: z.number().int(), keys: z.number().int() }),
  kind('workload.progress', {
    id,
    elapsedMs: z.number(),
    /** Operations completed ok, and failed or unknown, in the last second. */
    ok: z.number().int(),
    errors: z.number().int(),
    p50: z.number().nullable(),
    p99: z.number().nullable(),
  }),
  /** The clients stopped (ran their course, or were stopped); the check begins. */
  kind('workload.ended', { id, ops: z.number().int(), reason: z.string() }),
  kind('workload.checked', {
    id,
    summary: z.string(),
    linearizable: z.boolean(),
    lostWrites: z.number().int(),
    staleReads: z.number().int(),
    checkMs: z.number(),
  }),
  // Every peer message, so a diagram can pair a send with its delivery or loss (by id).
  kind('message.sent', { id, to: id, type: messageType, term, family }),
  /** `sentLamport`: the sender's Lamport time at message.sent, so a receipt is never shown before its send. */
  kind('message.received', { id, from: id, type: messageType, term, family, sentLamport: lamport.optional() }),
  /**
   * A message that never reached its receiver's core: dropped by a fault (said by the sender,
   * or by the receiver when the cut is on its side), or undeliverable (refused connection, no
   * answer in time, queue full). Said by the node where it was lost.
   */
  kind('message.lost', { id, from: id, to: id, type: messageType, reason: z.string(), family, sentLamport: lamport.optional() }),
  /** A peer message this node would not take: another cluster's algorithm, or not a message of its own. */
  kind('message.refused', { id, from: id, reason: z.string() }),
  /**
   * Requests turned away for want of the cluster's secret (a forged peer message, a stranger
   * registering). `count` is how many this one event stands for: a flood is said once a second.
   */
  kind('auth.refused', { request: z.string(), remote: z.string(), reason: z.string(), count: z.number().int().positive() }),
]);
export type EventBody = z.infer<typeof EventBody>;
export type EventKind = EventBody['kind'];
export type EventData<K extends EventKind> = Extract<EventBody, { kind: K }>['data'];

/**
 * As a process emits it: who, when (wall clock, ms since the Unix epoch), what — and its
 * Lamport time on that process (lamport.ts), so what it shows can be ordered by
 * happened-before. `cause` is the peer message (by id) whose receipt the node was answering
 * when it emitted the event: what a diagram shows as "the events this message caused".
 */
const emittedFields = z.object({
  node: id,
  time: z.number(),
  lamport,
  cause: z.string().max(128).optional(),
});
export const EmittedEvent = z.intersection(emittedFields, EventBody);
export type EmittedEvent = z.infer<typeof emittedFields> & EventBody;

/** As the supervisor streams it: with a cluster-wide sequence number. */
export type ClusterEvent = { seq: number } & EmittedEvent;

/** The family of a kind ("election.started" → "election"), for filtering and colouring. */
export type EventFamily = EventKind extends `${infer F}.${string}` ? F : never;
export function eventFamily(kind: EventKind): EventFamily {
  return kind.slice(0, kind.indexOf('.')) as EventFamily;
}

import type { AlgorithmId, ClusterEvent, ClusterSettings } from '@clusterlab/shared';
// The subpath keeps zod (pulled in by the schema modules) out of the browser bundle.
import { formatTerm, termNoun } from '@clusterlab/shared/algorithms/vocabulary';

export { formatTerm, termNoun };

/**
 * Durations as a learner reads them: milliseconds while they are small enough to matter
 * (failover times are hundreds of ms), seconds and minutes beyond.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const v = Math.max(0, ms);
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 10_000) return `${(v / 1000).toFixed(2)} s`;
  if (v < 60_000) return `${(v / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(v / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Whole milliseconds, always in ms: the stopwatch and failover figures compare across rows. */
export function formatMs(ms: number): string {
  return `${Math.max(0, Math.round(ms))} ms`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Wall-clock time of day with milliseconds, local time: "14:03:07.412". */
export function formatClock(time: number): string {
  const d = new Date(time);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The header's one-line summary: the algorithm, its timing and safety knobs, and how durable its log is. */
export function formatSettingsSummary(s: ClusterSettings): string {
  const timing = `heartbeat ${s.heartbeatIntervalMs} ms · election ${s.electionTimeoutMinMs}–${s.electionTimeoutMaxMs} ms`;
  const own =
    s.algorithm === 'raft'
      ? `${s.preVote ? 'pre-vote' : 'no pre-vote'} · ${s.checkQuorum ? 'check-quorum' : 'no check-quorum'}`
      : `ack ${s.writeAck}`;
  return `${s.algorithm === 'raft' ? 'Raft' : 'Bully'} · ${timing} · ${own} · fsync ${s.fsync}`;
}

function quote(s: string, max = 40): string {
  const short = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return JSON.stringify(short);
}

/**
 * One line per event for the log. The switch is exhaustive so a new event kind in the shared
 * schema fails the type check here instead of showing up as a blank row.
 */
export function summarizeEvent(e: ClusterEvent, algorithm: AlgorithmId): string {
  const term = (t: number) => `${termNoun(algorithm)} ${formatTerm(algorithm, t)}`;
  switch (e.kind) {
    case 'cluster.started':
      return `cluster started with ${e.data.nodes} node${e.data.nodes === 1 ? '' : 's'}`;
    case 'node.spawned':
      return `${e.data.id} spawned (pid ${e.data.pid})`;
    case 'node.ready':
      return `${e.data.id} listening on :${e.data.port}, restored ${e.data.restoredKeys} keys up to index ${e.data.restoredIndex}`;
    case 'node.exited':
      return `${e.data.id} exited (${exitText(e.data.code, e.data.signal)})${e.data.expected ? '' : ' unexpectedly'}`;
    case 'node.removed':
      return `${e.data.id} removed`;
    case 'node.log_repaired':
      return `cut an unfinished last record (${e.data.cutBytes} bytes) from its log on start`;
    case 'node.peers':
      return `peers: ${e.data.peers.join(', ') || 'none'}`;
    case 'registry.ready':
      return `registry listening on :${e.data.port} (pid ${e.data.pid})`;
    case 'registry.exited':
      return `registry exited (${exitText(e.data.code, e.data.signal)})${e.data.expected ? '' : ' unexpectedly'}`;
    case 'registry.registered':
      return `${e.data.id} registered at ${e.data.host}:${e.data.port}`;
    case 'registry.expired':
      return `${e.data.id} expired after ${formatDuration(e.data.silentMs)} of silence`;
    case 'registry.deregistered':
      return `${e.data.id} left the registry`;
    case 'election.timeout':
      return `no word from ${e.data.leader ?? 'any leader'} for ${formatDuration(e.data.silentMs)}`;
    case 'election.started':
      return algorithm === 'bully'
        ? `election for ${term(e.data.term)}, pinging ${e.data.asked.join(', ') || 'nobody (highest)'}`
        : `stands for ${term(e.data.term)}, asking ${e.data.asked.join(', ') || 'nobody'} for votes`;
    case 'election.answered':
      return `${e.data.by} answered: it outranks us (${formatTerm(algorithm, e.data.term)})`;
    case 'election.abandoned':
      return `election ${formatTerm(algorithm, e.data.term)} abandoned: ${e.data.reason}`;
    case 'election.prevote_started':
      return `asks ${e.data.asked.join(', ') || 'nobody'} whether they would elect it in ${term(e.data.term)} (pre-vote)`;
    case 'election.vote_granted':
      return `${e.data.pre ? 'would vote' : 'votes'} for ${e.data.candidate} in ${term(e.data.term)}`;
    case 'election.vote_refused':
      return `refuses ${e.data.candidate} its ${e.data.pre ? 'pre-vote' : 'vote'} in ${term(e.data.term)}: ${e.data.reason}`;
    case 'leader.elected':
      return `became leader of ${term(e.data.term)}`;
    case 'leader.followed':
      return `follows ${e.data.leader} in ${term(e.data.term)}`;
    case 'leader.disputed':
      return `refused ${e.data.type} from ${e.data.claimant}: ${e.data.leader} leads ${term(e.data.term)}`;
    case 'leader.stepped_down':
      return e.data.reason
        ? `stepped down: ${e.data.reason}`
        : `stepped down: saw ${term(e.data.newerTerm)}${e.data.leader ? ` led by ${e.data.leader}` : ''}`;
    case 'replication.appended':
      return `appended ${e.data.fromIndex}…${e.data.toIndex} from ${e.data.leader}`;
    case 'replication.committed':
      return `committed up to ${e.data.index}`;
    case 'replication.applied':
      return `applied up to ${e.data.index} (${e.data.keyCount} keys)`;
    case 'replication.sync_requested':
      return `asked ${e.data.leader} to sync from index ${e.data.lastIndex}`;
    case 'replication.sync_sent':
      return `sent ${e.data.to} ${e.data.mode} ${e.data.fromIndex}…${e.data.toIndex}${e.data.chunks ? ` in ${e.data.chunks} chunk${e.data.chunks === 1 ? '' : 's'}` : ''}`;
    case 'replication.synced':
      return `synced ${e.data.mode} ${e.data.fromIndex}…${e.data.toIndex} from ${e.data.leader}`;
    case 'replication.rejected':
      return `rejected ${e.data.leader}'s append after ${e.data.prevLogIndex}: ${
        e.data.conflictTerm === null ? `its log ends before that` : `it holds ${term(e.data.conflictTerm)} there`
      }; back off to ${e.data.conflictIndex}`;
    case 'membership.changed':
      return `configuration at ${e.data.index}${e.data.committed ? ' (committed)' : ''}: voters ${e.data.voters.join(', ') || 'none'}${
        e.data.learners.length > 0 ? `; learners ${e.data.learners.join(', ')}` : ''
      }`;
    case 'replication.truncated':
      return `truncated ${e.data.fromIndex}…${e.data.toIndex}: ${e.data.reason}`;
    case 'kv.write':
      return e.data.op === 'txn'
        ? `transaction on ${(e.data.keys ?? [e.data.key]).map(quote).join(', ') || 'no keys'} at index ${e.data.index}`
        : `${e.data.op} ${quote(e.data.key)} at index ${e.data.index}`;
    case 'kv.acked':
      return `${quote(e.data.key)} acknowledged at ${e.data.index} after ${formatDuration(e.data.latencyMs)}`;
    case 'kv.failed':
      return `${quote(e.data.key)} failed: ${e.data.reason}`;
    case 'fault.injected':
      return `${e.data.action} ${e.data.target}`;
    case 'fault.network':
    case 'fault.healed':
      return e.data.description;
    case 'message.sent':
      return `${e.data.type} → ${e.data.to}`;
    case 'message.received':
      return `${e.data.type} ← ${e.data.from}`;
    case 'message.lost':
      return e.data.from === e.node ? `${e.data.type} → ${e.data.to} lost: ${e.data.reason}` : `${e.data.type} ← ${e.data.from} lost: ${e.data.reason}`;
    case 'message.refused':
      return `refused a message from ${e.data.from}: ${e.data.reason}`;
    case 'node.log_damaged':
      return `will not start: its log is damaged at record ${e.data.record} of ${e.data.records}`;
    case 'node.rebuilt':
      return `${e.data.id} rebuilt empty ${e.data.how === 'from-leader' ? 'from the leader' : 'as a new member'}; damaged data kept in ${e.data.movedTo}`;
    case 'auth.refused':
      return `refused ${e.data.count === 1 ? '' : `${e.data.count}× `}${e.data.request} from ${e.data.remote}: ${e.data.reason}`;
    case 'workload.started':
      return `workload ${e.data.id} started: ${e.data.clients} clients on ${e.data.keys} keys for ${(e.data.durationMs / 1000).toFixed(0)} s`;
    case 'workload.progress':
      return `workload ${e.data.id}: ${e.data.ok} ok, ${e.data.errors} errors in the last second${e.data.p99 === null ? '' : `, p99 ${e.data.p99.toFixed(0)} ms`}`;
    case 'workload.ended':
      return `workload ${e.data.id} ended after ${e.data.ops} operations (${e.data.reason}); checking`;
    case 'workload.checked':
      return `workload ${e.data.id}: ${e.data.summary}`;
    case 'lesson.step':
      return `lesson ${e.data.lesson}, step ${e.data.step + 1} (${e.data.title}): ${e.data.state}${e.data.detail ? ` — ${e.data.detail}` : ''}`;
    case 'lesson.paused':
      return `lesson ${e.data.lesson} paused after step ${e.data.done}: waiting for Next`;
    case 'lesson.verdict':
      return `lesson ${e.data.lesson}, the checker: ${e.data.summary}`;
    case 'lesson.ended':
      return `lesson ${e.data.lesson} ${e.data.passed ? 'ran to its end' : 'stopped before its end'}`;
    default:
      return assertNever(e);
  }
}

function exitText(code: number | null, signal: string | null): string {
  if (signal) return signal;
  return code === null ? 'no code' : `code ${code}`;
}


function assertNever(x: never): never {
  throw new Error(`unhandled event ${JSON.stringify(x)}`);
}

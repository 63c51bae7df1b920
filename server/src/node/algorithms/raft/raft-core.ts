import { compareNodeIds, isLeaderTraffic, isNodeId, type KvListing, type NodeId, type NodeStatus, type RaftMessage } from '@clusterlab/shared';
import type { Core, CoreConfig, CoreInput } from '../../core/types';
import { expireLeaderWork, nextLeaderDeadline, onClient } from './client';
import { isMember, isVoter } from './config-log';
import { becomeFollower, checkQuorum, inLease, onElectionTimeout, onRequestVote, onVoteReply, refuseVote } from './election';
import { diskLog, type RaftDisk, type RaftRecord } from './records';
import { advanceCommit, applyCommitted, broadcastAppends, onAppendEntries, onAppendReply } from './replication';
import { maybeCompact, onInstallSnapshot, onInstallSnapshotReply } from './snapshot';
import { RaftState, type LeaderState, type RaftOutput } from './state';

/**
 * A Raft node as a pure state machine, after the dissertation and in etcd's shape: every
 * message's term is handled once, here, before the role sees it; the roles are a tagged
 * union, so a follower cannot hold a progress map nor a candidate a pending write.
 */
export class RaftCore implements Core<RaftMessage, RaftRecord, RaftDisk> {
  private readonly s: RaftState;

  constructor(config: CoreConfig, restored?: RaftDisk) {
    this.s = new RaftState(config);
    if (restored) this.restore(restored);
  }

  get id(): NodeId {
    return this.s.id;
  }

  step(input: CoreInput<RaftMessage>): RaftOutput[] {
    const s = this.s;
    if (!s.started) this.begin(input.now);
    switch (input.type) {
      case 'start':
        break;
      case 'tick':
        this.onTick(input.now);
        break;
      case 'message':
        this.onMessage(input.from, input.msg, input.now);
        break;
      case 'undeliverable':
        this.onUndeliverable(input.to, input.msg);
        break;
      case 'peers':
        this.onPeers(input.peers);
        break;
      case 'client':
        onClient(s, input.requestId, input.request, input.now);
        break;
      case 'durable':
        this.onDurable(input.position.index, input.position.term, input.now);
        break;
      default: {
        const never: never = input;
        void never; // not schema-valid: nothing to do
      }
    }
    return s.drain();
  }

  nextWakeAt(): number {
    const s = this.s;
    const r = s.role;
    if (r.role !== 'leader') return s.electionDeadline;
    const quorum = s.settings.checkQuorum ? r.quorumCheckAt : Infinity;
    return Math.min(r.heartbeatDueAt, quorum, nextLeaderDeadline(r));
  }

  status(): NodeStatus {
    const s = this.s;
    const config = s.config.current;
    return {
      id: s.id,
      algorithm: 'raft',
      role: s.role.role,
      term: s.term,
      leader: s.leader(),
      peers: [...s.peers],
      lastIndex: s.log.lastIndex,
      commitIndex: s.commitIndex,
      appliedIndex: s.appliedIndex,
      keyCount: s.kv.size,
      writeAck: 'majority',
      votedFor: s.votedFor,
      membership: isVoter(config, s.id) ? 'voter' : isMember(config, s.id) ? 'learner' : 'none',
      voters: [...config.voters],
      learners: [...config.learners],
    };
  }

  list(limit: number, after?: string): Omit<KvListing, 'node' | 'appliedIndex'> {
    return this.s.kv.list(limit, after);
  }

  /** The state machine as of the applied index, and the log after it: everything a restart needs. */
  image(): RaftDisk {
    const s = this.s;
    const applied = s.appliedIndex;
    const log = s.log.slice(applied + 1, s.log.lastIndex);
    return {
      term: s.term,
      votedFor: s.votedFor,
      snapshot: applied > 0 ? { index: applied, term: s.log.termAt(applied)!, config: s.config.at(applied), data: s.kv.entries() } : null,
      log,
      logLength: log.length,
      commitIndex: s.commitIndex,
    };
  }

  /** Where the in-memory log starts and ends (for tests and the dashboard: compaction moves the base). */
  logBounds(): { baseIndex: number; lastIndex: number } {
    return { baseIndex: this.s.log.baseIndex, lastIndex: this.s.log.lastIndex };
  }

  private begin(now: number): void {
    const s = this.s;
    s.started = true;
    s.startedAt = now;
    s.resetElectionTimer(now);
  }

  private restore(disk: RaftDisk): void {
    const s = this.s;
    s.term = disk.term;
    s.votedFor = disk.votedFor;
    if (disk.snapshot) {
      const { index, term, config, data } = disk.snapshot;
      s.kv.replace(data);
      s.log.reset(index, term);
      s.config.reset(index, config);
      s.commitIndex = s.appliedIndex = index;
    }
    for (const e of diskLog(disk)) {
      if (e.index !== s.log.lastIndex + 1) continue;
      s.log.append(e);
      if (e.command.type === 'config') s.config.add(e.index, e.command.config);
    }
    // Re-apply what was committed before the crash, silently: it was all said the first time.
    s.durableIndex = s.log.lastIndex; // what we read back from disk is on it
    s.commitIndex = Math.max(s.commitIndex, Math.min(disk.commitIndex, s.log.lastIndex));
    applyCommitted(s, 0, true);
    s.reportedConfigCommit = s.config.currentIndex <= s.commitIndex ? s.config.currentIndex : -1;
    maybeCompact(s);
  }

  /**
   * Our disk holds our log up to (index, term) — and everything before it, written earlier.
   * Unless that entry has since been cut from the log (a new leader overruled us): then the
   * report is about an entry we no longer have, and says nothing about the ones there now.
   */
  private onDurable(index: number, term: number, now: number): void {
    const s = this.s;
    if (index <= s.durableIndex || s.log.termAt(index) !== term) return;
    s.durableIndex = index;
    if (s.role.role === 'leader') advanceCommit(s, s.role, now);
  }

  private onTick(now: number): void {
    const s = this.s;
    const r = s.role;
    if (r.role === 'leader') this.leaderTick(r, now);
    else if (now >= s.electionDeadline) onElectionTimeout(s, now);
  }

  private leaderTick(L: LeaderState, now: number): void {
    const s = this.s;
    if (s.settings.checkQuorum && now >= L.quorumCheckAt && !checkQuorum(s, L, now)) return;
    if (now >= L.heartbeatDueAt) {
      L.heartbeatDueAt = now + s.settings.heartbeatIntervalMs;
      broadcastAppends(s, L, now, true);
    }
    expireLeaderWork(s, L, now);
  }

  /**
   * The term, once for every message (§3.3): a newer term makes us a follower of it (durably)
   * before the role sees the message; an older one is answered only so its sender learns the
   * term. Pre-votes never move a term, and with CheckQuorum a vote that would depose a leader
   * we heard from recently is refused without adopting its term.
   */
  private onMessage(from: NodeId, msg: RaftMessage, now: number): void {
    const s = this.s;
    if (from === s.id || !isNodeId(from)) return;
    if (msg.term > s.term) {
      if (msg.type === 'request_vote') {
        if (!msg.pre) {
          if (inLease(s, now)) return refuseVote(s, from, msg, 'leader alive');
          becomeFollower(s, msg.term, null, now);
        }
      } else if (!(msg.type === 'request_vote.reply' && msg.pre && msg.granted)) {
        becomeFollower(s, msg.term, isLeaderTraffic(msg.type) ? from : null, now, `${from} is in a newer term ${msg.term}`);
      }
    } else if (msg.term < s.term) {
      switch (msg.type) {
        case 'append_entries':
          // A deposed leader (or one cut off while we moved on) learns the term and steps down.
          s.send(from, { type: 'append_entries.reply', term: s.term, success: false, matchIndex: 0, conflictTerm: null, conflictIndex: 0, round: msg.round });
          return;
        case 'install_snapshot':
          s.send(from, { type: 'install_snapshot.reply', term: s.term, lastIncludedIndex: msg.lastIncludedIndex, nextOffset: 0, done: false });
          return;
        case 'request_vote':
          return refuseVote(s, from, msg, 'stale term');
        default:
          return;
      }
    }
    switch (msg.type) {
      case 'request_vote':
        return onRequestVote(s, from, msg, now);
      case 'request_vote.reply':
        return onVoteReply(s, from, msg, now);
      case 'append_entries':
        return onAppendEntries(s, from, msg, now);
      case 'append_entries.reply':
        return onAppendReply(s, from, msg, now);
      case 'install_snapshot':
        return onInstallSnapshot(s, from, msg, now);
      case 'install_snapshot.reply':
        return onInstallSnapshotReply(s, from, msg, now);
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  /** A refused connection: stop pipelining into the void; the heartbeat retries at its own pace. */
  private onUndeliverable(to: NodeId, msg: RaftMessage): void {
    const L = this.s.role;
    if (L.role !== 'leader') return;
    const pr = L.progress.get(to);
    if (!pr) return;
    if (msg.type === 'append_entries' && pr.mode === 'replicate') {
      pr.mode = 'probe';
      pr.nextIndex = pr.matchIndex + 1;
      pr.inflight = [];
      pr.probeSent = true;
      pr.rejectFloor = L.round + 1;
    }
  }

  private onPeers(peers: NodeId[]): void {
    const s = this.s;
    const next = [...new Set(peers)].filter((p) => p !== s.id && isNodeId(p)).sort(compareNodeIds);
    if (next.length === s.peers.length && next.every((p, i) => p === s.peers[i])) return;
    s.peers = next;
    s.emit({ kind: 'node.peers', data: { peers: next } });
  }
}

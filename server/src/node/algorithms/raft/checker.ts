import type { NodeId, NodeStatus, RaftMessage } from '@clusterlab/shared';
import type { CoreInput, CoreOutput, StepChecker } from '../../core/types';
import type { RaftRecord } from './records';
import { BrokenRule } from '../../core/broken-rule';

/** What the checker knows of one node's disk, from the records it persisted. */
type Tracked = {
  /** terms[index] for the entries after the snapshot, up to `last`. */
  terms: number[];
  last: number;
  snapIndex: number;
  term: number;
  votedFor: NodeId | null;
  /** Committed entries of this node already checked against everyone else's. */
  checkedCommit: number;
  incarnation: number;
};

/**
 * Raft's safety properties (Figure 3.2 of the dissertation), checked after every step of every
 * node of a simulated run, plus the durability order they rest on. Each violation throws an
 * Error that names the rule, the nodes and the (index, term) involved.
 */
export class RaftChecker implements StepChecker<RaftMessage, RaftRecord> {
  private readonly nodes = new Map<NodeId, Tracked>();
  private readonly leaders = new Map<number, NodeId>();
  /** `${index}:${term}` → the command (log matching), and the term of the entry before it. */
  private readonly commands = new Map<string, { command: string; prevTerm: number | null; node: NodeId }>();
  /**
   * index → the committed entry, as the first node that committed it held it, and the lowest
   * term in which any node knew it committed: every leader of a later term must hold it.
   */
  private readonly committed: ({ term: number; command: string; node: NodeId; knownInTerm: number } | undefined)[] = [];
  /** index → term of every write acknowledged ok. */
  private readonly acked = new Map<number, { term: number; node: NodeId }>();

  afterStep(
    id: NodeId,
    incarnation: number,
    _input: CoreInput<RaftMessage>,
    outputs: readonly CoreOutput<RaftMessage, RaftRecord>[],
    status: NodeStatus,
    _now: number,
  ): void {
    const n = this.track(id, incarnation, status);
    for (const out of outputs) {
      switch (out.type) {
        case 'persist':
          this.onRecord(id, n, out.record);
          break;
        case 'send':
          this.checkDurable(id, n, out.to, out.msg);
          break;
        case 'reply':
          if (out.reply.type === 'ok') this.onAck(id, n, out.reply.index, out.reply.term);
          break;
        case 'event':
          break;
      }
    }
    if (status.appliedIndex > status.commitIndex) {
      throw new BrokenRule('state machine safety', `${id} applied up to ${status.appliedIndex} beyond its commit index ${status.commitIndex}`);
    }
    this.onCommit(id, n, status.commitIndex, status.term);
    if (status.role === 'leader') {
      const other = this.leaders.get(status.term);
      if (other === undefined) {
        this.leaders.set(status.term, id);
        this.onElected(id, n, status.term);
      } else if (other !== id) {
        throw new BrokenRule('election safety', `${other} and ${id} were both leader in term ${status.term}`);
      }
    }
  }

  private track(id: NodeId, incarnation: number, status: NodeStatus): Tracked {
    let n = this.nodes.get(id);
    // A node that comes back with a lower term than it persisted lost its disk (a reset, or a
    // new node reusing the id): what it had is gone, so follow it afresh.
    if (n && n.incarnation !== incarnation && status.term < n.term) n = undefined;
    if (!n) {
      n = { terms: [], last: 0, snapIndex: 0, term: 0, votedFor: null, checkedCommit: 0, incarnation };
      this.nodes.set(id, n);
    }
    n.incarnation = incarnation;
    return n;
  }

  private termOf(n: Tracked, index: number): number | undefined {
    if (index > n.last) return undefined;
    return index <= n.snapIndex ? undefined : n.terms[index];
  }

  /** Whether this node's disk holds (index, term); an index its snapshot covers counts as held. */
  private holds(n: Tracked, index: number, term: number): boolean {
    return index <= n.snapIndex || (index <= n.last && n.terms[index] === term);
  }

  private onRecord(id: NodeId, n: Tracked, record: RaftRecord): void {
    switch (record.type) {
      case 'hard_state':
        if (record.term < n.term) throw new BrokenRule('durability', `${id} persisted term ${record.term} after term ${n.term}`);
        if (record.term === n.term && n.votedFor !== null && record.votedFor !== n.votedFor) {
          throw new BrokenRule('election safety', `${id} voted for ${n.votedFor} and then ${record.votedFor} in term ${record.term}`);
        }
        n.term = record.term;
        n.votedFor = record.votedFor;
        break;
      case 'entries':
        for (const e of record.entries) {
          if (e.index <= n.snapIndex) continue;
          if (e.index > n.last + 1) throw new BrokenRule('log matching', `${id} appended index ${e.index} after a log ending at ${n.last}`);
          const prevTerm = e.index - 1 <= n.snapIndex ? null : (n.terms[e.index - 1] ?? null);
          const key = `${e.index}:${e.term}`;
          const command = JSON.stringify(e.command);
          const seen = this.commands.get(key);
          if (seen === undefined) this.commands.set(key, { command, prevTerm, node: id });
          else if (seen.command !== command) {
            throw new BrokenRule('log matching', `index ${e.index} term ${e.term} holds ${seen.command} on ${seen.node} but ${command} on ${id}`);
          } else if (seen.prevTerm !== null && prevTerm !== null && seen.prevTerm !== prevTerm) {
            throw new BrokenRule('log matching', `index ${e.index} term ${e.term} follows term ${seen.prevTerm} on ${seen.node} but term ${prevTerm} on ${id}`);
          }
          n.terms[e.index] = e.term;
          n.last = e.index;
          n.terms.length = e.index + 1;
        }
        break;
      case 'truncate':
        if (record.afterIndex < n.checkedCommit) {
          throw new BrokenRule('state machine safety', `${id} truncated its log after ${record.afterIndex}, cutting committed entries up to ${n.checkedCommit}`);
        }
        if (record.afterIndex < n.last) {
          n.last = Math.max(record.afterIndex, n.snapIndex);
          n.terms.length = n.last + 1;
        }
        break;
      case 'snapshot': {
        const c = this.committed[record.index];
        if (c && c.term !== record.term) {
          throw new BrokenRule('state machine safety', `${id} installed a snapshot as of index ${record.index} term ${record.term}, but ${c.node} committed term ${c.term} there`);
        }
        n.snapIndex = record.index;
        n.last = record.index;
        n.terms = [];
        n.checkedCommit = Math.max(n.checkedCommit, record.index);
        break;
      }
      case 'commit':
        break;
      default: {
        const never: never = record;
        throw new Error(`unknown raft record ${JSON.stringify(never)}`);
      }
    }
  }

  /** Persist before send: nothing leaves a node that a crash right after could make it take back. */
  private checkDurable(id: NodeId, n: Tracked, to: NodeId, msg: RaftMessage): void {
    const preVote = (msg.type === 'request_vote' || msg.type === 'request_vote.reply') && msg.pre;
    if (!preVote && msg.term > n.term) throw new BrokenRule('persist before send', `${id} sent ${msg.type} in term ${msg.term} before persisting it (disk: term ${n.term})`);
    switch (msg.type) {
      case 'request_vote':
        if (!msg.pre && (n.term !== msg.term || n.votedFor !== id)) {
          throw new BrokenRule('persist before send', `${id} asked for votes in term ${msg.term} before persisting its own vote`);
        }
        break;
      case 'request_vote.reply':
        if (!msg.pre && msg.granted && (n.term !== msg.term || n.votedFor !== to)) {
          throw new BrokenRule('persist before send', `${id} granted ${to} its vote in term ${msg.term} before persisting it`);
        }
        break;
      case 'append_entries': {
        const lastSent = msg.entries.at(-1);
        if (lastSent && !this.holds(n, lastSent.index, lastSent.term)) {
          throw new BrokenRule('persist before send', `${id} sent entry ${lastSent.index} term ${lastSent.term} before persisting it`);
        }
        break;
      }
      case 'append_entries.reply':
        if (msg.success && msg.matchIndex > n.last) {
          throw new BrokenRule('persist before send', `${id} acknowledged index ${msg.matchIndex} to ${to} with only ${n.last} on disk`);
        }
        break;
      case 'install_snapshot':
      case 'install_snapshot.reply':
        break;
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  private onAck(id: NodeId, n: Tracked, index: number, term: number): void {
    if (!this.holds(n, index, term)) throw new BrokenRule('persist before send', `${id} acknowledged index ${index} term ${term} that its disk does not hold`);
    const seen = this.acked.get(index);
    if (seen && seen.term !== term) {
      throw new BrokenRule('no acknowledged write lost', `index ${index} was acknowledged in term ${seen.term} by ${seen.node} and in term ${term} by ${id}`);
    }
    this.acked.set(index, { term, node: id });
  }

  private onCommit(id: NodeId, n: Tracked, commitIndex: number, currentTerm: number): void {
    if (commitIndex <= n.checkedCommit) return;
    for (let i = n.checkedCommit + 1; i <= commitIndex; i++) {
      if (i <= n.snapIndex) continue;
      const term = this.termOf(n, i);
      if (term === undefined) throw new BrokenRule('state machine safety', `${id} committed index ${i} that its disk does not hold (log ends at ${n.last})`);
      const command = this.commands.get(`${i}:${term}`)!.command;
      const c = this.committed[i];
      if (!c) this.committed[i] = { term, command, node: id, knownInTerm: currentTerm };
      else if (c.term !== term || c.command !== command) {
        throw new BrokenRule('state machine safety', `index ${i} committed as term ${c.term} ${c.command} on ${c.node} but term ${term} ${command} on ${id}`);
      } else if (currentTerm < c.knownInTerm) c.knownInTerm = currentTerm;
    }
    n.checkedCommit = commitIndex;
  }

  /**
   * Leader completeness (§3.6.3): an entry committed in term t is in the log of every leader of
   * a term after t. (A node can win an older term late — paused mid-election, say — and that
   * leader need not hold what was committed in newer terms; it cannot commit anything anyway.)
   */
  private onElected(id: NodeId, n: Tracked, term: number): void {
    for (let i = 1; i < this.committed.length; i++) {
      const c = this.committed[i];
      if (c && c.knownInTerm < term && !this.holds(n, i, c.term)) {
        throw new BrokenRule('leader completeness', `${id} became leader of term ${term} without index ${i} term ${c.term}, committed on ${c.node}`);
      }
    }
    // An acknowledgement from the leader of term t was a commit in term t: the same rule holds.
    for (const [index, { term: t, node }] of this.acked) {
      if (t < term && !this.holds(n, index, t)) {
        throw new BrokenRule('no acknowledged write lost', `${id} became leader of term ${term} without index ${index} term ${t}, acknowledged by ${node}`);
      }
    }
  }
}

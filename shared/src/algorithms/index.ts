import type { z } from 'zod';
import { BULLY_MESSAGE_TYPES, BullyMessage, bullyTermOf, epochOwner, formatEpoch, type BullyMessage as BullyMessageT } from './bully';
import type { NodeId } from '../ids';
import { RAFT_MESSAGE_TYPES, RaftMessage, raftTermOf, type RaftMessage as RaftMessageT } from './raft';
import { formatTerm, isLeaderTraffic, type MessageFamily } from './vocabulary';

export * from './bully';
export * from './raft';
export * from './vocabulary';

/** Any algorithm's peer message. Hosts carry them without looking inside. */
export type PeerMessage = BullyMessageT | RaftMessageT;

/** What the parts outside an algorithm (transport, supervisor, dashboard) may know of its protocol. */
export type Protocol<M extends PeerMessage = PeerMessage> = {
  /** What POST /peer accepts from a node of this algorithm. */
  messages: z.ZodType<M>;
  termOf(msg: M): number;
  /** The term as this algorithm shows it: bully's epoch as "3·n2", Raft's as a number. */
  formatTerm(term: number): string;
  /** What the message is for (a Raft heartbeat is an AppendEntries with no entries). */
  familyOf(msg: M): MessageFamily;
  /**
   * Why `from` cannot have sent `msg`, whatever the receiver's state, or null when it may
   * have: a check of sense a receiver makes before the message reaches its core.
   */
  impossibleSender(from: NodeId, msg: M): string | null;
};

const BULLY_FAMILIES: Record<BullyMessageT['type'], MessageFamily> = {
  heartbeat: 'heartbeat',
  'election.ping': 'election',
  'election.answer': 'election',
  'election.victory': 'victory',
  append: 'replication',
  snapshot: 'replication',
  'snapshot.ack': 'replication',
  'append.ack': 'replication',
  'sync.request': 'replication',
  'epoch.stale': 'other',
  hello: 'other',
};

export const PROTOCOLS: { bully: Protocol<BullyMessageT>; raft: Protocol<RaftMessageT> } = {
  bully: {
    messages: BullyMessage,
    termOf: bullyTermOf,
    formatTerm: (term) => formatTerm('bully', term),
    familyOf: (msg) => BULLY_FAMILIES[msg.type],
    // An epoch names the one node that can lead it: leader traffic from anyone else is forged or confused.
    impossibleSender: (from, msg) => {
      if (!isLeaderTraffic(msg.type)) return null;
      const owner = epochOwner(msg.epoch);
      return owner === from ? null : `${msg.type} for epoch ${formatEpoch(msg.epoch)} can only come from ${owner ?? 'a leader'}, not ${from}`;
    },
  },
  raft: {
    messages: RaftMessage,
    termOf: raftTermOf,
    formatTerm: (term) => formatTerm('raft', term),
    // Who leads a Raft term is known only to those who followed it: the core checks that.
    impossibleSender: () => null,
    familyOf: (msg) => {
      switch (msg.type) {
        case 'request_vote':
        case 'request_vote.reply':
          return 'election';
        case 'append_entries':
          return msg.entries.length === 0 ? 'heartbeat' : 'replication';
        case 'append_entries.reply':
          // Most answer a heartbeat; those that answer entries are told apart by the append they follow.
          return 'heartbeat';
        case 'install_snapshot':
        case 'install_snapshot.reply':
          return 'replication';
      }
    },
  },
};

/** Every message type of every algorithm (message events name one). */
export const MESSAGE_TYPES: readonly string[] = [...BULLY_MESSAGE_TYPES, ...RAFT_MESSAGE_TYPES];

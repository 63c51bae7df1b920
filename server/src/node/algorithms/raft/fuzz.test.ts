import { describe, expect, it } from 'vitest';
import { MAX_LOG_INDEX, MAX_TERM, RaftMessage, Rng, type RaftCommand, type RaftEntry, type StoredValue } from '@clusterlab/shared';
import type { ClientRequest, CoreInput } from '../../core/types';
import { raft } from './index';
import { Driven } from './testing';

/** Any ids, but each once: a configuration that names a node twice is refused as nonsense by the schema. */
function distinctConfig(voters: string[], learners: string[]): { type: 'config'; config: { voters: string[]; learners: string[] } } {
  const v = [...new Set(voters)];
  return { type: 'config', config: { voters: v, learners: [...new Set(learners)].filter((l) => !v.includes(l)) } };
}

/** Schema-valid messages with no regard for sense: absurd terms, gaps, strangers, lies. */
function randomMessage(rng: Rng): RaftMessage {
  const term = () => rng.pick([0, 0, 1, 1, 2, 3, 5, rng.int(50), MAX_TERM]);
  const index = () => rng.pick([0, 1, 2, 3, rng.int(30), rng.int(5000), MAX_LOG_INDEX]);
  const id = () => `n${rng.between(1, 9)}`;
  const command = (): RaftCommand =>
    rng.pick<() => RaftCommand>([
      () => ({ type: 'put', key: `k${rng.int(5)}`, value: `v${rng.int(100)}` }),
      () => ({ type: 'delete', key: `k${rng.int(5)}` }),
      () => ({ type: 'noop' }),
      () => distinctConfig([id(), id()], rng.chance(0.5) ? [id()] : []),
    ])();
  const entries = (prev: number): RaftEntry[] => {
    const n = rng.int(5);
    const contiguous = rng.chance(0.7);
    return Array.from({ length: n }, (_, i) => ({ index: Math.min(MAX_LOG_INDEX, Math.max(1, contiguous ? prev + 1 + i : index())), term: term(), command: command() }));
  };
  const pair = (): [string, StoredValue] => [`k${rng.int(9)}`, { value: `v${rng.int(9)}`, index: index() }];
  const kinds: (() => RaftMessage)[] = [
    () => ({ type: 'request_vote', term: term(), pre: rng.chance(0.5), lastLogIndex: index(), lastLogTerm: term() }),
    () => ({ type: 'request_vote.reply', term: term(), pre: rng.chance(0.5), granted: rng.chance(0.5), reason: rng.pick([null, 'stale term', 'log behind', 'leader alive'] as const) }),
    () => {
      const prevLogIndex = rng.chance(0.5) ? rng.int(6) : index();
      return { type: 'append_entries', term: term(), prevLogIndex, prevLogTerm: term(), entries: entries(prevLogIndex), leaderCommit: index(), round: index() };
    },
    () => ({ type: 'append_entries.reply', term: term(), success: rng.chance(0.5), matchIndex: index(), conflictTerm: rng.chance(0.5) ? null : term(), conflictIndex: index(), round: index() }),
    () => ({
      type: 'install_snapshot',
      term: term(),
      lastIncludedIndex: index(),
      lastIncludedTerm: term(),
      config: distinctConfig([id(), id(), id()], []).config,
      offset: rng.pick([0, 0, 1, 2, index()]),
      data: Array.from({ length: rng.int(4) }, pair),
      done: rng.chance(0.5),
    }),
    () => ({ type: 'install_snapshot.reply', term: term(), lastIncludedIndex: index(), nextOffset: index(), done: rng.chance(0.5) }),
  ];
  return RaftMessage.parse(rng.pick(kinds)()); // the generator itself must stay schema-valid
}

function randomRequest(rng: Rng): ClientRequest {
  return rng.pick<ClientRequest>([
    { type: 'put', key: `k${rng.int(5)}`, value: 'x' },
    { type: 'delete', key: `k${rng.int(5)}` },
    { type: 'get', key: `k${rng.int(5)}`, read: rng.pick(['local', 'leader', 'linearizable'] as const) },
    { type: 'member.add', id: `n${rng.between(1, 9)}` },
    { type: 'member.remove', id: `n${rng.between(1, 9)}` },
  ]);
}

describe('Raft robustness', () => {
  it('every schema-valid but nonsensical message, request or input never throws', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Rng(seed);
      const voters = seed % 3 === 0 ? ['n1'] : ['n1', 'n2', 'n3'];
      const d = new Driven('n1', voters, { snapshotThresholdEntries: 10, preVote: seed % 2 === 0, checkQuorum: seed % 4 < 2 });
      if (seed % 3 === 1) d.elect(['n2']); // some runs start as leader
      for (let i = 0; i < 400; i++) {
        const roll = rng.next();
        d.now += rng.int(30);
        let input: CoreInput<RaftMessage>;
        if (roll < 0.7) input = { type: 'message', now: d.now, from: rng.pick(['n1', 'n2', 'n3', 'n4', 'n9']), msg: randomMessage(rng) };
        else if (roll < 0.8) input = { type: 'client', now: d.now, requestId: i, request: randomRequest(rng) };
        else if (roll < 0.9) input = { type: 'tick', now: d.now };
        else if (roll < 0.95) input = { type: 'undeliverable', now: d.now, to: `n${rng.between(1, 5)}`, msg: randomMessage(rng) };
        else input = { type: 'peers', now: d.now, peers: ['n2', 'n3', `n${rng.between(1, 9)}`] };
        expect(() => d.step(input), `seed ${seed} step ${i}: ${JSON.stringify(input)}`).not.toThrow();
        expect(Number.isNaN(d.core.nextWakeAt())).toBe(false);
        d.core.status();
      }
      // What it persisted folds and restores, too.
      expect(() => raft.create({ id: 'n1', settings: d.settings, seed, initialVoters: voters }, d.disk).status()).not.toThrow();
      expect(() => raft.create({ id: 'n1', settings: d.settings, seed, initialVoters: voters }, d.core.image()).status()).not.toThrow();
    }
  });
});

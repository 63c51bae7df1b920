import { describe, expect, it } from 'vitest';
import type { BullyMessage } from '@clusterlab/shared';
import type { BullyDisk, BullyRecord } from './types';
import { DEFAULT_SETTINGS, epochOwner } from '@clusterlab/shared';
import { BullyCore } from './bully-core';
import { TestCluster } from '../../core/test-cluster';
import { bully } from '.';

type BullyCluster = TestCluster<BullyMessage, BullyRecord, BullyDisk>;

const leaderOf = (c: BullyCluster) => c.leaders();

describe('bully election', () => {
  it('a lone node elects itself once its election timeout passes', () => {
    const c = new TestCluster(bully, ['n1']);
    c.until(() => leaderOf(c).length === 1, 2000, 'a leader');
    expect(leaderOf(c)).toEqual(['n1']);
    expect(epochOwner(c.core('n1').status().term)).toBe('n1');
  });

  it('the highest-ranked live node wins the first election and every node follows it', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => ['n1', 'n2'].every((id) => c.core(id).status().leader === 'n3'), 2000, 'all follow n3');
    expect(leaderOf(c)).toEqual(['n3']);
  });

  it('a candidate pings only the nodes ranked above it', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.eventsOf('election.started').length > 0, 2000);
    for (const { node, event } of c.eventsOf('election.started')) {
      if (event.kind !== 'election.started') continue;
      for (const pinged of event.data.asked) expect(Number(pinged.slice(1))).toBeGreaterThan(Number(node.slice(1)));
    }
  });

  it('when the leader crashes, the next-highest node takes over under a newer epoch', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.core('n1').status().leader === 'n3', 2000);
    const before = c.core('n3').status().term;
    c.crash('n3');
    c.until(() => c.core('n1').status().leader === 'n2', 2000, 'n1 to follow n2');
    expect(c.core('n2').status().term).toBeGreaterThan(before);
  });

  it('failover is bounded: detection within the election timeout, then one answer timeout', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.core('n1').status().leader === 'n3', 2000);
    c.crash('n3');
    const crashedAt = c.now;
    c.until(() => leaderOf(c).length === 1, 2000);
    const { electionTimeoutMaxMs, electionAnswerTimeoutMs } = c.settings;
    expect(c.now - crashedAt).toBeLessThanOrEqual(electionTimeoutMaxMs + electionAnswerTimeoutMs + 5);
  });

  it('an unreachable higher node counts as no answer at once', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.core('n1').status().leader === 'n3', 2000);
    c.crash('n3');
    c.until(() => c.eventsOf('election.started').some((e) => e.node === 'n2' && e.at > 0 && c.core('n2').status().role !== 'follower'), 2000);
    // n2's only higher peer refuses connections, so it must not sit out the answer timeout.
    const started = c.eventsOf('election.started').filter((e) => e.node === 'n2').at(-1)!;
    c.until(() => c.core('n2').status().role === 'leader', 500);
    expect(c.now - started.at).toBeLessThan(c.settings.electionAnswerTimeoutMs);
  });

  it('a candidate that was answered but hears no victory starts over instead of waiting forever', () => {
    const c = new TestCluster(bully, ['n1', 'n2']);
    c.until(() => c.core('n1').status().leader === 'n2', 2000);
    // n2 answers n1's pings, but its victories and heartbeats never arrive.
    c.drop = (from, _to, msg) => from === 'n2' && (msg.type === 'election.victory' || msg.type === 'heartbeat');
    c.until(() => c.eventsOf('election.abandoned').some((e) => e.node === 'n1'), 3000, 'n1 to give up waiting');
  });

  it('a leader that hears of a newer epoch steps down (a paused leader coming back)', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.core('n1').status().leader === 'n3', 2000);
    c.partition(['n3'], ['n1', 'n2']); // as good as paused: no one hears it, it hears no one
    c.until(() => c.core('n1').status().leader === 'n2', 2000, 'n2 to lead');
    expect(c.core('n3').status().role).toBe('leader'); // it does not know yet
    c.heal();
    c.until(() => c.core('n3').status().role !== 'leader' || c.core('n2').status().role !== 'leader', 1000);
    c.advance(500);
    const leaders = leaderOf(c);
    expect(leaders).toHaveLength(1);
    expect(c.eventsOf('leader.stepped_down').length).toBeGreaterThan(0);
  });

  it('messages from an old epoch are ignored and answered with the newer epoch', () => {
    const c = new TestCluster(bully, ['n1', 'n2']);
    c.until(() => c.core('n1').status().leader === 'n2', 2000);
    const oldEpoch = c.core('n2').status().term;
    c.partition(['n1'], ['n2']);
    c.until(() => c.core('n1').status().role === 'leader', 2000, 'n1 to take over');
    const epoch = c.core('n1').status().term;
    const out = c.core('n1').step({ type: 'message', now: c.now, from: 'n2', msg: { type: 'heartbeat', epoch: oldEpoch, commitIndex: 0 } });
    expect(out).toContainEqual({ type: 'send', to: 'n2', msg: { type: 'epoch.stale', epoch, leader: 'n1' } });
    expect(c.core('n1').status()).toMatchObject({ role: 'leader', term: epoch });
  });

  it('a message claiming an epoch its sender cannot own is ignored', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.core('n1').status().leader === 'n3', 2000);
    const epoch = c.core('n1').status().term;
    // An epoch ending in 3 belongs to n3; n2 cannot lead it.
    c.core('n1').step({ type: 'message', now: c.now, from: 'n2', msg: { type: 'election.victory', epoch: epoch + 100 } });
    expect(c.core('n1').status().leader).toBe('n3');
  });

  it('there is never more than one leader per epoch, across crashes and partitions', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3', 'n4', 'n5']);
    const leadersByEpoch = new Map<number, Set<string>>();
    const record = () => {
      for (const id of c.leaders()) {
        const e = c.core(id).status().term;
        leadersByEpoch.set(e, (leadersByEpoch.get(e) ?? new Set()).add(id));
      }
    };
    const run = (ms: number) => {
      for (let i = 0; i < ms; i++) {
        c.advance(1);
        record();
      }
    };
    run(1000);
    c.partition(['n5', 'n1'], ['n2', 'n3', 'n4']);
    run(1000);
    c.crash('n4');
    run(1000);
    c.heal();
    run(1000);
    c.restart('n4');
    run(1000);
    for (const [epoch, ids] of leadersByEpoch) expect([...ids], `epoch ${epoch}`).toHaveLength(1);
    // Once healed, the newest epoch wins (not necessarily the highest rank): one leader.
    expect(c.leaders()).toHaveLength(1);
  });

  it('a restarted node rejoins as a follower instead of deposing the sitting leader', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => c.core('n1').status().leader === 'n3', 2000);
    c.crash('n3');
    c.until(() => c.core('n1').status().leader === 'n2', 2000);
    c.restart('n3');
    c.until(() => c.core('n3').status().leader === 'n2', 2000, 'n3 to follow n2');
    c.advance(1000);
    expect(c.leaders()).toEqual(['n2']);
  });
});

describe('stability', () => {
  it('a node that missed some heartbeats does not cost the cluster its leader or its epoch', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => ['n1', 'n2'].every((id) => c.core(id).status().leader === 'n3'), 2000);
    const epoch = c.core('n3').status().term;
    // n1 stops hearing the leader (a long GC pause, say) and starts an election.
    c.drop = (from, to, msg) => to === 'n1' && from === 'n3' && msg.type === 'heartbeat';
    c.until(() => c.core('n1').status().role === 'candidate', 2000, 'n1 to start an election');
    c.drop = () => false;
    c.until(() => c.core('n1').status().leader === 'n3', 500, 'n1 to follow n3 again');
    c.advance(1000);
    expect(c.leaders()).toEqual(['n3']);
    for (const id of ['n1', 'n2', 'n3']) expect(c.core(id).status().term).toBe(epoch);
    expect(c.eventsOf('leader.elected').filter((e) => e.at > 0 && e.event.kind === 'leader.elected' && e.event.data.term !== epoch)).toEqual([]);
  });

  it('a pinged follower that still hears the leader answers without starting an election of its own', () => {
    const c = new TestCluster(bully, ['n1', 'n2', 'n3']);
    c.until(() => ['n1', 'n2'].every((id) => c.core(id).status().leader === 'n3'), 2000);
    const out = c.core('n2').step({ type: 'message', now: c.now, from: 'n1', msg: { type: 'election.ping', epoch: 901 } });
    expect(out).toContainEqual({ type: 'send', to: 'n1', msg: { type: 'election.answer', epoch: 901 } });
    expect(c.core('n2').status()).toMatchObject({ role: 'follower', leader: 'n3' });
  });
});

describe('joining', () => {
  it('a node that has not yet heard from the registry never elects itself', () => {
    const settings = DEFAULT_SETTINGS;
    const lonely = new BullyCore({ id: 'n2', settings, seed: 1, initialVoters: [] });
    lonely.step({ type: 'start', now: 0 });
    expect(lonely.nextWakeAt()).toBe(Number.POSITIVE_INFINITY);
    lonely.step({ type: 'tick', now: 60_000 });
    expect(lonely.status().role).toBe('follower');
    const out = lonely.step({ type: 'peers', now: 60_000, peers: ['n1'] });
    expect(out).toContainEqual({ type: 'send', to: 'n1', msg: { type: 'hello', epoch: 0 } });
    expect(lonely.nextWakeAt()).toBeLessThanOrEqual(60_000 + settings.registryIntervalMs + settings.electionTimeoutMaxMs);
  });
});

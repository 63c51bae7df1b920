import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ClusterSettings, type EmittedEvent, type NodeId } from '@clusterlab/shared';
import { defaultOptions } from './options';
import { runSimulation, type SimResult } from './runner';

/**
 * A one-way cut: the leader's messages to one follower are lost, while everything that
 * follower sends still arrives. The follower hears no leader; the leader hears the follower.
 * What each design does next is the lesson (issue 9's integration test, in virtual time).
 */
const CUT_FROM_MS = 2000;
const CUT_UNTIL_MS = 8000;

function cutLeaderFrom(follower: (leader: NodeId) => NodeId, seed: number, settings: ClusterSettings) {
  const leader = firstLeader(seed, settings);
  const cutOff = follower(leader);
  const r = runSimulation(
    defaultOptions({
      seed,
      settings,
      trace: true,
      schedule: {
        file: 'one-way-cut.json',
        faults: [
          { at: CUT_FROM_MS, id: 'one-way', fault: { kind: 'cut', from: leader, to: cutOff } },
          { at: CUT_UNTIL_MS, heal: 'one-way' },
        ],
      },
    }),
  );
  return { r, leader, cutOff };
}

/** The first leader a seed elects: the faults start later, so the run with them elects the same one. */
function firstLeader(seed: number, settings: ClusterSettings): NodeId {
  return runSimulation(defaultOptions({ seed, settings, durationMs: 1500, check: false })).leaders[0]!.node;
}

/** Events of this kind (by this node) from the moment the cut began. */
const events = <K extends EmittedEvent['kind']>(r: SimResult, kind: K, node?: string) =>
  r.trace.filter((e): e is Extract<EmittedEvent, { kind: K }> => e.kind === kind && e.time >= CUT_FROM_MS && (node === undefined || e.node === node));
const ackedDuringCut = (r: SimResult) =>
  r.history.filter((op) => op.kind !== 'read' && op.outcome === 'ok' && op.invokeMs >= CUT_FROM_MS && op.completeMs! < CUT_UNTIL_MS).length;

describe('Raft, with PreVote, when the leader can no longer reach one follower', () => {
  const raft = { ...DEFAULT_SETTINGS, algorithm: 'raft' as const };
  const otherThan = (leader: NodeId) => (leader === 'n1' ? 'n2' : 'n1');

  for (const seed of [1, 2, 3]) {
    it(`the leader stays leader and the cut follower does not depose it (seed ${seed})`, () => {
      const { r, leader, cutOff } = cutLeaderFrom(otherThan, seed, raft);
      expect(r.violation).toBeNull();
      expect(r.stats.leaders.map((l) => l.node)).toEqual([leader]);
      expect(events(r, 'leader.stepped_down')).toEqual([]);
      // One way only: the leader still hears the follower (its pre-vote requests), the follower never hears the leader.
      const during = (e: EmittedEvent) => e.time < CUT_UNTIL_MS;
      expect(events(r, 'message.received', leader).filter((e) => during(e) && e.data.from === cutOff).length).toBeGreaterThan(0);
      expect(events(r, 'message.received', cutOff).filter((e) => during(e) && e.data.from === leader)).toEqual([]);
      // The follower noticed the silence and asked around, but never stood: PreVote found no majority.
      expect(events(r, 'election.prevote_started', cutOff).length).toBeGreaterThan(0);
      expect(events(r, 'election.started', cutOff)).toEqual([]);
      // With the other follower the leader still has a majority, and goes on acknowledging writes.
      expect(ackedDuringCut(r)).toBeGreaterThan(100);
      expect(r.lostAcknowledged).toEqual([]);
      expect(r.check?.linearizability.verdict).toBe('linearizable');
    });
  }

  it('without PreVote, the cut follower raises the term in vain, and when the cut heals its higher term deposes the leader', () => {
    const { r, leader, cutOff } = cutLeaderFrom(otherThan, 1, { ...raft, preVote: false });
    expect(r.violation).toBeNull();
    expect(events(r, 'election.started', cutOff).length).toBeGreaterThan(5);
    const down = events(r, 'leader.stepped_down', leader);
    expect(down).toHaveLength(1);
    expect(down[0]!.time).toBeGreaterThanOrEqual(CUT_UNTIL_MS);
    expect(down[0]!.data.reason).toMatch(new RegExp(`^${cutOff} is in a newer term`));
    expect(r.lostAcknowledged).toEqual([]); // an availability cost, not a safety one
  });
});

describe('bully, when the leader can no longer reach one follower', () => {
  // Seed 1 elects n3, the highest rank, as bully does.
  it('the next-ranked node, cut off, bullies its way in: the leader steps down and the writes the new one lacked are lost', () => {
    const { r, leader, cutOff } = cutLeaderFrom(() => 'n2', 1, DEFAULT_SETTINGS);
    expect([leader, cutOff]).toEqual(['n3', 'n2']);
    expect(r.violation).toBeNull();
    // n2 pings n3, whose answer is lost; no answer means victory.
    const takeover = r.stats.leaders.find((l) => l.node === 'n2');
    expect(takeover!.atMs).toBeGreaterThan(CUT_FROM_MS);
    expect(takeover!.atMs).toBeLessThan(CUT_FROM_MS + 1000);
    expect(events(r, 'leader.stepped_down', 'n3').length).toBeGreaterThan(0);
    expect(r.lostAcknowledged.length).toBeGreaterThan(0);
  });

  it('the lowest-ranked node, cut off, calls election after election, but a node that still hears the leader answers it: nobody is deposed', () => {
    const { r, cutOff } = cutLeaderFrom(() => 'n1', 1, DEFAULT_SETTINGS);
    expect(cutOff).toBe('n1');
    expect(r.violation).toBeNull();
    expect(events(r, 'election.started', 'n1').length).toBeGreaterThan(5);
    expect(r.stats.leaders.map((l) => l.node)).toEqual(['n3']);
    expect(r.lostAcknowledged).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { beliefsAfter, believerOf, DEFAULT_SETTINGS, parseTrace, UNKNOWN_BELIEFS, type AlgorithmId, type NodeBeliefs, type Trace } from '@clusterlab/shared';
import { Fork, type ForkEvent } from './fork';
import { forkPoint } from './fork-point';
import { defaultOptions } from './options';
import { runSimulation } from './runner';
import { replayBoot } from '../node/replay/replay-boot';

/**
 * Fork: a recorded run continued from exactly the state it was in after one of its events,
 * one chosen step at a time, with the simulator's invariants checked after every step.
 */
function trace(algorithm: AlgorithmId, seed: number, faults: string[] = ['crashes']): Trace {
  const settings = { ...DEFAULT_SETTINGS, algorithm };
  const r = runSimulation(defaultOptions({ seed, nodes: 3, durationMs: 8000, faults: faults as never, settings, trace: true, check: false }));
  return parseTrace(r.traceFile()!);
}

/** Delivers the oldest message in flight, or fires the earliest timer when none is. */
function advance(fork: Fork): ForkEvent[] {
  const deliverable = fork.choices().find((c) => c.type === 'deliver');
  if (deliverable) return fork.apply(deliverable).events;
  const next = fork.timers().sort((a, b) => a.at - b.at)[0];
  if (!next) throw new Error('nothing left to happen');
  return fork.apply({ type: 'timer', node: next.node }).events;
}

describe('the state at a fork point', () => {
  it('is every node as its events said it was then, with the messages then in flight', () => {
    const t = trace('bully', 26);
    // The middle of the run: the cluster leads, heartbeats fly.
    const seq = t.events[Math.floor(t.events.length / 2)]!.seq;
    const point = forkPoint(t, seq);
    const beliefs = new Map<string, NodeBeliefs>();
    for (const e of point.events) {
      const who = believerOf(e);
      if (who) beliefs.set(who, beliefsAfter(beliefs.get(who) ?? UNKNOWN_BELIEFS, e));
    }
    for (const [id, n] of point.nodes) {
      if (!n.core) continue;
      const status = n.core.status();
      expect({ id, role: status.role, term: status.term, leader: status.leader }).toEqual({ id, role: beliefs.get(id)!.role, term: beliefs.get(id)!.term, leader: beliefs.get(id)!.leader });
    }
    const sentBefore = new Set(point.events.filter((e) => e.kind === 'message.sent').map((e) => (e.kind === 'message.sent' ? e.data.id : '')));
    const later = t.events.filter((e) => e.seq > seq);
    for (const f of point.inFlight) {
      // Sent by then (or by the step under way), and received or lost only afterwards, if ever.
      expect(sentBefore.has(f.id) || later.some((e) => e.kind === 'message.sent' && e.data.id === f.id)).toBe(true);
      expect(point.events.some((e) => (e.kind === 'message.received' || e.kind === 'message.lost') && e.data.id === f.id)).toBe(false);
    }
  });
});

describe('the trace a fork is made from', () => {
  for (const algorithm of ['bully', 'raft'] as const) {
    it(`is left as it was recorded (${algorithm}): it still replays exactly after forks from several points`, () => {
      const t = trace(algorithm, 5);
      for (const at of [0.2, 0.5, 0.9]) new Fork(t, t.events[Math.floor(t.events.length * at)]!.seq).runRandom(50, 1);
      for (const record of t.boots) expect(replayBoot(record).mismatch, `${record.boot.node}/${record.boot.boot}`).toBeNull();
    });
  }
});

describe('a moment past a cut recording', () => {
  it('is refused, naming the node and why, rather than shown as a guess', () => {
    const t = trace('bully', 6, []); // no crashes: one boot per node
    const n1 = t.boots.find((b) => b.boot.node === 'n1')!;
    const cut = Math.floor(n1.inputs.length / 2);
    const truncated = { type: 'truncated' as const, node: 'n1', boot: n1.boot.boot, step: cut, reason: "this node's trace reached its bound of 64 bytes" };
    const cutTrace = { ...t, boots: t.boots.map((b) => (b === n1 ? { ...b, inputs: b.inputs.slice(0, cut), truncated } : b)) };
    const before = t.events.find((e) => e.node === 'n1' && e.lamport < n1.inputs[cut - 1]!.lamport && e.seq > 50)!;
    expect(() => new Fork(cutTrace, before.seq)).not.toThrow();
    expect(() => new Fork(cutTrace, t.events.at(-1)!.seq)).toThrow(/n1's recording stopped before this moment \(this node's trace reached its bound of 64 bytes\); pick an earlier one/);
  });
});

describe('forking a recorded run', () => {
  it('from the leader’s crash: drop the winner’s victory (and what it sends after) by hand, and the election repeats', () => {
    const { t, exit } = leaderCrash();
    const fork = new Fork(t, exit.seq);
    const seen: ForkEvent[] = [];
    let winner: string | null = null;
    // Another node, having heard nothing from the winner, stands (or wins) again.
    const repeated = () => seen.some((e) => (e.kind === 'election.started' || e.kind === 'leader.elected') && winner !== null && e.node !== winner && e.seq > firstDrop(seen));
    for (let i = 0; i < 2000 && !repeated(); i++) {
      winner ??= fork.inFlight().find((f) => f.type === 'election.victory')?.from ?? null;
      // Whatever the winner says is lost: its victory, and the heartbeats that would stand for it.
      const fromWinner = fork.inFlight().find((f) => f.from === winner);
      seen.push(...(fromWinner ? fork.apply({ type: 'drop', id: fromWinner.id }).events : advance(fork)));
    }
    expect(winner, 'someone won the election after the crash').not.toBeNull();
    const lost = seen.filter((e) => e.kind === 'message.lost' && e.data.reason === 'dropped by hand in the fork');
    expect(lost.every((e) => e.node === winner)).toBe(true);
    expect(lost.some((e) => e.kind === 'message.lost' && e.data.type === 'election.victory')).toBe(true);
    expect(repeated(), 'a node that never heard the victory took part in another election').toBe(true);
    expect(fork.violation).toBeNull();
    expect(fork.recordedViolation).toBeNull();
  });

  it('numbers its events on after the fork point, and a crash stops a node taking messages', () => {
    const t = trace('raft', 4);
    const seq = t.events[Math.floor(t.events.length / 3)]!.seq;
    const fork = new Fork(t, seq);
    const up = fork.choices().find((c) => c.type === 'crash');
    if (up?.type !== 'crash') throw new Error('no node is up');
    const crash = fork.apply(up);
    expect(crash.events[0]).toMatchObject({ seq: seq + 1, kind: 'node.exited', data: { id: up.node } });
    expect(fork.stateOf(up.node)).toBe('crashed');
    expect(fork.status(up.node)).toBeNull();
    expect(fork.choices()).toContainEqual({ type: 'restart', node: up.node });
    const restart = fork.apply({ type: 'restart', node: up.node });
    expect(restart.events.map((e) => e.kind)).toContain('node.spawned');
    expect(fork.status(up.node)).not.toBeNull();
    expect(() => fork.apply({ type: 'deliver', id: 'no-such-message' })).toThrow(/no message no-such-message is in flight/);
  });

  it('takes a client write through the leader, which replicates it as messages are delivered', () => {
    const t = trace('raft', 8, []);
    const fork = new Fork(t, t.events.at(-1)!.seq);
    const leader = ['n1', 'n2', 'n3'].find((id) => fork.status(id)?.role === 'leader')!;
    const wrote = fork.apply({ type: 'write', node: leader, key: 'colour', value: 'blue' });
    expect(wrote.events.some((e) => e.kind === 'kv.write' && e.data.key === 'colour')).toBe(true);
    const later: ForkEvent[] = [];
    for (let i = 0; i < 200 && !later.some((e) => e.kind === 'kv.acked'); i++) later.push(...advance(fork));
    expect(later.find((e) => e.kind === 'kv.acked')).toMatchObject({ node: leader, data: { key: 'colour' } });
    expect(fork.listing(leader, 100)!.entries.find(([k]) => k === 'colour')?.[1].value).toBe('blue');
  });

  it('is the same run from the same point with the same seed', () => {
    const t = trace('raft', 9);
    const seq = t.events[Math.floor(t.events.length / 2)]!.seq;
    const a = new Fork(t, seq).runRandom(300, 5).flatMap((s) => s.events);
    const b = new Fork(t, seq).runRandom(300, 5).flatMap((s) => s.events);
    expect(a.length).toBeGreaterThan(100);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  for (const algorithm of ['bully', 'raft'] as const) {
    it(`keeps every ${algorithm} invariant through random continuations from random points of 20 runs`, { timeout: 60_000 }, () => {
      let steps = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const t = trace(algorithm, seed, ['crashes', 'partitions', 'drops']);
        const seq = t.events[(seed * 7919) % t.events.length]!.seq;
        const fork = new Fork(t, seq, seed);
        const run = fork.runRandom(300, seed);
        expect(fork.violation, `seed ${seed} from #${seq}: ${fork.violation?.message}`).toBeNull();
        steps += run.length;
      }
      expect(steps).toBe(20 * 300);
    });
  }
});

/** The first seed whose run crashes the node that leads at the time: the fork starts at its exit. */
function leaderCrash(): { t: Trace; exit: ForkEvent } {
  for (let seed = 1; seed <= 100; seed++) {
    const t = trace('bully', seed);
    let leader: string | null = null;
    for (const e of t.events) {
      if (e.kind === 'leader.elected') leader = e.node;
      if (e.kind === 'node.exited' && e.data.id === leader) return { t, exit: e };
    }
  }
  throw new Error('no seed in 1..100 crashes a leader');
}

function firstDrop(events: readonly ForkEvent[]): number {
  return events.find((e) => e.kind === 'message.lost')?.seq ?? Number.POSITIVE_INFINITY;
}
